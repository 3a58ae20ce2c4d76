"""The notes beside a group table: one definition in the core, worded by each output."""

from __future__ import annotations

import json

from copa.core.group import Group, GroupRules
from copa.core.match import Match, Score
from copa.core.notes import group_notes, notes_text
from copa.core.resolve import resolve_round
from copa.core.stage import Advance, Round
from copa.i18n import _, activate


def _round() -> Round:
    # Worked by hand: A beats C 3-0 and draws B 1-1; B beats C 1-0 and draws A.
    # A and B both have 4 points; A's goal difference +3 against B's +1: A above B on
    # goal difference. C has 0. Top one qualifies: A.
    ms = (
        Match("A", "B", Score(1, 1)),
        Match("A", "C", Score(3, 0)),
        Match("B", "C", Score(1, 0)),
    )
    g = Group("G", ("A", "B", "C"), ms, GroupRules(chain=("points", "goal_difference", "lots")))
    return Round("R", groups=(g,), advance=Advance(top=1))


def test_notes_are_data_in_table_order() -> None:
    rr = resolve_round("S", _round())
    notes = group_notes(rr, rr.groups[0])
    assert list(notes) == ["A", "B", "C"]
    assert [n.kind for n in notes["A"]] == ["qualified", "above"]
    sep = notes["A"][1].separation
    assert sep is not None and (sep.upper, sep.lower, sep.criterion) == (
        "A",
        "B",
        "goal_difference",
    )
    # B is 4 points above C: no note about what separates them
    assert notes["B"] == () and notes["C"] == ()


def test_each_output_words_the_same_notes_in_its_language() -> None:
    rr = resolve_round("S", _round())
    notes = group_notes(rr, rr.groups[0])
    assert notes_text(notes)["A"] == "qualified; A above B on goal difference"
    try:
        activate("es")
        assert notes_text(notes, _)["A"] == "clasificado; A por encima de B por diferencia de goles"
    finally:
        activate("en")


def test_json_export_carries_the_english_wording() -> None:
    from copa.core.club import Club
    from copa.core.resolve import resolve
    from copa.core.season import Season
    from copa.core.stage import Stage
    from copa.sinks.export_json import to_json

    clubs = tuple(Club(c) for c in "ABC")
    season = Season("T", "Test", clubs, (Stage("S", "regional", (_round(),)),))
    out = to_json(resolve(season))
    rows = {r["team"]: r for r in out["groups"][0]["standings"]}
    assert rows["A"]["note"] == "qualified; A above B on goal difference"
    json.dumps(out)
