"""The fast reader of copa's own YAML (copa.spec.quickread) against the full reader.

The full reader (``yamlkit.load_composed``: libyaml's composer and the strict
walker) is the oracle: on every text the fast reader either gives exactly the
same values (types included) or gives up (UNSURE), and it always gives up on
text the full reader refuses, so every error keeps its message and line.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copa.core.season import Season
from copa.spec import yamlkit
from copa.spec.errors import SeasonFileError
from copa.spec.quickread import UNSURE, read
from copa.spec.season_file import parse_season
from copa.spec.season_writer import write_season
from tests.test_roundtrip import seasons

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    [*(ROOT / "tests").rglob("*.yaml"), *(ROOT / "src" / "copa" / "data").rglob("*.yaml")]
)


def _text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def same(text: str) -> object:
    """The fast reader's value, checked against the full reader's (or its refusal)."""
    fast = read(text)
    try:
        full = yamlkit.load_composed(text)
    except yamlkit.YamlError:
        assert fast is UNSURE, "the fast reader accepted text the full reader refuses"
        return UNSURE
    if fast is not UNSURE:
        assert fast == full
        assert repr(fast) == repr(full)  # the same types too: 1 is not True, "1" is not 1
    return fast


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_in_the_repository_reads_the_same(path: Path) -> None:
    assert same(_text(path)) is not UNSURE  # copa's own files are all in the fast shapes


def test_files_written_before_read_the_same() -> None:
    data = ROOT / "tests" / "data"
    old = sorted([*(data / "old").glob("*.yaml*"), *(data / "written-before").glob("*.yaml*")])
    assert len(old) >= 5
    for path in old:
        text = _text(path)
        value = same(text)
        # older copa wrote anchors (&id001) for a format's repeated levels: those
        # files are read the full way, as before
        assert (value is UNSURE) == ("&id0" in text), path.name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seasons())
def test_every_season_the_writer_produces_reads_the_same(season: Season) -> None:
    text = write_season(season)
    assert same(text) is not UNSURE
    assert parse_season(text) == season


def test_a_generated_pyramid_season_reads_the_same(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from copa.cli import app

    out = tmp_path / "s.yaml"
    done = CliRunner().invoke(app, ["generate", "--clubs", "400", "-o", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    assert same(out.read_text(encoding="utf-8")) is not UNSURE


# hand-picked shapes: what YAML makes of them, not what the fast reader guesses
@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: no\nc: on\nd: ~\ne: null\nf: 0x1f\ng: 0o17\nh: 017\ni: 1_000\n",
        "a: 1:20\nb: 2019-05-01\nc: .inf\nd: -6.23\ne: 1e3\nf: +1\ng: -0\n",
        "a: [yes, 1:20, 2019-05-01, '1', \"2\", -1, x y]\n",
        "a: {b: 1, c: [d, {e: f}]}\n",
        'a: {"b": 1, "c": null, "d": true, "e": "yes"}\n',
        "a: x # a comment\nb: 'q' # another\nc: [1, 2]   # more\n",
        "a: x#y\nb: x #y\n",
        "a:\n- 1\n- 2\nb:\n  - x: 1\n    y: 2\n  - - 3\n    - 4\n",
        "a: |\n  one\n   two\n  three\nb: 1\n",
        "a: |-\n  one\n  two\n\nb: >-\n  one\n  two\nc: >\n  x\n",
        "a: |\n  one\n\n  two\n",
        "a: |\n  one  \n",
        "1: x\n2: y\n'3': z\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "a: {b: 1, b: 2}\n",
        'a: {"b": 1, "b": 2}\n',
        "a: [1, 2,]\n",
        "a: [1,\n  2]\n",
        "a: long\n  continued\n",
        "a:\tx\n",
        "a: x\r\nb: y\r\n",
        "a: x\x85b: y\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "- a\n- b\n",
        'a: "x\\ty"\n',
        "a: 'it''s'\n",
        "a: x: y\n",
        "a: 1\n  b: 2\n",
        "a: [x]]\n",
        '"a": 1\n"b c": [d]\n',
        "a: " + "9" * 101 + "\n",
        "a: [" + "9" * 101 + "]\n",
        "a: 2019-02-30\n",
        "? a\n: b\n",
        "a: b\n# the end\n",
        "",
        "# only a comment\n",
        # club lines (one pattern): keys typed as YAML types them, repeats, odd values
        '- {name: "A: b", district: "#x", province: "", department: "[y]"}\n',
        '- {yes: "a", on: "b"}\n- {null: "x", y: "z", n: "w"}\n',
        '- {name: "a", name: "b"}\n',
        '- {name: "a\\"b"}\n',
        '- {name: "a"} # c\n- {name: "a"}  \n- {name: "a",}\n- {name:"a"}\n',
        # JSON lines of one skeleton (read at once when seen before), then others
        '- ["a", "b"]\n- ["c", "d"]\n- [yes, "d"]\n- ["e", 01]\n- ["e", 1]\n',
        '- ["a", "b"]\n- ["f"x, "g"]\n',
        '- {"a": 1, "b": [null, true]}\n- {"c": 2, "d": [null, true]}\n',
        '- {"a": 1, "b": 2}\n- {"a": 1, "a": 2}\n',
        '- {name: "a", district: "b"}\n- {name: "c", district: "d"}\n',
    ],
)
def test_shapes_read_as_yaml_reads_them(text: str) -> None:
    same(text)


_SPECIAL = list(":#&*!|>'\"[]{},-? \t\n\r\x85%@`~\\") + ["  ", "- ", ": ", " #", "\n  "]


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A season file written by copa, then mangled a few times."""
    text = write_season(draw(seasons()))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["insert", "delete", "dupline", "swap", "indent"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(_SPECIAL)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        else:
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "dupline":
                lines.insert(j, lines[i])
            elif kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
            text = "\n".join(lines)
    return text


def _outcome(text: str) -> object:
    try:
        return parse_season(text, "m.yaml")
    except SeasonFileError as e:
        return str(e)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_mangled_files_read_the_same_or_fall_back_with_the_same_error(text: str) -> None:
    same(text)
    # and the whole reading (values, checks, error line and message) is today's
    import copa.spec.quickread as quick

    fast = _outcome(text)
    saved = quick.read
    quick.read = lambda t: UNSURE  # type: ignore[assignment]
    try:
        full = _outcome(text)
    finally:
        quick.read = saved
    assert fast == full
