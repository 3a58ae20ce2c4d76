"""Fuzz harness: mutate every input format, run every command, count what goes wrong.

Inputs (seeds) and the commands run on their mutations:

* **season**: the bundled 2011 season file: ``check``, ``show``, ``stats``,
  ``table``, ``bracket``, ``team``, ``export`` (json, csv, wiki);
* **pyramid**: a generated 2019-format pyramid season (392 clubs, played out):
  ``check``, ``show``, ``advance -o``, ``play -o``, ``export``;
* **csv**: the 2011 national-stage matches CSV (and its clubs CSV): ``import``, ``audit``;
* **wiki**: the 2011 article (Region VII onwards): ``import``, ``audit``;
* **json**: the 2011 national stage as football.json: ``import``, ``audit``;
* **clubs**: a clubs CSV for ``new-season``; **args**: ``generate`` with mutated numbers.

Mutations are textual (lines deleted, duplicated, swapped; characters replaced
by markup, digits, quotes, control characters; numbers replaced by huge, negative,
fractional or zero ones; names swapped for other names; the file cut short; bytes
that are not UTF-8), one to four per input, from a seeded generator (``--seed``).

Every command runs in a worker process, in-process through ``copa.cli.main``
(no interpreter start per run), with a per-input timeout (``--timeout``, 20 s
of CPU time, so a shared, loaded machine does not turn slow runs into hangs):
a run over it is a hang, and
a worker that gives no answer in six times that (a blocked read) is killed,
counted as a hang and replaced. A worker that dies during a run is counted as a
traceback (with its exit code) and replaced; one that dies before it is ready (an
import that fails) stops the whole run with one line naming it, its exit code and
its error, since every new worker would die the same way.
Each outcome is one of:

* **accepted**: exit 0 or 1. Then the output is compared with the unmutated
  input's: unchanged is fine; changed must be a **valid season**: for season
  files, every match the file writes (score lists, match lines, fixtures, counted
  by a regular expression that shares no code with copa) is a match of the season,
  and every club entry a club; for CSV and football.json imports, every data row
  or match object is a match of the imported season or is named by a note.
  Otherwise it is a **silent change** (data dropped or merged without a word).
* **clean error**: exit 2 and exactly one line on stderr, ``copa: error: ...``;
* **messy error**: exit 2 with more than one line, or without the prefix;
* **traceback**: any other exception;
* **hang**: no answer within the timeout.

The last line printed is one JSON object with the counts. Run::

    nice -n 19 python3 -m uv run python bench/fuzz.py --inputs 100000 --workers 2

``tests/test_fuzz_sample.py`` runs a fixed, derandomised sample of it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import multiprocessing as mp
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the department whose league alone is the "department" seed (26 clubs)
DEPARTMENT = "Cusco"
DATA = ROOT / "tests" / "data"
SEED_ARTICLE = Path(
    os.environ.get("COPA_SEED", ROOT.parent / "shared" / "seed" / "2011-copa-peru.txt")
)
if not SEED_ARTICLE.exists():
    SEED_ARTICLE = Path("/work/shared/seed/2011-copa-peru.txt")

# ---------------------------------------------------------------- seeds


def seeds(pyramid: bool = True) -> dict[str, str]:
    """The unmutated inputs, by kind."""
    out = {
        "season": (resources.files("copa") / "data" / "seasons" / "2011.yaml").read_text(
            encoding="utf-8"
        ),
        "csv": (DATA / "copa-peru-2011-national.csv").read_text(encoding="utf-8"),
        "json": (DATA / "copa-peru-2011-national.json").read_text(encoding="utf-8"),
    }
    if SEED_ARTICLE.exists():
        wiki = SEED_ARTICLE.read_text(encoding="utf-8")
        if "=Region VII=" in wiki and "=Region I=" in wiki:
            wiki = wiki[: wiki.index("=Region I=")] + wiki[wiki.index("=Region VII=") :]
        out["wiki"] = wiki
    if pyramid:
        from copa.cli.pyramid import build_new_season, generate
        from copa.sources.clubs_csv import clubs_csv
        from copa.spec.pyramid_file import parse_pyramid_season

        text, _ = generate("2019", 392, 3, lambda *a: None)
        out["pyramid"] = text
        out["clubs"] = clubs_csv(parse_pyramid_season(text, "p.yaml").season.clubs)
        # one department's season as new-season draws it (unplayed): cheap enough to
        # fuzz thousands of times under check, show, export, advance and play
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "clubs.csv"
            csv.write_text(out["clubs"], encoding="utf-8")
            out["department"], _ = build_new_season("2019", csv, 3, DEPARTMENT)
    from copa.core.resolve import resolve
    from copa.sinks.export_json import dumps
    from copa.spec.seasons import find_season

    # copa's own JSON export of 2011 (copa import --from json reads it back)
    out["copajson"] = dumps(resolve(find_season("2011")))
    out["args"] = "392 7"
    return out


# ---------------------------------------------------------------- mutations

ALPHABETS = {
    "season": ":-[]{},'\"#&*!|>0123456789 \n\t\x85\u2028",
    "pyramid": ":-[]{},'\"#0123456789 \n",
    "department": ":-[]{},'\"#&*!|0123456789 \n",
    "csv": ',"\n0123456789-x ;\x85',
    "wiki": "|{}[]=–—-0123456789\n'<>!() abc\x85",
    "json": '{}[],:"0123456789-\n tne.',
    "copajson": '{}[],:"0123456789-\n tne.',
    "clubs": ',"\n;x ',
}
NUMBERS = [
    "0",
    "-1",
    "-2",
    "1.5",
    "999",
    "1000",
    "4300",
    "9" * 400,
    "9" * 4400,
    "1e309",
    "2147483648",
    "99",
    "3",
]
WORDS = [
    "null",
    "~",
    "true",
    "[]",
    "{}",
    '""',
    "'",
    "&a",
    "*a",
    "!!binary aGVsbG8=",
    "x" * 300,
    "\x00",
    "\ufeff",
    "Region II/3",
    "Region II/0",
    "scheduled",
    "not played",
    "w/o 3-0",
    "annulled 2-1",
    "awarded 3-0 (was 1-2)",
    "1-1 aet 2-1",
    "0-0 (4-3 p)",
    "2-1",
    "decider",
    "{{x|",
    "}}",
    "[[",
    '"',
]
_NUM = re.compile(r"(?<![\w.])\d+(?![\w.])")


def mutate(text: str, kind: str, rng: random.Random) -> bytes:
    """One to four mutations of ``text``; sometimes bytes that are not UTF-8."""
    lines = text.split("\n")
    alphabet = ALPHABETS.get(kind, ALPHABETS["season"])
    for _ in range(rng.randint(1, 4)):
        n = len(lines)
        i = rng.randrange(n) if n else 0
        op = rng.choice(
            ["delete", "duplicate", "swap", "chars", "number", "word", "names", "cut", "indent"]
        )
        if op == "delete" and n:
            del lines[i : i + rng.choice([1, 1, 1, 2, 5])]
        elif op == "duplicate" and n:
            lines.insert(i, lines[rng.randrange(n)])
        elif op == "swap" and n:
            j = rng.randrange(n)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "chars" and n and lines[i]:
            line = list(lines[i])
            for _ in range(rng.randint(1, 4)):
                line[rng.randrange(len(line))] = rng.choice(alphabet)
            lines[i] = "".join(line)
        elif op == "number" and n:
            nums = [
                (j, m)
                for j in range(max(0, i - 50), min(n, i + 50))
                for m in _NUM.finditer(lines[j])
            ]
            if nums:
                j, m = rng.choice(nums)
                lines[j] = lines[j][: m.start()] + rng.choice(NUMBERS) + lines[j][m.end() :]
        elif op == "word" and n:
            line = lines[i]
            at = rng.randint(0, len(line))
            lines[i] = line[:at] + rng.choice(WORDS) + line[at:]
        elif op == "names" and n:
            # a name swapped for another name of the file: often a valid, different season
            words = re.findall(r"[A-ZÁÉÍÓÚ][\wáéíóúñ]+(?: [A-ZÁÉÍÓÚ][\wáéíóúñ]+)*", lines[i])
            pool = re.findall(
                r"[A-ZÁÉÍÓÚ][\wáéíóúñ]+(?: [A-ZÁÉÍÓÚ][\wáéíóúñ]+)*",
                lines[rng.randrange(n)],
            )
            if words and pool:
                lines[i] = lines[i].replace(rng.choice(words), rng.choice(pool), 1)
        elif op == "cut":
            body = "\n".join(lines)
            lines = body[: rng.randint(0, len(body))].split("\n")
        elif op == "indent" and n:
            lines[i] = rng.choice(["", " ", "  ", "\t"]) + lines[i].lstrip(" ")
    data = "\n".join(lines).encode("utf-8")
    if rng.random() < 0.05:
        at = rng.randint(0, len(data))
        data = data[:at] + rng.choice([b"\xff\xfe", b"\xc3", b"\x00", b"\r\n"]) + data[at:]
    return data


def mutate_args(rng: random.Random) -> list[str]:
    # a valid count is drawn rarely: a generated season of 392 clubs takes seconds to play
    clubs = (
        "392"
        if rng.random() < 0.015
        else rng.choice(
            ["0", "-1", "1.5", "391", "50001", "9" * 400, "1e309", "2147483648", "abc", ""]
        )
    )
    seed = rng.choice(["0", "7", "-1", "9" * 50, "x"])
    return ["generate", "--clubs", clubs, "--seed", seed, "--quiet"]


# ---------------------------------------------------------------- commands

COMMANDS: dict[str, list[list[str]]] = {
    "season": [
        ["check", "{in}"],
        ["show", "{in}"],
        ["stats", "{in}"],
        ["table", "{in}", "Region II"],
        ["bracket", "{in}"],
        ["team", "{in}", "UTC"],
        ["export", "{in}", "-f", "json"],
        ["export", "{in}", "-f", "csv", "--what", "matches"],
        ["export", "{in}", "-f", "wiki"],
    ],
    "pyramid": [
        ["check", "{in}"],
        ["show", "{in}"],
        ["export", "{in}", "-f", "json"],
        ["advance", "{in}", "-o", "{out}", "--quiet"],
        ["play", "{in}", "-o", "{out}", "--quiet"],
    ],
    "csv": [
        ["import", "{in}", "--from", "csv", "--preset", "{format}", "--clubs", "{clubs}"],
        ["audit", "{in}", "--from", "csv", "--preset", "{format}", "--clubs", "{clubs}"],
    ],
    "json": [
        ["import", "{in}", "--from", "footballjson", "--preset", "{format}"],
        ["audit", "{in}", "--from", "footballjson", "--preset", "{format}"],
    ],
    "copajson": [
        ["import", "{in}", "--from", "json", "--preset", "copa-peru-2011", "--clubs", "{clubs}"],
    ],
    "wiki": [["import", "{in}"], ["audit", "{in}"]],
    "clubs": [["new-season", "2019", "{in}", "-o", "{out}"]],
}
COMMANDS["department"] = COMMANDS["pyramid"]
COMMANDS["clubs"] += [["new-season", "2019", "{in}", "-o", "{out}", "--department", DEPARTMENT]] * 3
SUFFIX = {"season": ".yaml", "pyramid": ".yaml", "csv": ".csv", "json": ".json"}
SUFFIX["department"] = ".yaml"
SUFFIX.update(wiki=".txt", clubs=".csv", copajson=".json")
#: how often each kind is drawn, by what a run costs: a 392-club pyramid run takes about
#: a second, a wiki import or audit 0.3 s, a department season's 0.1 s, the rest 0.03 s
WEIGHTS = {
    "season": 40,
    "csv": 18,
    "json": 18,
    "copajson": 4,
    "wiki": 4,
    "department": 6,
    "pyramid": 0.6,
    "clubs": 2,
    "args": 6,
}


class Hang(BaseException):
    """Raised in a worker by its CPU-time watchdog (``SIGPROF``): the run took too long."""


def _on_watchdog(signum: int, frame: Any) -> None:
    raise Hang()


def watchdog(seconds: float) -> None:
    """Arm (``seconds`` > 0) or disarm (0) this process's CPU-time watchdog.

    CPU time, not wall time: on a shared, loaded machine a run that waits for
    the processor is not hanging. A run that blocks without computing (a FIFO
    read) is caught by the driver's wall-clock limit instead.
    """
    import signal

    if seconds > 0:
        signal.signal(signal.SIGPROF, _on_watchdog)
    signal.setitimer(signal.ITIMER_PROF, max(0.0, seconds))


_COMMAND: Any = None
#: address space a worker may add to what it has mapped at its start (a run beyond it
#: ends in MemoryError, counted as a traceback)
MEMORY_LIMIT = 3 * 1024**3


def fast_cli() -> None:
    """Build copa's click command once for this process (typer rebuilds it on every
    call, about 0.14 s: more than most fuzz runs take) and let ``copa.cli.main`` use it.
    ``main`` itself, with its error handling, is what runs."""
    global _COMMAND
    import typer.main

    import copa.cli

    if _COMMAND is None:
        command = typer.main.get_command(copa.cli.app)

        class _Cached:
            # nothing for copa.cli._for to pick from: it gives this whole app back
            registered_commands: list[Any] = []
            registered_groups: list[Any] = []

            def __call__(self, *a: Any, **k: Any) -> Any:
                return command(*a, **k)

        _COMMAND = _Cached()
    copa.cli.app = _COMMAND  # type: ignore[assignment]


def run_cli(args: list[str], timeout: float = 0.0) -> tuple[int | str, str, str]:
    """``copa ARGS`` in this process: exit code (or the exception), stdout, stderr.

    With ``timeout`` (CPU seconds) the run is stopped by :func:`watchdog` and its
    code is ``"hang"``."""
    from copa.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["copa", *args]
    code: int | str = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if timeout:
                watchdog(timeout)
            try:
                main()
            finally:
                if timeout:
                    watchdog(0)
    except Hang:
        code = "hang"
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:  # noqa: BLE001 - that is what we count
        import traceback

        tb = traceback.extract_tb(e.__traceback__)
        where = next(
            (f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb) if "copa" in f.filename),
            "?",
        )
        code = f"{type(e).__name__} at {where}: {str(e)[:160]}"
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


def run_process(args: list[str], wall: float = 900.0) -> tuple[int | str, str, str]:
    """``copa ARGS`` as a real process (the end-to-end sample): the same triple as
    :func:`run_cli`; a traceback on stderr or a signal is the code, as a string."""
    import subprocess

    env = {**os.environ, "COPA_CACHE": "0"}
    try:
        r = subprocess.run(
            [sys.executable, "-m", "copa.cli", *args],
            capture_output=True,
            timeout=wall,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return "hang", "", ""
    out = r.stdout.decode("utf-8", errors="replace")
    err = r.stderr.decode("utf-8", errors="replace")
    if "Traceback (most recent call last)" in err:
        return f"traceback (process): {err.strip().splitlines()[-1][:160]}", out, err
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}", out, err
    return r.returncode, out, err


# ---------------------------------------------------------------- oracles

_SCORE = r"(?:(?:w/o|awarded|annulled)\s+)?\d+\s*[-–—]\s*\d+"
_COMMENT = re.compile(r"(^|\s)#.*$", re.M)


def _unfolded(text: str) -> str:
    """``text`` with the continuation lines of multi-line plain scalars blanked.

    YAML reads ``- name: Second stage`` followed by a more indented
    ``- MINSA 0-3 Maldonado`` as one name, "Second stage - MINSA 0-3 Maldonado":
    that line is not a match, whatever it looks like. PyYAML's own composer (no
    copa code) says which lines are such continuations; text it cannot compose
    is left as it is.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return text
    folded: set[int] = set()
    todo = [root] if root is not None else []
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.end_mark.line > node.start_mark.line:
                folded.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                todo.extend((k, v))
                # a block of text (reason: >-) is text, whatever its lines look like;
                # only a matches or deciders block holds match lines
                block = isinstance(v, yaml.ScalarNode) and v.style in ("|", ">")
                if block and getattr(k, "value", None) not in ("matches", "deciders"):
                    folded.update(range(v.start_mark.line + 1, v.end_mark.line + 1))
    if not folded:
        return text
    # lines as PyYAML counts them: U+0085, U+2028 and U+2029 break lines too
    parts = re.split("(\r\n|[\n\r\x85\u2028\u2029])", text)
    lines, breaks = parts[0::2], [*parts[1::2], ""]
    pairs = enumerate(zip(lines, breaks, strict=True))
    return "".join(("" if i in folded else ln) + b for i, (ln, b) in pairs)


def season_entries(text: str) -> tuple[int, int]:
    """(matches, clubs) a season file writes, read without copa: every item of a
    ``legs``/``matches``/``deciders`` list or block, every ``decider:``, every club entry."""
    body = _COMMENT.sub("", _unfolded(text))
    matches = 0
    for m in re.finditer(r"\blegs:\s*\[([^\]]*)\]", body):
        matches += len([x for x in m.group(1).split(",") if x.strip()])
    matches += len(re.findall(r"\bdecider:\s*[^\s,}]", body))
    for m in re.finditer(r"^(\s*)(?:matches|deciders):\s*\|\s*\n((?:\1\s+.*\n?)*)", body, re.M):
        matches += len([x for x in m.group(2).split("\n") if x.strip()])
    # "- Home 2-1 Away" and "- Home v Away" items
    # (not a "- name: ..." key whose value a mutation made look like a score)
    item = rf"^\s*-\s+(?![{{\[])(?![A-Za-z_]+:\s).+?\s+(?:{_SCORE}|v)\s+\S.*$"
    matches += len(re.findall(item, body, re.M))
    matches += len(re.findall(r"^\s*-\s*\{\s*home:", body, re.M))  # {home:, away:, score:}
    clubs_block = re.search(r"^clubs:.*\n((?:[ \t]+.*\n|\n)*)", body, re.M)
    clubs = (
        len(re.findall(r"^\s*-\s*\{?\s*name:", clubs_block.group(1), re.M)) if clubs_block else 0
    )
    return matches, clubs


def season_counts(path: str) -> tuple[int, int] | None:
    """(matches, clubs) of the season copa loads from ``path``, or None if it does not load."""
    from copa.spec.pyramid_file import load_any_season
    from copa.spec.season_file import SeasonFileError

    try:
        season = load_any_season(path)
    except SeasonFileError:
        return None
    matches = 0
    for stage in season.stages:
        for rnd in stage.rounds:
            for g in rnd.groups:
                matches += len(g.matches) + len(g.deciders)
            for t in rnd.ties:
                matches += len(t.legs) + (t.decider is not None)
    return matches, len(season.clubs)


def copajson_accounts(path: str, clubs: str) -> bool:
    """Every match object of copa's JSON (groups' matches and deciders, ties' legs and
    deciders; a group's decider listed among the ties too is one match) is imported,
    or the import says what it left out."""
    from copa.sources.reader import import_source
    from copa.spec.formats import load_format
    from copa.spec.season_file import SeasonFileError

    try:
        imp = import_source(path, "json", load_format("copa-peru-2011"), clubs)
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (SeasonFileError, ValueError):
        return True
    want = sum(len(g.get("matches", [])) + len(g.get("deciders", [])) for g in doc["groups"])
    want += sum(
        len(t.get("legs", [])) + (t.get("decider") is not None)
        for t in doc.get("ties", [])
        if t.get("group") is None
    )
    got = 0
    for stage in imp.season.stages:
        for rnd in stage.rounds:
            for g in rnd.groups:
                got += len(g.matches) + len(g.deciders)
            for t in rnd.ties:
                got += len(t.legs) + (t.decider is not None)
    # a match left out must be said: a "not mapped" note (club notes excuse nothing)
    return got == want or any(n.kind == "not mapped" for n in imp.notes)


def import_accounts(kind: str, path: str, text: str, fmt: str, clubs: str | None) -> bool:
    """Every row (CSV) or match object (football.json) is a match of the import or noted."""
    from copa.sources.reader import import_source
    from copa.spec.formats import load_format
    from copa.spec.season_file import SeasonFileError

    try:
        imp = import_source(
            path, "csv" if kind == "csv" else "footballjson", load_format(fmt), clubs
        )
    except SeasonFileError:
        return True  # the CLI accepted it but... (audit): nothing imported, nothing dropped
    got = 0
    for stage in imp.season.stages:
        for rnd in stage.rounds:
            for g in rnd.groups:
                got += len(g.matches) + len(g.deciders)
            for t in rnd.ties:
                got += (
                    len(t.legs) + (t.decider is not None) + (t.walkover is not None and not t.legs)
                )
    noted = {n.line for n in imp.notes if n.line}
    if kind == "csv":
        import csv as _csv

        rows = 0
        reader = _csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        lines: list[int] = []
        start = reader.line_num + 1
        for row in reader:
            if any(c.strip() for c in row):
                lines.append(start)
            start = reader.line_num + 1
        rows = len(lines)
        unnoted = len([ln for ln in lines if ln not in noted])
        return got >= unnoted and got + len(noted) >= rows
    objects = len(re.findall(r'"team1"\s*:', text))
    return got + len(noted) >= objects


# ---------------------------------------------------------------- worker


@dataclass
class Task:
    index: int
    kind: str
    args: list[str]
    data: bytes = b""
    e2e: bool = False  # also run as a real process, and compared


@dataclass
class Outcome:
    index: int
    kind: str
    command: str
    verdict: str
    detail: str = ""
    seconds: float = 0.0
    e2e: str = ""  # "" (not sampled), "same", or how the real process differed


def _fill(args: list[str], files: dict[str, str]) -> list[str]:
    return [a.format(**files) if "{" in a and a.startswith("{") else a for a in args]


class Runner:
    """Runs tasks in this process: writes the input, runs the command, judges it."""

    def __init__(self, workdir: Path, seed_texts: dict[str, str]) -> None:
        self.dir = workdir
        self.seeds = seed_texts
        self.files = {
            "format": str(DATA / "copa-peru-2011-national.format.yaml"),
            "clubs": str(DATA / "copa-peru-2011-clubs.csv"),
            "out": str(workdir / "out.yaml"),
        }
        self.baseline: dict[tuple[str, str], str] = {}
        self.tick: Any = None
        self.timeout = 20.0
        self.expected: dict[str, tuple[int, int]] = {}

    def input_path(self, kind: str) -> Path:
        return self.dir / f"input{SUFFIX.get(kind, '.txt')}"

    def output_of(
        self, kind: str, args: list[str], data: bytes, timeout: float = 0.0, process: bool = False
    ) -> tuple[int | str, str, str]:
        path = self.input_path(kind)
        path.write_bytes(data)
        out = Path(self.files["out"])
        out.unlink(missing_ok=True)
        filled = _fill(args, {**self.files, "in": str(path)})
        code, stdout, stderr = run_process(filled) if process else run_cli(filled, timeout)
        if out.exists():
            stdout += out.read_text(encoding="utf-8", errors="replace")
        return code, stdout, stderr

    def base(self, kind: str, args: list[str]) -> str:
        key = (kind, " ".join(args))
        if key not in self.baseline:
            code, out, err = self.output_of(kind, args, self.seeds[kind].encode("utf-8"))
            if code not in (0, 1):
                # the unmutated input must be accepted, or every mutation of it only
                # tests the error of a wrong command line
                raise SystemExit(f"fuzz: copa {' '.join(args)} on the unmutated {kind}: {err}")
            self.baseline[key] = out
        return self.baseline[key]

    def run(self, task: Task) -> Outcome:
        t0 = time.process_time()
        command = task.args[0]
        if task.kind == "args":
            code, out, err = run_cli([*task.args, "-o", self.files["out"]], self.timeout)
            Path(self.files["out"]).unlink(missing_ok=True)
        else:
            base = self.base(task.kind, task.args)
            if self.tick is not None:
                self.tick()  # the baseline is not timed: the clock starts now
            t0 = time.process_time()
            code, out, err = self.output_of(task.kind, task.args, task.data, self.timeout)
        verdict, detail = self.judge(task, code, out, err, None if task.kind == "args" else base)
        cpu = time.process_time() - t0
        if cpu > self.timeout:
            verdict, detail = "hang", f"{cpu:.1f} s of CPU time ({verdict} {detail})"
        outcome = Outcome(task.index, task.kind, command, verdict, detail, cpu)
        if task.e2e:
            if self.tick is not None:
                self.tick("e2e")  # the real process has its own limit (run_process's wall)
            outcome.e2e = self.end_to_end(task, code, verdict)
        return outcome

    def end_to_end(self, task: Task, code: int | str, verdict: str) -> str:
        """The same input through a real ``copa`` process: the same exit code and verdict."""
        if task.kind == "args":
            pcode, out, err = run_process([*task.args, "-o", self.files["out"]])
            Path(self.files["out"]).unlink(missing_ok=True)
            base = None
        else:
            base = self.base(task.kind, task.args)
            pcode, out, err = self.output_of(task.kind, task.args, task.data, process=True)
        pverdict, detail = self.judge(task, pcode, out, err, base)
        if pverdict == verdict and (pcode == code or isinstance(code, str)):
            return "same"
        return f"in-process {verdict} (exit {code}), process {pverdict} (exit {pcode}) {detail}"

    def judge(
        self, task: Task, code: int | str, out: str, err: str, base: str | None
    ) -> tuple[str, str]:
        if code == "hang":
            return "hang", f"stopped after {self.timeout:.0f} s of CPU time"
        if isinstance(code, str):
            return "traceback", code
        if code == 2:
            lines = err.strip("\n").split("\n")
            errors = [ln for ln in lines if ln.startswith("copa: error: ")]
            if len(errors) == 1 and lines[-1] == errors[0]:
                # import prints nothing before failing; progress bars go to stderr too
                return "clean", ""
            return "messy", err[-300:]
        if code not in (0, 1):
            return "messy", f"exit {code}"
        if base is None or out == base:
            return "unchanged" if base is not None else "accepted", ""
        # changed: must be a valid season
        if task.kind in ("season", "pyramid"):
            path = str(self.input_path(task.kind))
            text = task.data.decode("utf-8", errors="replace")
            got = season_counts(path)
            if got is None:
                return "silent", "accepted, but the file does not load as a season"
            want = season_entries(text)
            if task.kind not in self.expected:
                self.expected[task.kind] = season_entries(self.seeds[task.kind])
            if want != got:
                return "silent", f"the file writes {want} (matches, clubs), the season has {got}"
            return "changed", ""
        if task.kind == "copajson":
            if not copajson_accounts(str(self.input_path(task.kind)), self.files["clubs"]):
                return "silent", "a match object is neither imported nor noted"
            return "changed", ""
        if task.kind in ("csv", "json") and task.args[0] == "import":
            path = str(self.input_path(task.kind))
            text = task.data.decode("utf-8", errors="replace")
            clubs = self.files["clubs"] if task.kind == "csv" else None
            if not import_accounts(task.kind, path, text, self.files["format"], clubs):
                return "silent", "a row or match is neither imported nor noted"
        return "changed", ""


def preflight(seed_texts: dict[str, str]) -> list[str]:
    """Each command on each unmutated input, in this process: the ones not accepted."""
    import copa.cli

    bad = []
    app = copa.cli.app
    fast_cli()
    try:
        with tempfile.TemporaryDirectory(prefix="copa-fuzz-") as tmp:
            runner = Runner(Path(tmp), seed_texts)
            for kind, commands in COMMANDS.items():
                if kind not in seed_texts:
                    continue
                for args in {" ".join(c): c for c in commands}.values():
                    try:
                        runner.base(kind, args)
                    except SystemExit as e:
                        bad.append(str(e).strip()[:300])
    finally:
        copa.cli.app = app  # the caller's process (a test run) gets typer's app back
    return bad


#: what a worker imports before it says it is ready (a test names a module that does not
#: exist: the worker dies there, as one did on a removed module, and the run must stop)
WARM = ("copa.cli", "copa.sources.reader", "copa.spec.pyramid_file")


class WorkerDied(RuntimeError):
    """A worker process ended before it was ready: every new one would too, so the run stops
    (before, the driver waited for its "ready" for ever)."""


def _limit_worker() -> None:
    with contextlib.suppress(OSError):
        os.nice(19)
    os.environ["COPA_CACHE"] = "0"  # mutated inputs never repeat: no cache entries
    with contextlib.suppress(ValueError, OSError):
        import resource

        # a run that needs gigabytes (an alias bomb) fails here, counted, not the machine
        with open("/proc/self/statm", encoding="ascii") as f:  # what is mapped already
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + MEMORY_LIMIT
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def worker(
    conn: Connection, seed_texts: dict[str, str], timeout: float, warm: tuple[str, ...] = WARM
) -> None:
    _limit_worker()
    with tempfile.TemporaryDirectory(prefix="copa-fuzz-") as tmp:
        try:
            fast_cli()
            for name in warm:  # warm up before the first timed run
                importlib.import_module(name)
        except BaseException as e:  # noqa: BLE001 - the driver names it, then stops
            conn.send(("failed", f"{type(e).__name__}: {e}"))
            raise SystemExit(1) from None
        runner = Runner(Path(tmp), seed_texts)
        runner.tick = lambda what="tick": conn.send(what)
        runner.timeout = timeout
        conn.send("ready")
        while True:
            try:
                task = conn.recv()
            except EOFError:  # the driver is gone
                return
            if task is None:
                return
            conn.send(runner.run(task))


# ---------------------------------------------------------------- driver


def tasks(seed_texts: dict[str, str], n: int, seed: int, e2e: int = 0) -> list[Task]:
    """``n`` mutated inputs; ``e2e`` of them, evenly spread, also run as real processes."""
    rng = random.Random(seed)
    stride = max(1, n // e2e) if e2e else 0
    kinds = [k for k in WEIGHTS if k in seed_texts]
    weights = [WEIGHTS[k] for k in kinds]
    out = []
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        sampled = bool(stride) and i % stride == stride // 2
        if kind == "args":
            out.append(Task(i, kind, mutate_args(rng), e2e=sampled))
            continue
        args = rng.choice(COMMANDS[kind])
        out.append(Task(i, kind, args, mutate(seed_texts[kind], kind, rng), e2e=sampled))
    return out


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    slowest: float = 0.0
    by_command: Counter[str] = field(default_factory=Counter)
    starved: int = 0  # wall-clock limits passed by a worker that was runnable, not blocked
    e2e: Counter[str] = field(default_factory=Counter)

    def add(self, o: Outcome) -> None:
        self.counts[o.verdict] += 1
        self.by_command[f"{o.kind} {o.command}"] += 1
        if o.e2e:
            self.e2e["same" if o.e2e == "same" else "differs"] += 1
            if o.e2e != "same":
                ex = self.examples.setdefault("e2e", [])
                if len(ex) < 12:
                    ex.append(f"#{o.index} {o.kind} {o.command}: {o.e2e}")
        self.by_kind.setdefault(o.kind, Counter())[o.verdict] += 1
        self.slowest = max(self.slowest, o.seconds)
        if o.verdict in ("traceback", "hang", "silent", "messy"):
            ex = self.examples.setdefault(o.verdict, [])
            if len(ex) < 12:
                ex.append(f"#{o.index} {o.kind} {o.command}: {o.detail}")


def _starved(slot: dict[str, Any]) -> bool:
    """A worker past the wall-clock limit that is computing (runnable, or its CPU time grew
    since the last look), not blocked: on a loaded machine it waits for a processor."""
    pid = slot["proc"].pid
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    state, cpu = fields[0], int(fields[11]) + int(fields[12])  # utime + stime, in ticks
    grew = cpu > slot.get("cpu", -1)
    slot["cpu"] = cpu
    return state == "R" or grew


#: set by SIGTERM: start no new input, finish the runs under way, print the summary
STOP: list[bool] = []


def _exit_of(proc: Any) -> str:
    """How a worker process ended, once it has: its exit code or the signal that killed it."""
    proc.join(5)
    if proc.exitcode is None:
        proc.kill()
        proc.join()
    code = proc.exitcode
    return f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"


def start_worker(
    ctx: Any, number: int, args: tuple[Any, ...], target: Any = None, ready_s: float = 600.0
) -> dict[str, Any]:
    """Start worker ``number`` and wait for its "ready"; :class:`WorkerDied` if it ends (or
    says nothing in ``ready_s`` seconds) first, naming the worker, its exit and its error."""
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=target or worker, args=(child, *args), daemon=True)
    proc.start()
    child.close()  # only the worker holds its end now: its death is an EOF here, not a wait
    said: Any = None
    woke = wait([parent, proc.sentinel], ready_s)
    if woke:
        with contextlib.suppress(EOFError, OSError):
            said = parent.recv() if parent.poll() else None
    if said == "ready":
        return {"proc": proc, "conn": parent, "task": None, "t0": 0.0, "number": number}
    if not woke:
        proc.kill()
    why = _exit_of(proc) if woke else f"no answer in {ready_s:.0f} s, killed"
    if isinstance(said, tuple):
        why += f": {said[1]}"
    raise WorkerDied(f"fuzz: worker {number} (pid {proc.pid}) died before it was ready: {why}")


def run_all(
    all_tasks: list[Task],
    seed_texts: dict[str, str],
    workers: int,
    timeout: float,
    progress: Any = None,
    keep: Path | None = None,
    until: float | None = None,
    warm: tuple[str, ...] = WARM,
    target: Any = None,
) -> Tally:
    """Run the tasks in ``workers`` processes (``target``, default :func:`worker`, is the
    hook a test gives a worker that dies); :class:`WorkerDied` if one cannot start."""
    ctx = mp.get_context("fork")
    # a run is a hang when it takes more than ``timeout`` seconds of CPU time (the
    # machine may be shared: wall time says little), or gives no answer at all in
    # ``wall`` seconds (blocked, not computing: a FIFO read, a lock)
    wall = max(6 * timeout, 120.0)
    tally = Tally()
    todo = list(reversed(all_tasks))
    slots: list[dict[str, Any]] = []

    def start(number: int) -> dict[str, Any]:
        return start_worker(ctx, number, (seed_texts, timeout, warm), target, 5 * wall)

    def feed(slot: dict[str, Any]) -> None:
        if STOP or (until is not None and time.monotonic() > until):
            todo.clear()  # out of time: finish the runs under way, start no more
        if todo:
            task = todo.pop()
            slot["task"], slot["t0"] = task, time.monotonic()
            slot["conn"].send(task)
        else:
            slot["task"] = None

    def done(s: dict[str, Any], t: Task, o: Outcome) -> None:
        tally.add(o)
        if keep is not None and o.verdict in ("traceback", "hang", "silent", "messy"):
            _keep(keep, t, o)
        if progress:
            progress(tally)
        feed(s)

    try:
        for number in range(1, workers + 1):
            slots.append(start(number))
            feed(slots[-1])
        while any(s["task"] is not None for s in slots):
            busy = [s for s in slots if s["task"] is not None]
            deadline = min(s["t0"] for s in busy) + wall
            ready = wait([s["conn"] for s in busy], max(0.05, deadline - time.monotonic()))
            now = time.monotonic()
            for s in busy:
                t = s["task"]
                if s["conn"] in ready:
                    try:
                        o = s["conn"].recv()
                        if o == "e2e":  # a real copa process runs now, under its own limit
                            s["t0"] = time.monotonic() + 900.0
                            continue
                        if o == "tick":
                            s["t0"] = time.monotonic()
                            continue
                    except EOFError:  # the worker died (out of memory, a signal)
                        why = f"worker {s['number']} died ({_exit_of(s['proc'])})"
                        o = Outcome(t.index, t.kind, t.args[0], "traceback", why)
                        s.update(start(s["number"]))
                    done(s, t, o)
                elif now - s["t0"] > wall and _starved(s):
                    s["t0"] = now  # runnable but given no processor (a loaded machine): wait on
                    tally.starved += 1
                elif now - s["t0"] > wall:
                    s["proc"].kill()
                    s["proc"].join()
                    o = Outcome(t.index, t.kind, t.args[0], "hang", f"no answer in {wall:.0f} s")
                    s.update(start(s["number"]))
                    done(s, t, o)
    finally:
        for s in slots:
            with contextlib.suppress(OSError, BrokenPipeError):
                s["conn"].send(None)
            s["proc"].join(5)
            if s["proc"].is_alive():
                s["proc"].kill()
    return tally


def _keep(folder: Path, task: Task, o: Outcome) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{o.verdict}-{task.index}-{task.kind}"
    (folder / f"{stem}{SUFFIX.get(task.kind, '.txt')}").write_bytes(task.data)
    why = json.dumps({"args": task.args, "detail": o.detail}, ensure_ascii=False)
    (folder / f"{stem}.why").write_text(why + "\n", encoding="utf-8")


_KEPT = re.compile(r"^(?P<verdict>[a-z]+)-(?P<index>\d+)-(?P<kind>[a-z]+)$")


def replay(folder: Path, timeout: float) -> list[dict[str, Any]]:
    """Run the inputs a run kept (``--keep``) again, one by one in this process, with the
    same watchdog: each one's verdict now and its CPU time (a hang or a traceback found on a
    loaded machine is checked here, and a fixed one shows it is fixed)."""
    kinds = {m["kind"] for f in folder.iterdir() if (m := _KEPT.match(f.stem))}
    texts = seeds(pyramid=bool(kinds & {"pyramid", "department", "clubs"}))
    import copa.cli

    app = copa.cli.app
    fast_cli()
    try:
        out = []
        with tempfile.TemporaryDirectory(prefix="copa-fuzz-") as tmp:
            runner = Runner(Path(tmp), texts)
            runner.timeout = timeout
            for why in sorted(folder.glob("*.why")) + sorted(folder.glob("*.txt")):
                m = _KEPT.match(why.stem)
                if m is None or (why.suffix == ".txt" and (folder / f"{why.stem}.why").exists()):
                    continue
                kind = m["kind"]
                data_file = folder / f"{why.stem}{SUFFIX.get(kind, '.txt')}"
                if why.suffix == ".why":
                    args = json.loads(why.read_text(encoding="utf-8"))["args"]
                else:  # an older run's "ARGS\nDETAIL": the command is found by its text
                    line = why.read_text(encoding="utf-8").split("\n")[0]
                    known = {" ".join(c): c for c in COMMANDS.get(kind, [])}
                    args = known.get(line) or line.split(" ")
                    if kind == "wiki" and data_file == why:
                        continue  # (older runs wrote an article's input and notes to one name)
                data = data_file.read_bytes() if kind != "args" else b""
                o = runner.run(Task(int(m["index"]), kind, args, data))
                out.append(
                    {
                        "input": why.stem,
                        "was": m["verdict"],
                        "now": o.verdict,
                        "cpu_s": round(o.seconds, 3),
                        "detail": o.detail,
                    }
                )
        return out
    finally:
        copa.cli.app = app  # the caller's process gets typer's app back


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    ap.add_argument("--keep", type=Path, help="save the inputs that fail here")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--minutes", type=float, help="start no new input after this many minutes")
    ap.add_argument(
        "--e2e", type=int, default=0, help="also run this many inputs as real copa processes"
    )
    ap.add_argument("--log", type=Path, help="append a progress line here every --every inputs")
    ap.add_argument("--every", type=int, default=500)
    ap.add_argument("--replay", type=Path, help="run the inputs a --keep folder holds again")
    a = ap.parse_args(argv)
    if a.replay is not None:
        again = replay(a.replay, a.timeout)
        for r in again:
            print(json.dumps(r, ensure_ascii=False), file=sys.stderr)
        summary = {"replayed": len(again), "now": dict(Counter(r["now"] for r in again))}
        print(json.dumps(summary))
        return summary
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    wanted = set(a.kinds.split(",")) if a.kinds else None
    texts = seeds(pyramid=wanted is None or bool(wanted & {"pyramid", "clubs"}))
    if wanted:
        texts = {k: v for k, v in texts.items() if k in wanted}
    import signal

    signal.signal(signal.SIGTERM, lambda *_: STOP.append(True))
    bad = preflight(texts)
    if bad:
        raise SystemExit("\n".join(bad))
    todo = tasks(texts, a.inputs, a.seed, a.e2e)
    t0 = time.perf_counter()
    with Progress(
        TextColumn("[bold]fuzz"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=a.quiet,
    ) as bars:
        bar = bars.add_task("", total=len(todo))

        def progress(t: Tally) -> None:
            c = t.counts
            done = sum(c.values())
            bars.update(
                bar,
                completed=done,
                description=f"tb {c['traceback']} hang {c['hang']} silent {c['silent']} "
                f"messy {c['messy']}",
            )
            if a.log is not None and (done % a.every == 0 or done == len(todo)):
                took = time.perf_counter() - t0
                rate = done / took if took else 0.0
                left = (len(todo) - done) / rate if rate else 0.0
                with a.log.open("a", encoding="utf-8") as f:
                    f.write(
                        f"{time.strftime('%H:%M:%S')} {done}/{len(todo)} "
                        f"{rate:.1f}/s eta {left / 60:.0f} min | clean {c['clean']} "
                        f"unchanged {c['unchanged']} changed {c['changed'] + c['accepted']} | "
                        f"traceback {c['traceback']} hang {c['hang']} silent {c['silent']} "
                        f"messy {c['messy']} | e2e {dict(t.e2e)} | "
                        f"slowest {t.slowest:.1f} s\n"
                    )

        until = time.monotonic() + 60 * a.minutes if a.minutes else None
        try:
            tally = run_all(todo, texts, a.workers, a.timeout, progress, a.keep, until)
        except WorkerDied as e:  # one line, not a traceback (nor a wait for ever)
            raise SystemExit(str(e)) from None
    c = tally.counts
    result = {
        "inputs": sum(c.values()),
        "clean_errors": c["clean"],
        "accepted_unchanged": c["unchanged"],
        "accepted_changed_valid": c["changed"] + c["accepted"],
        "silent_changes": c["silent"],
        "messy_errors": c["messy"],
        "tracebacks": c["traceback"],
        "hangs": c["hang"],
        "timeout_s": a.timeout,
        "slowest_cpu_s": round(tally.slowest, 2),
        "starved_waits": tally.starved,
        "seconds": round(time.perf_counter() - t0, 1),
        "seed": a.seed,
        "planned": len(todo),
        "end_to_end": {"runs": sum(tally.e2e.values()), "differs": tally.e2e["differs"]},
        "by_kind": {k: dict(v) for k, v in sorted(tally.by_kind.items())},
        "by_command": dict(sorted(tally.by_command.items())),
        "examples": tally.examples,
    }
    for verdict, lines in tally.examples.items():
        for line in lines:
            print(f"{verdict}: {line}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
