"""The season writer writes, byte for byte, what copa's two season writers wrote.

``tests/data/written/`` holds files written at commit 59c5f5e, when copa had
two writers (``season_writer.write_season`` for plain seasons,
``pyramid_file.write_pyramid_season`` for pyramid ones), made with:

* ``2011-plain.yaml.gz``: the bundled 2011 season written out in full (no structure),
  with a two-line header;
* ``upgraded-2011.yaml``: ``copa upgrade`` of ``tests/data/old/2011.yaml``
  (``structure: copa-peru-2011``);
* ``import-*.yaml``: ``copa import`` of ``liga-huanta-2024.wiki`` (a ``wiki:``
  section), ``footballtxt-cup.txt`` and ``copa-peru-2011-national.json`` (with
  their format files, and the clubs CSV), run in ``tests/data``;
* ``random-seasons.json.gz``: 40 random seasons of ``tests/test_roundtrip.py``
  (hypothesis, derandomized), written plain;
* ``generate-2011-392-seed3.yaml.gz``: ``copa generate --clubs 392 --seed 3
  --pyramid 2011`` (a whole season, played to the champion);
* ``new-season-2019-cusco.yaml``: ``copa new-season 2019 clubs.csv --seed 4
  --department Cusco`` (400 synthetic clubs, seed 5; stages with no rounds yet);
* ``half-played-2019-history.yaml.gz``: ``copa new-season 2019`` (seed 6), then
  ``copa play --in-place`` and ``copa advance`` twice, then three ``copa result``
  entries (a result, a match not played, a correction): half played, with a
  history;
* ``extra-rules-2019-cusco.yaml``: the Cusco season played on, with a group round's
  and a knockout round's rules changed to ones the format does not name
  (``rules_1``, ``rules_2``).

``tests/data/old/`` adds four more pyramid files (``tests/test_old_files.py``) that
the pyramid writer of that commit wrote back unchanged. The expected text is
the file itself: reading it and writing it again must give every byte back.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from copa.core.group import Adjustment
from copa.spec.pyramid_file import PyramidSeason, is_pyramid_text, parse_pyramid_season
from copa.spec.season_file import (
    ErrorLocator,
    SeasonModel,
    build,
    load_mapping,
    parse_season,
    validate,
)
from copa.spec.season_writer import SeasonWriteError, header_of, write_season

DATA = Path(__file__).parent / "data"
WRITTEN = DATA / "written"
FILES = sorted(p.name for p in WRITTEN.glob("*.yaml*"))
OLD = ["generated-2019", "new-season-2011", "played-2011", "played-2019"]


def text_of(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def rewritten(text: str) -> str:
    """``text`` read and written again, with whatever the file says of how it was written."""
    if is_pyramid_text(text):
        ps = parse_pyramid_season(text, "written.yaml")
        return write_season(
            ps.season, pyramid=ps.pyramid, format_data=ps.format_data, history=ps.history
        )
    err = ErrorLocator("written.yaml", text)
    data = load_mapping(text, "written.yaml", "a season file")
    model = validate(SeasonModel, data, err)
    structure = str(data.get("structure", ""))
    season = build(model, err)
    return write_season(season, header_of(text), model.wiki, structure, history=model.history)


@pytest.mark.parametrize("name", FILES)
def test_a_written_file_is_written_again_byte_for_byte(name: str) -> None:
    text = text_of(WRITTEN / name)
    assert rewritten(text) == text


@pytest.mark.parametrize("name", OLD)
def test_an_old_pyramid_file_is_written_again_byte_for_byte(name: str) -> None:
    text = text_of(DATA / "old" / f"{name}.yaml.gz")
    assert rewritten(text) == text


def test_random_seasons_are_written_again_byte_for_byte() -> None:
    texts = json.loads(text_of(WRITTEN / "random-seasons.json.gz"))
    assert len(texts) == 40
    for text in texts:
        assert rewritten(text) == text


def test_the_files_are_of_both_kinds() -> None:
    # the golden set covers both writers, and what each kind may hold
    texts = {name: text_of(WRITTEN / name) for name in FILES}
    pyramid = {n for n, t in texts.items() if is_pyramid_text(t)}
    assert pyramid == {
        "extra-rules-2019-cusco.yaml",
        "generate-2011-392-seed3.yaml.gz",
        "half-played-2019-history.yaml.gz",
        "new-season-2019-cusco.yaml",
    }
    assert "\nhistory:\n" in texts["half-played-2019-history.yaml.gz"]
    assert "\n  rules_2:\n" in texts["extra-rules-2019-cusco.yaml"]
    assert "\n    rounds: []\n" in texts["new-season-2019-cusco.yaml"]
    assert "\nwiki:\n" in texts["import-huanta-wiki.yaml"]
    assert "\nstructure: copa-peru-2011\n" in texts["upgraded-2011.yaml"]


# ------------------------------------------------------------ what one writer adds


def _pyramid_season(name: str) -> PyramidSeason:
    return parse_pyramid_season(text_of(WRITTEN / name), name)


def test_a_pyramid_season_written_plain_reads_back_the_same() -> None:
    # the pyramid fields (units, earlier places, plans, draws) are optional parts of
    # any season file: without its pyramid block the season is still all there
    season = _pyramid_season("extra-rules-2019-cusco.yaml").season
    text = write_season(season)
    assert not is_pyramid_text(text) and "\n    entrants_from: [" in text
    assert parse_season(text, "plain.yaml") == season


def test_a_pyramid_season_keeps_what_only_plain_files_kept() -> None:
    # the pyramid layout shares the group and tie writers: a points deduction and a
    # tie's claimed winner, typed into a pyramid season, are written back
    ps = _pyramid_season("extra-rules-2019-cusco.yaml")
    stages = list(ps.season.stages)
    si = next(i for i, s in enumerate(stages) if s.rounds and s.rounds[0].groups)
    ti = next(i for i, s in enumerate(stages) if s.rounds and s.rounds[0].ties)
    rnd = stages[si].rounds[0]
    g = rnd.groups[0]
    deduction = Adjustment(g.clubs[0], -3, "fielded an ineligible player")
    groups = (replace(g, adjustments=(deduction,)), *rnd.groups[1:])
    stages[si] = replace(stages[si], rounds=(replace(rnd, groups=groups), *stages[si].rounds[1:]))
    rnd = stages[ti].rounds[0]
    t = rnd.ties[0]
    ties = (replace(t, claimed_winner=t.teams[1]), *rnd.ties[1:])
    stages[ti] = replace(stages[ti], rounds=(replace(rnd, ties=ties), *stages[ti].rounds[1:]))
    season = replace(ps.season, stages=tuple(stages))
    text = write_season(season, pyramid=ps.pyramid, format_data=ps.format_data)
    assert "reason: fielded an ineligible player}" in text
    back = parse_pyramid_season(text, "again.yaml").season
    assert back.stages[si].rounds[0].groups[0].adjustments == (deduction,)
    assert back.stages[ti].rounds[0].ties[0].claimed_winner == t.teams[1]


def test_a_plain_stage_with_no_rounds_is_refused() -> None:
    # only a pyramid's stage may wait for its draw; a plain file would not read back
    ps = _pyramid_season("new-season-2019-cusco.yaml")
    empty = next(s.name for s in ps.season.stages if not s.rounds)
    with pytest.raises(SeasonWriteError, match=f"stage '{empty}' has no rounds"):
        write_season(ps.season)
    text = write_season(ps.season, pyramid=ps.pyramid, format_data=ps.format_data)
    assert f"  - name: {empty}\n" in text
