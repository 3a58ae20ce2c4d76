"""A fixed, derandomised sample of the fuzz harness (``bench/fuzz.py``).

The same mutated inputs every run (seed 12): the 2011 season file under
every season command, the matches CSV and football.json under import and
audit, the article (when present) and ``generate`` with mutated numbers.
None may end in a traceback, a hang (60 s, far beyond any of these runs),
an error of more than one line, or an accepted change that is not a valid
season (a match or a row dropped without a word).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import fuzz  # noqa: E402


def test_fuzz_sample() -> None:
    texts = fuzz.seeds(pyramid=False)
    todo = fuzz.tasks(texts, 60, seed=12, e2e=3)  # 3 of them also as real copa processes
    assert {t.kind for t in todo} >= {"season", "csv", "json", "args"}
    tally = fuzz.run_all(todo, texts, workers=1, timeout=60)
    c = tally.counts
    assert sum(c.values()) == len(todo)
    bad = {k: c[k] for k in ("traceback", "hang", "silent", "messy") if c[k]}
    assert not bad, tally.examples
    assert sum(tally.e2e.values()) == 3 and tally.e2e["differs"] == 0, tally.examples
    assert c["clean"] > 0 and c["unchanged"] + c["changed"] > 0  # the sample reaches both


BENCH = Path(__file__).resolve().parents[1] / "bench"
#: far beyond what a harness that fails fast needs (a second or two), far below for ever
FAST_S = 60


def _harness(script: str) -> tuple[str, str]:
    """``script`` run after ``import fuzz`` in a fresh interpreter, with a timeout: a harness
    that waits for a dead worker fails this test instead of hanging the suite."""
    prelude = f"import json, os, sys\nsys.path.insert(0, {str(BENCH)!r})\nimport fuzz\n"
    t0 = time.monotonic()
    try:
        r = subprocess.run(
            [sys.executable, "-c", prelude + script],
            capture_output=True,
            text=True,
            timeout=FAST_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the harness still waited after {FAST_S} s") from None
    assert time.monotonic() - t0 < FAST_S
    return r.stdout, r.stderr


TASKS = "[fuzz.Task(i, 'args', ['generate', '392', '7']) for i in range(2)]"


def test_a_worker_that_dies_on_an_import_stops_the_run_with_one_line() -> None:
    """The last session's hang: a worker died on an ImportError (a removed module) before it
    said "ready", and the driver waited for that word for ever."""
    out, err = _harness(
        "try:\n"
        f"    fuzz.run_all({TASKS}, {{}}, 1, 5, warm=('copa.no_such_module',))\n"
        "except fuzz.WorkerDied as e:\n"
        "    print(e)\n"
    )
    assert out.startswith("fuzz: worker 1 (pid "), (out, err)
    assert out.endswith(
        " died before it was ready: exit code 1: "
        "ModuleNotFoundError: No module named 'copa.no_such_module'\n"
    ), (out, err)


def test_a_worker_that_exits_before_it_is_ready_is_named_with_its_exit_code() -> None:
    out, err = _harness(
        "try:\n"
        f"    fuzz.run_all({TASKS}, {{}}, 1, 5, target=lambda *a: os._exit(3))\n"
        "except fuzz.WorkerDied as e:\n"
        "    print(e)\n"
    )
    assert out.startswith("fuzz: worker 1 (pid ") and out.endswith(
        " died before it was ready: exit code 3\n"
    ), (out, err)


def test_a_worker_that_dies_during_a_run_is_counted_and_replaced() -> None:
    """A worker that dies on an input (out of memory, a signal) is a traceback of that
    input, with its exit code, and a new worker takes the next input: both are counted."""
    dies = "def dies(conn, *a):\n    conn.send('ready')\n    conn.recv()\n    os._exit(3)\n"
    out, err = _harness(
        dies + f"t = fuzz.run_all({TASKS}, {{}}, 1, 5, target=dies)\n"
        "print(json.dumps([dict(t.counts), t.examples]))\n"
    )
    counts, examples = json.loads(out)
    assert counts == {"traceback": 2}, (out, err)
    assert examples["traceback"] == [
        "#0 args generate: worker 1 died (exit code 3)",
        "#1 args generate: worker 1 died (exit code 3)",
    ]


def test_a_match_line_folded_into_a_name_is_no_match() -> None:
    """Found by the 100,000-input run (input 4775): a duplicated match line indented
    under ``- name: Second stage`` is, to YAML, the rest of that name (a valid, renamed
    season with all 211 matches), not a 212th match copa dropped."""
    text = fuzz.seeds(pyramid=False)["season"]
    anchor = "      - name: Second stage\n"
    assert text.count(anchor) == 1
    mutated = text.replace(anchor, anchor + "              - MINSA 0-3 Deportivo Maldonado\n")
    assert fuzz.season_entries(mutated) == fuzz.season_entries(text)
    # and a match line in a list of matches still counts
    line = next(
        ln for ln in text.splitlines() if ln.strip() == "- Real Garcilaso 2-0 Humberto Luna"
    )
    extra = text.replace(line + "\n", line + "\n" + line + "\n", 1)
    assert fuzz.season_entries(extra)[0] == fuzz.season_entries(text)[0] + 1


def test_every_fuzzed_command_accepts_its_unmutated_input() -> None:
    """The first 100,000 run was started with ``import --format`` (the option is now
    ``--preset``): every CSV and football.json import only met a usage error. The harness
    now checks each command on the unmutated input first, and so does this test."""
    assert fuzz.preflight(fuzz.seeds(pyramid=False)) == []


def test_kept_inputs_replay_with_their_verdict_now(tmp_path: Path) -> None:
    """``--keep`` saves what failed; ``--replay`` runs it again (how the run's one "hang", a
    CSV audit whose end-to-end process waited for the processor on a machine at load 23,
    was shown to take 0.01 s of CPU)."""
    texts = fuzz.seeds(pyramid=False)
    csv = texts["csv"].replace(
        "\n,National Stage,Round of 16,", "\n\t,National Stage,Round of 16,", 1
    )
    args = fuzz.COMMANDS["csv"][1]
    fuzz._keep(
        tmp_path,
        fuzz.Task(832, "csv", args, csv.encode()),
        fuzz.Outcome(832, "csv", "audit", "hang"),
    )
    broken = texts["season"].replace("season: ", "season: [", 1)
    task = fuzz.Task(7, "season", ["check", "{in}"], broken.encode())
    fuzz._keep(tmp_path, task, fuzz.Outcome(7, "season", "check", "traceback"))
    got = {r["input"]: r for r in fuzz.replay(tmp_path, 60)}
    assert got["hang-832-csv"]["now"] in ("unchanged", "changed", "clean")
    assert got["traceback-7-season"]["now"] == "clean"  # a one-line error, not a traceback
    assert all(r["cpu_s"] < 60 for r in got.values())


def test_a_name_that_looks_like_a_score_is_no_match() -> None:
    """Found by the 100,000-input run of seed 2027 (input 11280): a round renamed
    ``Groawarded 3-0 (was 1-2)up stage`` is still a name, not a 212th match."""
    text = fuzz.seeds(pyramid=False)["season"]
    anchor = "      - name: Group stage\n"
    assert anchor in text
    mutated = text.replace(anchor, "      - name: Groawarded 3-0 (was 1-2)up stage\n", 1)
    assert fuzz.season_entries(mutated) == fuzz.season_entries(text)


def test_a_match_line_inside_a_block_of_text_is_no_match() -> None:
    """Found by the 100,000-input run of seed 2028 (input 39996): a match line pasted,
    more indented, into Region II's ``reason: >-`` is part of that reason's text.

    The bundled season now includes its structure (where the reasons are), so the
    season file as copa wrote it with the structure inline (``tests/data/old``) is used."""
    text = (Path(__file__).parent / "data" / "old" / "2011.yaml").read_text(encoding="utf-8")
    anchor = "so UTC was designated champion and Universitario de Trujillo runner-up.\n"
    assert anchor in text
    mutated = text.replace(
        anchor, anchor + "\n              - Sport Ticlacayán 999-1 Alianza Universidad\n", 1
    )
    assert fuzz.season_entries(mutated) == fuzz.season_entries(text)


def test_a_line_break_yaml_sees_inside_a_line_moves_no_line() -> None:
    """Found by the 100,000-input run of seed 2028 (input 92185): ``Piura`` mutated to
    ``P\\x85ura``. YAML counts U+0085 as a line break, so the oracle's line numbers
    slipped by one and it blanked the next club's line: 64 clubs where copa had 65."""
    text = fuzz.seeds(pyramid=False)["season"]
    old = "{name: 9 de Octubre, department: Piura,"
    assert old in text
    mutated = text.replace(old, "{name: 9 de Octubre, department: P\x85ura,", 1)
    assert fuzz.season_entries(mutated) == fuzz.season_entries(text)
