"""The facts stored in ``tests/data/copa-peru-2011-facts.json`` are the article's.

The stored file lets the 2011 tests run on a fresh clone; this test, run
wherever the article is present, reads the article again with the plain
regular expressions of ``tests/seed.py`` and compares.
"""

from __future__ import annotations

import pytest

from tests import seed

pytestmark = pytest.mark.skipif(not seed.SEED.exists(), reason=seed.ARTICLE)


def test_stored_facts_are_a_fresh_reading_of_the_article() -> None:
    fresh = seed._plain(seed.read_facts())
    stored = seed.facts()
    assert sorted(fresh) == sorted(stored)
    for key in fresh:
        assert fresh[key] == stored[key], f"{key}: run python -m tests.seed to refresh"


def test_the_facts_cover_the_article() -> None:
    stored = seed.facts()
    assert len(stored["grids"]) == 13
    assert len(stored["qualifiers"]) == 65
    assert len(stored["national_clubs"]) == 16
