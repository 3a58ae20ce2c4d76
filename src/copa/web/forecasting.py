"""Forecasts of a season, recomputed in the background after each confirmed change.

A confirmed result (or drawing of lots) asks for a new forecast once its
transaction commits (:func:`request`); one worker thread per process plays
the season out with :func:`copa.forecast.forecast.forecast` and stores the
document ``copa forecast --format json`` prints as a :class:`ForecastRun`.
Requests for a season already waiting are merged, so a burst of
confirmations costs one forecast. The request that confirmed never waits.

``COPA_FORECAST=off`` turns the thread off; ``copa manage forecast`` then
computes the forecasts (from cron or a queue runner), the same way.

The public page shows what the engine proves as certain (a club already in a
round: 100 %; a club out of its path: 0 %) and the simulated probabilities
elsewhere, never rounded to a certainty the engine does not prove.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("copa.web.forecast")

_cond = threading.Condition()
_waiting: list[int] = []
_busy = 0
_thread: threading.Thread | None = None


def request(season_id: int) -> None:
    """Ask for a new forecast of the season (after the current transaction commits)."""
    from django.conf import settings
    from django.db import transaction

    if getattr(settings, "COPA_FORECAST", "background") != "background":
        return
    transaction.on_commit(lambda: _enqueue(season_id))


def _enqueue(season_id: int) -> None:
    global _thread
    with _cond:
        if season_id not in _waiting:
            _waiting.append(season_id)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="copa-forecast", daemon=True)
            _thread.start()
        _cond.notify_all()


def _loop() -> None:
    global _busy, _thread
    from django.db import connection

    while True:
        with _cond:
            if not _waiting:
                _cond.wait(timeout=30)
                if not _waiting:
                    _thread = None  # under the lock: the next request starts a new thread
                    return
            season_id = _waiting.pop(0)
            _busy += 1
        try:
            compute(season_id)
        except Exception:  # a forecast never takes the site down; the failure is logged
            log.exception("forecast of season %s failed", season_id)
        finally:
            connection.close()
            with _cond:
                _busy -= 1
                _cond.notify_all()


def wait(timeout: float = 60.0) -> bool:
    """Until every requested forecast is stored (tests, the management command)."""
    end = time.monotonic() + timeout
    with _cond:
        while _waiting or _busy:
            left = end - time.monotonic()
            if left <= 0:
                return False
            _cond.wait(timeout=left)
    return True


def compute(season_id: int, runs: int | None = None, seed: int = 0) -> Any:
    """Forecast the season from its confirmed results and store it."""
    from django.conf import settings
    from django.utils import timezone

    from copa.web import engine
    from copa.web.models import ForecastRun, Season

    season = Season.objects.get(pk=season_id)
    runs = runs or int(getattr(settings, "COPA_FORECAST_RUNS", 5000))
    version = season.version
    computed = engine.compute(season)
    if getattr(computed.result, "complete", False):
        runs = min(runs, 100)  # a finished season: every figure is 0 or 1 whatever the runs
    start = time.perf_counter()
    try:
        doc = _forecast(season, computed, runs, seed)
    except Exception as e:  # stored, so the page can say why there is no forecast
        log.warning("forecast of %s failed: %s", season.slug, e)
        return ForecastRun.objects.create(
            season=season,
            version=version,
            state=ForecastRun.State.FAILED,
            runs=runs,
            seed=seed,
            computed_at=timezone.now(),
            seconds=time.perf_counter() - start,
            error=str(e)[:1000],
        )
    return ForecastRun.objects.create(
        season=season,
        version=version,
        runs=runs,
        seed=seed,
        computed_at=timezone.now(),
        seconds=time.perf_counter() - start,
        data=doc,
    )


def _forecast(season: Any, computed: Any, runs: int, seed: int) -> dict[str, Any]:
    from copa.forecast.forecast import forecast

    pyramid = None
    if "pyramid" in season.spec:
        from copa.core.pyramid import Pyramid
        from copa.spec.pyramid_format import format_from_data
        from copa.spec.season_file import ErrorLocator

        info = season.spec["pyramid"]
        pyramid = Pyramid(format_from_data(info["format"], ErrorLocator(season.slug, "")), 0)
    fc = forecast(computed.season, runs, seed, pyramid=pyramid)
    doc: dict[str, Any] = fc.to_dict()
    return doc


# ---------------------------------------------------------------- what the engine proves


@dataclass(frozen=True)
class Certain:
    """Per club: round ("STAGE/ROUND") -> 1.0 or 0.0 where the engine proves it."""

    reach: dict[str, dict[str, float]]
    champion: str | None
    promoted: frozenset[str] | None
    #: clubs the engine proves eliminated: no place, no title, no promotion
    out: frozenset[str] = frozenset()


def certainties(result: Any, rounds: list[str]) -> Certain:
    """What the engine's result proves about each club and round of the forecast.

    A club playing in a round whose clubs are decided has reached it (1); a club the
    engine proves out of a round (``status_of``) reaches no later round (0); a club
    proved qualified from a round reaches the stage's next round (1).
    """
    from copa.core import Status
    from copa.web.present import places_map, tie_teams

    places = places_map(result)
    order = {r: i for i, r in enumerate(rounds)}
    reach: dict[str, dict[str, float]] = {}
    out_after: dict[str, int] = {}
    everyone = [c.name for c in result.season.clubs]
    known = set(everyone)
    for sr in result.stages:
        names = [rr.round.name for rr in sr.rounds]
        for ri, rr in enumerate(sr.rounds):
            key = f"{sr.stage.name}/{rr.round.name}"
            clubs: list[str] = [c for g in rr.groups for c in g.group.clubs]
            decided = True
            for t in rr.ties:
                teams, waiting = tie_teams(t, places)
                decided = decided and not waiting
                # a side whose slot is decided names its club; a waiting side, its slot
                clubs.extend(c for c in teams if c in known)
            for c in clubs:
                reach.setdefault(c, {})[key] = 1.0
            if decided:  # the round's clubs are all known: nobody else reaches it
                inside = set(clubs)
                for c in everyone:
                    if c not in inside:
                        reach.setdefault(c, {})[key] = 0.0
            # the stage's rounds still to come: drawn ones, and those the forecast plays
            later = [n for n in names[ri + 1 :]] or [
                r.partition("/")[2]
                for r in rounds
                if r.partition("/")[0] == sr.stage.name and order[r] > order.get(key, len(rounds))
            ]
            if not later:
                # a stage's last round sends clubs on by its places, not by statuses:
                # once the places are decided, a club of the round without one is out
                if sr.places_by != "undecided" and key in order:
                    for c in clubs:
                        if c not in sr.places:
                            out_after[c] = min(out_after.get(c, len(rounds)), order[key])
                continue
            for c in clubs:
                try:
                    status = rr.status_of(c)
                except (KeyError, ValueError):
                    continue
                if status is Status.OUT and key in order:
                    out_after[c] = min(out_after.get(c, len(rounds)), order[key])
                elif status is Status.QUALIFIED:
                    reach[c][f"{sr.stage.name}/{later[0]}"] = 1.0
    for c, at in out_after.items():
        for r in rounds[at + 1 :]:
            if reach.get(c, {}).get(r) != 1.0:
                reach.setdefault(c, {})[r] = 0.0
    # result.promoted holds (club, where to) pairs; the page asks about clubs
    promoted = frozenset(c for c, _ in result.promoted) if result.champion is not None else None
    return Certain(reach, result.champion, promoted, frozenset(out_after))


def shown(p: float | None, certain: float | None, runs: int) -> tuple[str, str]:
    """How a probability is written, and its CSS class: certain values as the engine
    proves them, simulated ones never rounded to 0 % or 100 %."""
    if certain is not None:
        return ("100 %", "certain") if certain == 1.0 else ("0 %", "zero")
    if p is None:
        p = 0.0
    if p >= 1.0:
        return f"> {100 * (1 - 1 / runs):.1f} %".replace(".0 %", " %"), "sim"
    if p <= 0.0:
        return f"< {max(0.1, 100 / runs):.1f} %", "sim"
    pct = 100 * p
    if pct >= 99.95:
        return "> 99.9 %", "sim"
    if pct < 0.05:
        return "< 0.1 %", "sim"
    return f"{pct:.1f} %", "sim"
