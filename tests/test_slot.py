"""The one reader of 'Stage/place' slots, used by the engine and every spec reader."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from copa.core.resolve import describe_slot, impossible_slots, resolve_slot
from copa.core.slot import SlotRef
from copa.limits import MAX_PLACE, slot_ref


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Region I/1", SlotRef("Region I", 1)),
        ("Liga Distrital de Lima/Cercado/2", SlotRef("Liga Distrital de Lima/Cercado", 2)),
        ("Region I/0", None),
        ("Region I/", None),
        ("/1", None),
        ("Region I", None),
        ("Region I/²", None),
        ("Region I/-1", None),
        ("Region I/" + "9" * 5000, None),
    ],
)
def test_read(text: str, want: SlotRef | None) -> None:
    assert SlotRef.read(text) == want


def test_parse_refuses_what_read_does_not_accept() -> None:
    with pytest.raises(ValueError, match="not 'Stage/place'"):
        SlotRef.parse("Region I/first")


@given(st.text(min_size=1).filter(lambda s: s.strip() == s), st.integers(1, 10**6))
def test_written_slots_read_back(stage: str, place: int) -> None:
    assert SlotRef.read(str(SlotRef(stage, place))) == SlotRef(stage, place)


def test_places_and_descriptions() -> None:
    places = {"Region II": ("Sport Águila", "Pacífico")}
    assert resolve_slot("Region II/2", places) == "Pacífico"
    assert resolve_slot("Region II/3", places) is None
    assert resolve_slot("Region III/1", places) is None  # not decided yet
    assert impossible_slots(("Region II/3", "Region III/1"), places) == [
        "Region II/3 (Region II placed 2)"
    ]
    assert describe_slot("Region VIII/1") == "winner of Region VIII, to be decided"
    assert describe_slot("Region VIII/2") == "runner-up of Region VIII, to be decided"
    assert describe_slot("Region VIII/5") == "5th of Region VIII, to be decided"


def test_readers_bound_the_place_and_check_the_stage() -> None:
    assert slot_ref(f"Region I/{MAX_PLACE}") == SlotRef("Region I", MAX_PLACE)
    assert slot_ref(f"Region I/{MAX_PLACE + 1}") is None
    assert slot_ref("Region I/1", ["Region I"]) is not None
    assert slot_ref("Region I/1", ["Region II"]) is None
