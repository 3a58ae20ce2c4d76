"""Results copa invented are labelled in every export (issue 7 §4: "show, table and the
exports label simulated results, so a real season file is never silently mixed with
invented ones").

The bundled 2011 season with a hand-picked set of its matches marked simulated
(group matches, a group's deciding match, a two-legged tie's second leg and its
deciding match, a single-match final, the national final's second leg) goes
through the JSON, CSV (matches and standings) and wiki exports and back through
the CSV and wiki importers; then ``copa play -o`` output goes through the real
``copa export`` of every format, with one result typed by hand that must stay
unlabelled.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from copa.core.match import Match
from copa.core.resolve import resolve
from copa.core.season import Season
from copa.sinks.export_csv import matches_csv, standings_csv
from copa.sinks.export_json import to_json
from copa.sinks.wiki_export import SIMULATED_NOTE, SIMULATED_REF, season_wikitext
from copa.sources.import_csv import import_csv
from copa.sources.wiki.importer import import_wiki
from copa.spec.formats import dump_format, format_of, parse_format
from copa.spec.seasons import find_season

Pick = Callable[[str, str, str, int, Match], bool]


def mark(season: Season, pick: Pick) -> Season:
    """``season`` with the matches ``pick(stage, round, where, index, match)`` chooses simulated.

    ``where`` is a group's name (index into its matches, -1 for its deciders) or
    ``"tie"`` (index = leg, -1 for the deciding match).
    """

    def sim(m: Match, yes: bool) -> Match:
        return dataclasses.replace(m, simulated=True) if yes else m

    stages = []
    for s in season.stages:
        rounds = []
        for r in s.rounds:
            groups = tuple(
                dataclasses.replace(
                    g,
                    matches=tuple(
                        sim(m, pick(s.name, r.name, g.name, i, m)) for i, m in enumerate(g.matches)
                    ),
                    deciders=tuple(sim(m, pick(s.name, r.name, g.name, -1, m)) for m in g.deciders),
                )
                for g in r.groups
            )
            ties = tuple(
                dataclasses.replace(
                    t,
                    legs=tuple(
                        sim(m, pick(s.name, r.name, "tie", i, m)) for i, m in enumerate(t.legs)
                    ),
                    decider=None
                    if t.decider is None
                    else sim(t.decider, pick(s.name, r.name, "tie", -1, t.decider)),
                )
                for t in r.ties
            )
            rounds.append(dataclasses.replace(r, groups=groups, ties=ties))
        stages.append(dataclasses.replace(s, rounds=tuple(rounds)))
    return dataclasses.replace(season, stages=tuple(stages))


def picked(stage: str, rnd: str, where: str, i: int, m: Match) -> bool:
    teams = {m.home, m.away}
    return (
        (stage, where) == ("Region III", "Group A")  # its 3 matches and its deciding match
        or (stage, where) == ("Region VIII", "Group B")
        and i >= 0  # 12 matches, not the decider
        # Region I, first stage: Atlético Grau v José Chiroque Cielo, leg 2 and the decider
        or (stage, rnd, where) == ("Region I", "First stage", "tie")
        and teams == {"Atlético Grau", "José Chiroque Cielo"}
        and i in (1, -1)
        or (stage, rnd) == ("Region IV", "Regional Final")  # Pacífico v Géminis, one match
        or (stage, rnd, where, i) == ("National Stage", "Final", "tie", 1)  # the final's leg 2
    )


#: 3 + 1 + 12 + 2 + 1 + 1 matches (the 2011 season's own counts)
PICKED = 20


def key(m: Match) -> tuple[str, str, int | None, int | None]:
    f = m.score
    return (m.home, m.away, f.home if f else None, f.away if f else None)


def marked_2011() -> Season:
    season = mark(find_season("2011"), picked)
    assert sum(1 for _, m in resolve(season).matches() if m.simulated) == PICKED
    return season


def test_json_labels_every_invented_result_and_counts_them() -> None:
    data = to_json(resolve(marked_2011()))
    assert data["matches_simulated"] == PICKED
    assert to_json(resolve(find_season("2011")))["matches_simulated"] == 0
    ties = {tuple(t["teams"]): t for t in data["ties"]}
    final = ties[("Real Garcilaso", "Pacífico")]
    assert [leg.get("simulated", False) for leg in final["legs"]] == [False, True]


def test_csv_matches_label_invented_results_and_import_back_labelled() -> None:
    season = marked_2011()
    text = matches_csv(resolve(season))
    rows = list(csv.DictReader(io.StringIO(text)))
    sim = [r for r in rows if r["simulated"] == "true"]
    assert len(sim) == PICKED
    assert {r["simulated"] for r in rows} == {"true", ""}
    by_pair = {(r["home"], r["away"], r["round"]): r["simulated"] for r in rows}
    assert by_pair[("Pacífico", "Real Garcilaso", "Final")] == "true"  # leg 2, Pacífico hosts
    assert by_pair[("Real Garcilaso", "Pacífico", "Final")] == ""
    # imported back (with the season's format): the same results, the same labels
    fmt = parse_format(dump_format(format_of(season)), "2011.format.yaml")
    clubs = "name,aliases,department,province,district,location\n" + "".join(
        f"{c.name},{';'.join(c.aliases)},{c.department},{c.province},{c.district},{c.location}\n"
        for c in season.clubs
    )
    imp = import_csv(text.encode(), "2011.csv", fmt, clubs.encode(), "clubs.csv")
    got = sorted(key(m) for _, m in resolve(imp.season).matches() if m.simulated)
    want = sorted(key(m) for _, m in resolve(season).matches() if m.simulated)
    assert got == want and len(got) == PICKED


def test_csv_standings_count_each_clubs_invented_results() -> None:
    season = marked_2011()
    rows = list(csv.DictReader(io.StringIO(standings_csv(resolve(season)))))
    vb = {r["team"]: int(r["simulated"]) for r in rows if r["stage"] == "Region VIII"}
    (group_b,) = [g for r in season.stages[-2].rounds for g in r.groups if g.name == "Group B"]
    # every counted match of Group B was marked: each club's count is its played matches
    for club in group_b.clubs:
        assert vb[club] == sum(1 for m in group_b.matches if club in (m.home, m.away))
    assert all(int(r["simulated"]) == 0 for r in rows if r["stage"] in ("Region V", "Region II"))


def test_wiki_marks_each_invented_result_with_one_footnote_and_imports_back() -> None:
    season = marked_2011()
    wiki = season_wikitext(resolve(season))
    # the 20 results, plus the infobox's winners (the champion rests on an invented result)
    assert wiki.count(SIMULATED_REF) == PICKED + 1
    assert re.search(r"\| winners = Real Garcilaso" + re.escape(SIMULATED_REF), wiki)
    assert wiki.count(f'<ref name="simulated">{SIMULATED_NOTE}</ref>') == 1
    notes = wiki[wiki.index("==Notes==") :]
    assert SIMULATED_NOTE in notes
    # the real 2011 export carries no such mark
    assert SIMULATED_REF not in season_wikitext(resolve(find_season("2011")))
    # the copa-written article reads back with the same results and the same labels
    imp = import_wiki(wiki, "2011.wiki")
    assert imp.season == season


def copa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copa.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_copa_play_output_is_labelled_in_every_export(tmp_path: Path) -> None:
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv

    (tmp_path / "clubs.csv").write_text(clubs_csv(synthetic_clubs(400, 3)), encoding="utf-8")
    r = copa("new-season", "2019", "clubs.csv", "-o", "s.yaml", "--seed", "3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    first = re.search(
        r'teams: \["([^"]+)", "([^"]+)"\], legs: \[scheduled\]',
        (tmp_path / "s.yaml").read_text(encoding="utf-8"),
    )
    assert first is not None
    home, away = first.groups()
    r = copa("result", "s.yaml", f"{home} 4-3 {away}", "--by", "ana", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = copa("play", "s.yaml", "-o", "p.yaml", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr

    def export(*fmt: str) -> str:
        out = copa("export", "p.yaml", *fmt, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return out.stdout

    data = json.loads(export("--format", "json"))
    played = data["matches_played"]
    # the input had one real result; every other result in the output was invented
    assert data["matches_simulated"] == played - 1 > 0
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", "--what", "matches"))))
    real = [r for r in rows if r["status"] == "played" and r["simulated"] == ""]
    assert [(r["home"], r["away"], r["home_goals"], r["away_goals"]) for r in real] == [
        (home, away, "4", "3")
    ]
    assert sum(r["simulated"] == "true" for r in rows) == played - 1
    table = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert table and all(int(r["simulated"]) == int(r["played"]) for r in table)
    wiki = export("--format", "wiki")
    assert wiki.count(SIMULATED_REF) >= 1 and SIMULATED_NOTE in wiki
    assert f"{home}||4–3{SIMULATED_REF}|" not in wiki and f"{home}||4–3|{away}" in wiki
    # and show, table and bracket say so
    shown = copa("show", "p.yaml", cwd=tmp_path)
    assert f"simulated: {played - 1} results in this season were invented" in shown.stdout
    (tie_stage,) = {r["stage"] for r in rows if r["home"] == home and r["away"] == away}
    other = next(r["stage"] for r in rows if r["simulated"] and r["group"] == "")
    drawn = copa("bracket", "p.yaml", "--stage", other, cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert f"simulated: 1 results in {other} were invented" in drawn.stdout
    real_one = copa("bracket", "p.yaml", "--stage", tie_stage, cwd=tmp_path)
    assert real_one.returncode == 0 and "simulated" not in real_one.stdout
    league = next(r for r in table if int(r["simulated"]) > 0)
    listed = copa("table", "p.yaml", f"{league['stage']} {league['group']}", cwd=tmp_path)
    assert "were invented by copa play" in listed.stdout, listed.stdout + listed.stderr


def test_results_import_keeps_a_rows_simulated_label(tmp_path: Path) -> None:
    from copa.spec.season_file import load_season

    season = tmp_path / "s.yaml"
    season.write_text(
        """copa: 1
competition: Liga Distrital
season: "2026"
clubs: [{name: Alfa}, {name: Beta}, {name: Gamma}]
stages:
  - name: League
    kind: district
    rounds:
      - name: League
        legs: 1
        advance: {top: 1}
        groups:
          - name: Table
            clubs: [Alfa, Beta, Gamma]
            matches:
              - Alfa v Beta | matchday 1
              - Beta v Gamma | matchday 2
              - Gamma v Alfa | matchday 3
""",
        encoding="utf-8",
    )
    (tmp_path / "r.csv").write_text(
        "local,visitante,goles_local,goles_visitante,simulado\n"
        "Alfa,Beta,2,1,\nBeta,Gamma,0,0,true\n",
        encoding="utf-8",
    )
    r = copa("results", "import", "s.yaml", "r.csv", "--by", "ana", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ms = {(m.home, m.away): m for m in load_season(season).stages[0].rounds[0].groups[0].matches}
    assert not ms[("Alfa", "Beta")].simulated and ms[("Alfa", "Beta")].counts
    assert ms[("Beta", "Gamma")].simulated and ms[("Beta", "Gamma")].counts
    before = season.read_bytes()
    (tmp_path / "bad.csv").write_text(
        "home,away,home_goals,away_goals,simulated\nGamma,Alfa,1,1,maybe\n", encoding="utf-8"
    )
    bad = copa("results", "import", "s.yaml", "bad.csv", cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "simulated" in bad.stderr and season.read_bytes() == before


def test_svg_bracket_stars_invented_scores_and_says_so_in_its_legend() -> None:
    from copa.core.bracket import bracket
    from copa.sinks.svg_bracket import bracket_svg

    legend = "*: simulated by copa play, not played"
    real = bracket_svg(bracket(resolve(find_season("2011")).stages[-1]))
    assert legend not in real and "*<" not in real
    svg = bracket_svg(bracket(resolve(marked_2011()).stages[-1]))
    assert legend in svg
    # only the national final's second leg was marked (Pacífico 1-0 Real Garcilaso):
    # its two leg-2 cells and the final's two aggregates carry the star, nothing else
    starred = re.findall(r">(\d+)\*<", svg)
    assert sorted(starred) == sorted(["0", "1", "3", "2"])  # legs 0 and 1, aggregate 3-2
