"""A fixed, derandomised sample of the fuzz harness (``bench/fuzz.py``).

The same mutated inputs every run (seed 12): the 2011 season file under
every season command, the matches CSV and football.json under import and
audit, the article (when present) and ``generate`` with mutated numbers.
None may end in a traceback, a hang (60 s, far beyond any of these runs),
an error of more than one line, or an accepted change that is not a valid
season (a match or a row dropped without a word).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import fuzz  # noqa: E402


def test_fuzz_sample() -> None:
    texts = fuzz.seeds(pyramid=False)
    todo = fuzz.tasks(texts, 60, seed=12)
    assert {t.kind for t in todo} >= {"season", "csv", "json", "args"}
    tally = fuzz.run_all(todo, texts, workers=1, timeout=60)
    c = tally.counts
    assert sum(c.values()) == len(todo)
    bad = {k: c[k] for k in ("traceback", "hang", "silent", "messy") if c[k]}
    assert not bad, tally.examples
    assert c["clean"] > 0 and c["unchanged"] + c["changed"] > 0  # the sample reaches both
