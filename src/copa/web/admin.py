"""Django admin for back-office corrections; every change is kept by simple-history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from copa.web.models import Club, Fixture, ForecastRun, Lots, Result, Role, Season


@admin.register(Season)
class SeasonAdmin(SimpleHistoryAdmin):
    list_display = ("slug", "competition", "name", "version")


@admin.register(Club)
class ClubAdmin(admin.ModelAdmin):
    list_display = ("name", "season", "department", "region")
    list_filter = ("season",)
    search_fields = ("name",)


@admin.register(Fixture)
class FixtureAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "stage", "round", "matchday", "date", "venue", "version")
    list_filter = ("season", "stage")
    search_fields = ("home__name", "away__name")
    # results change through the back office's two-person rule, not here
    readonly_fields = ("season", "key", "home", "away", "kind", "leg", "legs", "version")


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "state", "entered_by", "confirmed_by", "entered_at")
    list_filter = ("state", "fixture__season")
    readonly_fields = ("fixture", "state", "entered_by", "confirmed_by", "confirmed_at", "source")


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "kind", "season", "stage", "department")
    list_filter = ("kind", "season")


@admin.register(Lots)
class LotsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "state", "entered_by", "confirmed_by", "entered_at")
    list_filter = ("state", "season")
    # drawings reach the engine through the back office's two-person rule, not here
    readonly_fields = (
        "season", "key", "block", "order", "fixture", "state", "entered_by", "confirmed_by",
        "confirmed_at",
    )  # fmt: skip


@admin.register(ForecastRun)
class ForecastRunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "season", "version", "state", "runs", "computed_at", "seconds")
    list_filter = ("season", "state")
    readonly_fields = (
        "season", "version", "state", "runs", "seed", "computed_at", "seconds", "data", "error",
    )  # fmt: skip
