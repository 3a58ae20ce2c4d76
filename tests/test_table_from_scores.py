"""``table_from_scores`` (results as plain tuples) gives the table ``table`` gives from matches."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copa.core.match import Match, Score
from copa.core.standings import table, table_from_scores

CLUBS = ["A", "B", "C", "D", "E"]
CHAINS = [
    ("points", "goal_difference", "goals_for"),
    ("points", "goal_difference", "goals_for", "head_to_head"),
    ("points", "head_to_head_points", "head_to_head_goal_difference", "goal_difference"),
    ("points", "goal_average", "away_goals", "wins"),
]

rows = st.lists(
    st.tuples(
        st.sampled_from(CLUBS), st.sampled_from(CLUBS), st.integers(0, 20), st.integers(0, 20)
    ).filter(lambda r: r[0] != r[1]),
    max_size=25,
)


@settings(max_examples=150)
@given(rows=rows, chain=st.sampled_from(CHAINS))
def test_same_table_as_from_matches(
    rows: list[tuple[str, str, int, int]], chain: tuple[str, ...]
) -> None:
    matches = [Match(h, a, Score(x, y)) for h, a, x, y in rows]
    assert table_from_scores("G", CLUBS, rows, chain=chain) == table(
        "G", CLUBS, matches, chain=chain
    )


def test_a_bad_goal_count_is_refused() -> None:
    with pytest.raises(ValueError, match="whole numbers of goals"):
        table_from_scores("G", ["A", "B"], [("A", "B", -1, 0)])
