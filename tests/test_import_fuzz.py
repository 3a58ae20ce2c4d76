"""Fuzzing the importers: mangled and truncated input imports or fails clearly.

Each example takes a real source (the 2011 article, the CSV and football.json
files of ``tests/data``), cuts it short or mangles it (deleted, duplicated or
swapped lines, characters replaced by markup, digits, separators, quotes,
bytes that are not UTF-8) and imports it. The import must either give a
season or raise :class:`SeasonFileError` whose message names the file and a
line (``file:12: ...``); only errors about the file as a whole (nothing in
it fits the format, it names no season) may lack a line. Any other exception
fails the test.

Inputs tried per run: 200 wikitext, 300 CSV, 300 football.json mangled as text and
200 as data (keys dropped, values replaced by other JSON values), 200 Football.TXT:
1200 in all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copa.sources.import_csv import import_csv
from copa.sources.import_footballjson import import_footballjson
from copa.sources.import_footballtxt import import_footballtxt
from copa.sources.wiki.importer import import_wiki
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError
from tests.article2011 import SEED
from tests.test_import_csv import CLUBS, FORMAT
from tests.test_import_csv import MATCHES as CSV_FILE
from tests.test_import_footballjson import ROUNDS as JSON_FILE

WHOLE_FILE = ("nothing to import", "does not name the", "no such file", "empty file")
NAMED_LINE = re.compile(r"^[^:\n]+(?: \(preset\))?:\d+: ")


@st.composite
def mangled(draw: st.DrawFn, text: str, alphabet: str) -> bytes:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "delete", "duplicate", "swap", "chars", "bytes"]))
        n = len(lines)
        i = draw(st.integers(0, max(n - 1, 0)))
        if kind == "cut":
            body = "\n".join(lines)
            lines = body[: draw(st.integers(0, len(body)))].split("\n")
        elif kind == "delete" and n:
            del lines[i : i + draw(st.integers(1, 20))]
        elif kind == "duplicate" and n:
            lines.insert(i, lines[draw(st.integers(0, n - 1))])
        elif kind == "swap" and n:
            j = draw(st.integers(0, n - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "chars" and n and lines[i]:
            line = list(lines[i])
            for _ in range(draw(st.integers(1, 5))):
                line[draw(st.integers(0, len(line) - 1))] = draw(st.sampled_from(alphabet))
            lines[i] = "".join(line)
    data = "\n".join(lines).encode()
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff\xfe" + data[at:]
    return data


def check(call, data: bytes, source: str) -> None:
    try:
        call(data)
    except SeasonFileError as e:
        message = str(e)
        assert "\n" not in message and "Traceback" not in message
        assert NAMED_LINE.match(message) or any(w in message for w in WHOLE_FILE), message


PRESET = load_format("copa-peru-2011")
NATIONAL = load_format(str(FORMAT))
WIKI = (
    SEED.read_text(encoding="utf-8")
    if SEED.exists()
    else "{{Infobox football league season\n| competition = Copa Perú\n| season = 2011\n}}\n"
)
# the article from Region VII on: groups, ties, a bracket and the infobox, and quick to import
WIKI = (
    WIKI[: WIKI.index("=Region I=")] + WIKI[WIKI.index("=Region VII=") :]
    if "=Region VII=" in WIKI
    else WIKI
)
SETTINGS = dict(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@settings(max_examples=200, **SETTINGS)
@given(mangled(WIKI, "|{}[]=–—-0123456789\n'<>!() abc"))
def test_mangled_wikitext(data: bytes) -> None:
    check(lambda d: import_wiki(d, "article.txt", PRESET), data, "article.txt")


@settings(max_examples=300, **SETTINGS)
@given(mangled(CSV_FILE.read_text(encoding="utf-8"), ',"\n0123456789-x ;'))
def test_mangled_csv(data: bytes) -> None:
    clubs = CLUBS.read_bytes()
    check(lambda d: import_csv(d, "matches.csv", NATIONAL, clubs, "clubs.csv"), data, "matches.csv")


@settings(max_examples=300, **SETTINGS)
@given(mangled(JSON_FILE.read_text(encoding="utf-8"), '{}[],:"0123456789-\n tn'))
def test_mangled_football_json(data: bytes) -> None:
    check(lambda d: import_footballjson(d, "national.json", NATIONAL), data, "national.json")


FOOTBALL_TXT = (
    (Path(__file__).parent / "data" / "footballtxt-cup.txt").read_text(encoding="utf-8")
    + "\n"
    + (Path(__file__).parent / "data" / "footballtxt-league.txt").read_text(encoding="utf-8")
)
TXT_FORMAT = load_format(str(Path(__file__).parent / "data" / "footballtxt-cup.format.yaml"))


@settings(max_examples=200, **SETTINGS)
@given(mangled(FOOTBALL_TXT, "»▪=-–:()[], @#0123456789\n\tabc.p"))
def test_mangled_football_txt(data: bytes) -> None:
    check(lambda d: import_footballtxt(d, "cup.txt", TXT_FORMAT), data, "cup.txt")


values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 20) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["ft", "et", "p", "agg", "name", "team1"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)


@st.composite
def mangled_data(draw: st.DrawFn) -> bytes:
    data = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    nodes: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict | list):
            nodes.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(data)
    for _ in range(draw(st.integers(1, 4))):
        node = draw(st.sampled_from(nodes))
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            node[key] = draw(values)
        elif isinstance(node, dict):
            del node[key]
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


@settings(max_examples=200, **SETTINGS)
@given(mangled_data())
def test_mangled_football_json_data(data: bytes) -> None:
    check(lambda d: import_footballjson(d, "national.json", NATIONAL), data, "national.json")
