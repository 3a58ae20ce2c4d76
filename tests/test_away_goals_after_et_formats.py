"""``away_goals_after_extra_time`` in format files and pyramid formats, not only in seasons.

The hand-worked tie (the UEFA rule of 1965–2021): leg 1 A 1-0 B; leg 2 at B 1-0 after
90 minutes (aggregate 1-1, no away goal either side), 2-1 after extra time. After
extra time the aggregate is 2-2 and A has scored one away goal (in extra time), B none:
with the option A goes on by away goals; without it a shoot-out is needed.
"""

from __future__ import annotations

from pathlib import Path

from copa.core.resolve import resolve
from copa.core.synthetic import synthetic_clubs
from copa.sources.import_csv import import_csv
from copa.spec.formats import parse_format
from copa.spec.pyramid_format import parse_pyramid_format
from copa.spec.season_file import parse_season
from copa.spec.season_writer import write_season

FORMAT = """\
format: 1
competition: Test Cup
season: "2024"
rules:
  ko:
    tie: [aggregate, away_goals, extra_time, penalties]
    away_goals_after_extra_time: {flag}
stages:
  - name: Final stage
    kind: national
    rounds:
      - name: Final
        rules: ko
        advance: {{winners: true}}
"""
CSV = (
    "stage,round,home,away,home_goals,away_goals,home_goals_et,away_goals_et,leg\n"
    "Final stage,Final,A,B,1,0,,,1\n"
    "Final stage,Final,B,A,1,0,2,1,2\n"
)
CLUBS = "name,department\nA,Lima\nB,Cusco\n"


def _final(flag: str) -> object:
    fmt = parse_format(FORMAT.format(flag=flag), "cup.format.yaml")
    imp = import_csv(CSV.encode(), "final.csv", fmt, CLUBS.encode(), "clubs.csv")
    assert imp.notes == ()
    # the season written from the import keeps the option
    again = parse_season(write_season(imp.season), "again.yaml")
    assert again == imp.season
    (tie,) = resolve(again).stages[0].rounds[0].ties
    return tie


def test_a_format_file_sets_away_goals_after_extra_time() -> None:
    tie = _final("true")
    assert tie.tie.rules.away_goals_after_extra_time
    assert (tie.winner, tie.decided_by) == ("A", "away_goals")


def test_without_it_the_format_file_asks_for_penalties() -> None:
    tie = _final("false")
    assert tie.winner is None
    assert [i.message for i in tie.issues] == ["penalties are needed"]


def test_a_pyramid_format_sets_it_for_the_ties_it_draws() -> None:
    text = (Path(__file__).parents[1] / "src/copa/data/pyramids/copa-peru-2011.yaml").read_text(
        encoding="utf-8"
    )
    old = "  knockout:                     # aggregate, away goals, then penalties after the second leg\n    tie: [aggregate, away_goals, penalties]\n"
    assert old in text
    new = (
        "  knockout:\n    tie: [aggregate, away_goals, extra_time, penalties]\n"
        "    away_goals_after_extra_time: true\n"
    )
    fmt = parse_pyramid_format(text.replace(old, new), "p.yaml")
    (knockout,) = [r for name, r in fmt.rules if name == "knockout"]
    assert knockout.tie_rules().away_goals_after_extra_time
    from copa.core.pyramid import new_season
    from copa.core.simulate import play_out

    season, pyramid = new_season(fmt, synthetic_clubs(500, 1), 1)
    season = play_out(season, pyramid)  # draws every round
    ties = [t for s in season.stages for r in s.rounds for t in r.ties]
    chained = [t for t in ties if "extra_time" in t.rules.chain and "away_goals" in t.rules.chain]
    assert chained and all(t.rules.away_goals_after_extra_time for t in chained)
    # and the written pyramid season keeps it
    import yaml

    from copa.spec.pyramid_file import parse_pyramid_season

    data = yaml.safe_load(text.replace(old, new))
    back = parse_pyramid_season(
        write_season(season, pyramid=pyramid, format_data=data), "again.yaml"
    )
    assert back.season == season
    assert dict(back.pyramid.format.rules)["knockout"].away_goals_after_extra_time
    # the bundled format, without the option, draws ties without it
    plain = parse_pyramid_format(text, "p.yaml")
    season = play_out(*new_season(plain, synthetic_clubs(500, 1), 1))
    ties = [t for s in season.stages for r in s.rounds for t in r.ties]
    assert ties and not any(t.rules.away_goals_after_extra_time for t in ties)
