"""The web app's models are exactly what its migrations build: no change waits to be migrated.

The models declare some of their fields and constraints through shared helpers
(:func:`copa.web.models._two_people`, ``_one_per_state``); this keeps them from
drifting from the schema the migrations give every database.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command


def test_models_need_no_new_migration(db: Any) -> None:
    out = io.StringIO()
    # --check exits with status 1 when the models differ from the migrations
    call_command("makemigrations", "copa_web", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_two_person_fields_keep_their_order_and_rules() -> None:
    from copa.web.models import Lots, Result

    tail = ["entered_by", "entered_at", "confirmed_by", "confirmed_at"]
    assert [f.name for f in Result._meta.fields][-4:] == tail
    assert [f.name for f in Lots._meta.fields][-4:] == tail
    # a result may come from an import with no recorder; a drawing always has one
    assert Result._meta.get_field("entered_by").null
    assert not Lots._meta.get_field("entered_by").null
    for model in (Result, Lots):
        assert model._meta.get_field("confirmed_by").null
        assert model._meta.ordering == ["-entered_at", "-pk"]
