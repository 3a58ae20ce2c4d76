"""What the web app stores: a season's spec document, its clubs, fixtures and results.

The season's structure and rules are the season file's own document
(:class:`copa.spec.season_file.SeasonModel`, as JSON) with every score left
out; clubs, fixtures and results are rows. A result is *entered* by one
person and *confirmed* by another; only confirmed results reach the engine
(:mod:`copa.web.engine`). The database itself refuses a result confirmed by
the person who entered it, and a second confirmed result for a fixture.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from copa.core.match import MatchStatus


class Season(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    competition = models.CharField(max_length=200)
    #: the season file's document without scores (SeasonModel as JSON)
    spec = models.JSONField()
    #: raised on every change of a confirmed result: the key of the computed season
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-name"]

    def __str__(self) -> str:
        return f"{self.competition} {self.name}"

    def stage_name(self, stage_slug: str) -> str | None:
        """The name of the season's stage with that slug (None: no fixture is in one)."""
        got: str | None = (
            self.fixtures.filter(stage_slug=stage_slug).values_list("stage", flat=True).first()
        )
        return got


class Club(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="clubs")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    department = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["season", "name"], name="club_name_once"),
            models.UniqueConstraint(fields=["season", "slug"], name="club_slug_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Fixture(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("group match")
        LEG = "leg", _("leg")
        DECIDER = "decider", _("deciding match")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="fixtures")
    #: where the match sits in the spec document ("stages/7/rounds/0/groups/1/matches/3")
    key = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    stage = models.CharField(max_length=200)
    stage_slug = models.SlugField(max_length=220)
    #: the region of the stage, or the stage's name (what an organizer's scope names)
    region = models.CharField(max_length=200, blank=True)
    round = models.CharField(max_length=200)
    #: the group's name, or the tie ("A v B")
    unit = models.CharField(max_length=400)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: 1 or 2 for a leg of a tie
    leg = models.PositiveSmallIntegerField(null=True, blank=True)
    legs = models.PositiveSmallIntegerField(default=1)
    home = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="+")
    away = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="+")
    matchday = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    kickoff = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    neutral = models.BooleanField(default=False)
    #: the tie's rules reach extra time / penalties in this match
    allows_extra_time = models.BooleanField(default=False)
    allows_penalties = models.BooleanField(default=False)
    #: optimistic locking: every change of the fixture or its results raises it
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["season", "key"], name="fixture_key_once"),
        ]
        indexes = [models.Index(fields=["season", "stage_slug"])]

    def __str__(self) -> str:
        return f"{self.home} v {self.away} ({self.stage}, {self.unit})"

    @property
    def confirmed(self) -> Result | None:
        return self.results.filter(state=Result.State.CONFIRMED).first()

    @property
    def pending(self) -> Result | None:
        return self.results.filter(state=Result.State.PENDING).first()


class _RecordedAndConfirmed(models.Model):
    """Recorded by one person and confirmed by another (a result, a drawing of lots):
    only a confirmed row reaches the engine. Listed most recent first."""

    class Meta:
        abstract = True
        ordering = ["-entered_at", "-pk"]


def _two_people(*, recorder_optional: bool) -> tuple[Any, Any, Any, Any]:
    """Who recorded the row and when, who confirmed it and when: four fields, in this order
    (made here, in the model's body, so each model keeps its own order of fields)."""
    user = settings.AUTH_USER_MODEL
    return (
        models.ForeignKey(user, null=recorder_optional, on_delete=models.PROTECT, related_name="+"),
        models.DateTimeField(auto_now_add=True),
        models.ForeignKey(user, null=True, blank=True, on_delete=models.PROTECT, related_name="+"),
        models.DateTimeField(null=True, blank=True),
    )


def _one_per_state(fields: list[str], confirmed: str, pending: str) -> list[Any]:
    """At most one confirmed and one pending row per value of ``fields``."""
    return [
        models.UniqueConstraint(fields=fields, condition=Q(state=state), name=name)
        for state, name in (("confirmed", confirmed), ("pending", pending))
    ]


def _not_own_confirmation(name: str) -> Any:
    """The database refuses a row confirmed by the person who recorded it."""
    return models.CheckConstraint(
        condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("entered_by")), name=name
    )


#: a result's score columns, in pairs (home, away): after 90 minutes, after extra time,
#: the shoot-out, and on the pitch for a match awarded by a ruling
SCORE_FIELDS = (
    "home_goals",
    "away_goals",
    "et_home",
    "et_away",
    "pen_home",
    "pen_away",
    "orig_home",
    "orig_away",
)


class Result(_RecordedAndConfirmed):
    class State(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("superseded")
        REVERTED = "reverted", _("reverted")

    class Status(models.TextChoices):
        """How the match ended: the engine's statuses (all but scheduled), by their values."""

        PLAYED = MatchStatus.PLAYED.value, _("played")
        WALKOVER = MatchStatus.WALKOVER.value, _("walkover")
        AWARDED = MatchStatus.AWARDED.value, _("awarded by ruling")
        ANNULLED = MatchStatus.ANNULLED.value, _("annulled")
        NOT_PLAYED = MatchStatus.NOT_PLAYED.value, _("not played")

    class Source(models.TextChoices):
        WEB = "web", _("entered in the back office")
        IMPORT = "import", _("imported from a season file")

    fixture = models.ForeignKey(Fixture, on_delete=models.CASCADE, related_name="results")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLAYED)
    home_goals = models.PositiveSmallIntegerField(null=True, blank=True)
    away_goals = models.PositiveSmallIntegerField(null=True, blank=True)
    et_home = models.PositiveSmallIntegerField(null=True, blank=True)
    et_away = models.PositiveSmallIntegerField(null=True, blank=True)
    pen_home = models.PositiveSmallIntegerField(null=True, blank=True)
    pen_away = models.PositiveSmallIntegerField(null=True, blank=True)
    #: the score played on the pitch, for a match awarded by a ruling
    orig_home = models.PositiveSmallIntegerField(null=True, blank=True)
    orig_away = models.PositiveSmallIntegerField(null=True, blank=True)
    #: why (walkover, ruling, annulment, correction)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    entered_by, entered_at, confirmed_by, confirmed_at = _two_people(recorder_optional=True)
    history = HistoricalRecords()

    class Meta(_RecordedAndConfirmed.Meta):
        constraints = [
            *_one_per_state(
                ["fixture"], "one_confirmed_result_per_fixture", "one_pending_result_per_fixture"
            ),
            _not_own_confirmation("confirmer_is_not_enterer"),
            # a result reaches the engine only with two different people, or from an import
            models.CheckConstraint(
                condition=~Q(state="confirmed")
                | Q(source="import")
                | Q(entered_by__isnull=False, confirmed_by__isnull=False),
                name="confirmed_by_two_people",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["annulled", "not_played"])
                | Q(home_goals__isnull=False, away_goals__isnull=False),
                name="counting_result_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fixture}: {self.text()} [{self.state}]"

    def text(self) -> str:
        """The result in the season file's notation, from the fixture's home side."""
        from copa.web.engine import result_text

        return result_text(self)


class Role(models.Model):
    """What a user may do, in one season (or every season), within a stage or department."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("federation administrator")
        ORGANIZER = "organizer", _("stage or region organizer")
        CLERK = "clerk", _("data-entry clerk")
        CONFIRMER = "confirmer", _("confirmer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: None: every season
    season = models.ForeignKey(Season, null=True, blank=True, on_delete=models.CASCADE)
    #: a stage or region name ("Region VIII"); blank: the whole season
    stage = models.CharField(max_length=200, blank=True)
    #: a department ("Cusco"): fixtures with a club of that department; blank: any
    department = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        scope = self.stage or self.department or "*"
        return f"{self.user} {self.kind} {self.season or '*'} {scope}"


class Lots(_RecordedAndConfirmed):
    """A drawing of lots the engine asks for: clubs level on everything at a group's
    qualification line, or a tie level after every step of its rules.

    Like a result, it is recorded by one person and confirmed by another; only a
    confirmed drawing reaches the engine (:func:`copa.web.engine.filled`).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        REVERTED = "reverted", _("reverted")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="lots")
    #: where the group or tie sits in the spec ("stages/0/rounds/0/groups/1")
    key = models.CharField(max_length=200)
    #: the clubs drawn between, sorted and joined by "|" (the block the engine names)
    block = models.CharField(max_length=2000)
    #: the drawn order, first drawn first (for a tie: the winner first)
    order = models.JSONField()
    #: a match of the group or tie: the scope an organizer's role is checked against
    fixture = models.ForeignKey(Fixture, on_delete=models.CASCADE, related_name="lots")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=500)
    entered_by, entered_at, confirmed_by, confirmed_at = _two_people(recorder_optional=False)
    history = HistoricalRecords()

    class Meta(_RecordedAndConfirmed.Meta):
        constraints = [
            *_one_per_state(
                ["season", "key", "block"],
                "one_confirmed_drawing_per_block",
                "one_pending_drawing_per_block",
            ),
            _not_own_confirmation("lots_confirmer_is_not_recorder"),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_by__isnull=False),
                name="lots_confirmed_by_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {', '.join(self.order)} [{self.state}]"

    @property
    def clubs(self) -> list[str]:
        return self.block.split("|")


class ForecastRun(models.Model):
    """A forecast of a season (``copa forecast``'s JSON document), computed in the
    background from the confirmed results of one season version."""

    class State(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="forecasts")
    #: the season version (confirmed results) it was computed from
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.DONE)
    runs = models.PositiveIntegerField()
    seed = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0.0)
    #: copa forecast --format json's document (docs/forecast.md); empty when it failed
    data = models.JSONField(default=dict)
    error = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["season", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.season} v{self.version}: {self.runs} runs [{self.state}]"
