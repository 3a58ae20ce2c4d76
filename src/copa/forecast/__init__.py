"""Forecasts: club ratings and a Monte Carlo simulator that plays a season out under its own rules.

numpy and scipy are used here and never in :mod:`copa.core`; the core engine
stays the only definition of every rule (see :mod:`copa.forecast.engine`).
"""

from copa.forecast.forecast import Forecast, forecast, forecast_season, load, run_forecast

__all__ = ["Forecast", "forecast", "forecast_season", "load", "run_forecast"]
