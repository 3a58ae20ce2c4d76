import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from copa.web import office, views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # the back office
    path(
        "office/login/",
        auth_views.LoginView.as_view(template_name="copa_web/office/login.html"),
        name="office-login",
    ),
    path("office/logout/", auth_views.LogoutView.as_view(), name="office-logout"),
    path("office/", office.home, name="office-home"),
    path("office/setup/", office.setup, name="office-setup"),
    path("office/fixture/<int:pk>/", office.fixture, name="office-fixture"),
    path("office/result/<int:pk>/confirm/", office.confirm, name="office-confirm"),
    path("office/result/<int:pk>/reject/", office.reject, name="office-reject"),
    path("office/result/<int:pk>/revert/", office.revert, name="office-revert"),
    path("office/lots/<int:pk>/confirm/", office.lots_confirm, name="office-lots-confirm"),
    path("office/lots/<int:pk>/reject/", office.lots_reject, name="office-lots-reject"),
    path("office/lots/<int:pk>/revert/", office.lots_revert, name="office-lots-revert"),
    path("office/user/<int:pk>/history/", office.user_history, name="office-user-history"),
    path("office/<slug:season>/", office.season, name="office-season"),
    path("office/<slug:season>/<slug:stage>/", office.stage, name="office-stage"),
    path("office/<slug:season>/<slug:stage>/places/", office.places, name="office-places"),
    path("office/<slug:season>/<slug:stage>/lots/", office.lots_record, name="office-lots"),
    path(
        "office/<slug:season>/<slug:stage>/decider/",
        office.decider_add,
        name="office-decider",
    ),
    # the JSON API
    path("api/seasons/", views.api_seasons, name="api-seasons"),
    path("api/seasons/<slug:season>/", views.api_season, name="api-season"),
    path("api/seasons/<slug:season>/stages/<slug:stage>/", views.api_stage, name="api-stage"),
    path("api/seasons/<slug:season>/forecast/", views.api_forecast, name="api-forecast"),
    path("api/seasons/<slug:season>/clubs/<slug:club>/", views.api_club, name="api-club"),
    # the public site
    path("<slug:season>/", views.season_page, name="season"),
    path("<slug:season>/llaves/", views.bracket_page, name="bracket"),
    path("<slug:season>/llaves.svg", views.bracket_svg_file, name="bracket-svg"),
    path("<slug:season>/estadisticas/", views.stats_page, name="stats"),
    path("<slug:season>/pronostico/", views.forecast_page, name="forecast"),
    path("<slug:season>/club/<slug:club>/", views.club_page, name="club"),
    path("<slug:season>/<slug:stage>/", views.stage_page, name="stage"),
]

if os.environ.get("COPA_BENCH") == "1":  # bench/web_bench.py's trivial view of a given size
    urlpatterns.insert(0, path("_bench/<int:size>/", views.bench_blob))
