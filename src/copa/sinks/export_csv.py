"""CSV exports: standings (one row per club and group) and matches (one row per match).

The matches file uses the columns documented in ``docs/import.md``,
the same ones the CSV importer reads (one home: :mod:`copa.spec.matches_csv`).
Results ``copa play`` invented are labelled: ``simulated`` is ``true`` on such
a match row, and on a standings row it counts the club's invented results the
row includes.
"""

from __future__ import annotations

import csv
import io

from copa.core.notes import group_notes, notes_text
from copa.core.resolve import SeasonResult
from copa.spec.matches_csv import MATCH_COLUMNS

STANDINGS_COLUMNS = (
    "stage",
    "round",
    "group",
    "position",
    "team",
    "played",
    "won",
    "drawn",
    "lost",
    "goals_for",
    "goals_against",
    "goal_difference",
    "points",
    "note",
    "status",
    "best_position",
    "worst_position",
    "provisional",
    "simulated",
)


def standings_csv(result: SeasonResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(STANDINGS_COLUMNS)
    for rr in result.rounds():
        for g in rr.groups:
            notes = notes_text(group_notes(rr, g))
            outlooks = {o.club: o for o in g.outlook}
            provisional = "" if g.complete else "provisional"
            invented: dict[str, int] = {}
            for m in g.group.matches:
                if m.simulated and m.counts:
                    for club in (m.home, m.away):
                        invented[club] = invented.get(club, 0) + 1
            for s in g.table.standings:
                o = outlooks.get(s.club)
                w.writerow(
                    (
                        rr.stage,
                        rr.round.name,
                        g.group.name,
                        s.position,
                        s.club,
                        *s.figures,
                        notes[s.club],
                        o.status.value if o else "",
                        o.best if o else "",
                        o.worst if o else "",
                        provisional,
                        invented.get(s.club, 0),
                    )
                )
    return buf.getvalue()


def _goals(score: object, side: str) -> object:
    return getattr(score, side) if score is not None else ""


def matches_csv(result: SeasonResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MATCH_COLUMNS)
    for rr in result.rounds():
        rows = []
        for g in rr.groups:
            rows += [(g.group.name, rr.round.name, "", m) for m in g.group.matches]
            rows += [(g.group.name, "Tiebreaker", "", m) for m in g.group.deciders]
        for t in rr.ties:
            n = len(t.tie.legs)
            rows += [
                ("", rr.round.name, str(i + 1) if n > 1 else "", m)
                for i, m in enumerate(t.tie.legs)
            ]
            if t.tie.decider is not None:
                rows.append(("", rr.round.name, "decider", t.tie.decider))
        for group, round_name, leg, m in rows:
            w.writerow(
                (
                    m.date or "",
                    rr.stage,
                    round_name,
                    group,
                    m.home,
                    m.away,
                    _goals(m.score, "home"),
                    _goals(m.score, "away"),
                    _goals(m.extra_time, "home"),
                    _goals(m.extra_time, "away"),
                    _goals(m.penalties, "home"),
                    _goals(m.penalties, "away"),
                    leg,
                    m.status.value,
                    m.recorded_winner or "",
                    m.shot_first or "",
                    "true" if m.simulated else "",
                )
            )
    return buf.getvalue()
