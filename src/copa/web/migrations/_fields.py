"""Field builders the migrations share, so a model and its history twin are written once.

Django's loader skips modules whose name starts with ``_``, so this is not a migration.
It is frozen with them: migrations 0001-0003 are built from what these return, and a
change here would change what those migrations did. A later migration that needs another
field writes it out instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

USER = settings.AUTH_USER_MODEL
SEASON = "copa_web.season"
FIXTURE = "copa_web.fixture"
CLUB = "copa_web.club"
CASCADE = django.db.models.deletion.CASCADE
PROTECT = django.db.models.deletion.PROTECT
#: what each foreign key of these models points at, by its name
TARGETS = {
    "away": CLUB,
    "home": CLUB,
    "confirmed_by": USER,
    "entered_by": USER,
    "user": USER,
    "fixture": FIXTURE,
    "season": SEASON,
}

Column = tuple[str, models.Field]

#: the life of an entry that a second person confirms (a result, a drawing of lots)
STATES = [
    ("pending", "awaiting confirmation"),
    ("confirmed", "confirmed"),
    ("rejected", "rejected"),
    ("superseded", "superseded"),
    ("reverted", "reverted"),
]


def key() -> models.BigAutoField:
    """A model's own primary key."""
    return models.BigAutoField(
        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
    )


def link(to: str, on_delete: Any, related_name: str | None = None, **extra: Any) -> models.Field:
    """A model's foreign key."""
    return models.ForeignKey(on_delete=on_delete, related_name=related_name, to=to, **extra)


def confirmer() -> models.Field:
    """Who confirmed a row entered by someone else: nobody while it is pending."""
    return link(USER, PROTECT, "+", blank=True, null=True)


def optional_count() -> models.PositiveSmallIntegerField:
    """A small number that may be unknown: a score, a leg, a matchday."""
    return models.PositiveSmallIntegerField(blank=True, null=True)


def created(history: bool) -> models.DateTimeField:
    """When a row was made: set by the model, copied as given by its history."""
    if history:
        return models.DateTimeField(blank=True, editable=False)
    return models.DateTimeField(auto_now_add=True)


def one_per(state: str, fields: tuple[str, ...], name: str) -> models.UniqueConstraint:
    """At most one row in ``state`` for each value of ``fields``."""
    return models.UniqueConstraint(condition=models.Q(("state", state)), fields=fields, name=name)


def not_self_confirmed(name: str) -> models.CheckConstraint:
    """The two-person rule in the database: whoever confirms did not enter."""
    return models.CheckConstraint(
        condition=models.Q(
            ("confirmed_by__isnull", True),
            models.Q(("confirmed_by", models.F("entered_by")), _negated=True),
            _connector="OR",
        ),
        name=name,
    )


def _loose(to: str) -> models.Field:
    """A history row's foreign key: no constraint and no reverse name, so history outlives rows."""
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


def twin(model: str, columns: Sequence[Column], keys: str) -> migrations.CreateModel:
    """The table simple-history keeps for ``model``: its columns, history's own, loose keys.

    ``keys`` names the model's foreign keys in the twin's column order, with
    ``history_user`` (the user who made the change) where simple-history put it.
    """
    history_user = models.ForeignKey(
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=USER,
    )
    kinds = [("+", "Created"), ("~", "Changed"), ("-", "Deleted")]
    verbose = f"historical {model.lower()}"
    return migrations.CreateModel(
        name=f"Historical{model}",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            *columns,
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            ("history_type", models.CharField(choices=kinds, max_length=1)),
            *[
                (name, history_user if name == "history_user" else _loose(TARGETS[name]))
                for name in keys.split()
            ],
        ],
        options={
            "verbose_name": verbose,
            "verbose_name_plural": f"{verbose}s",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    )
