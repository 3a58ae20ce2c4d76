"""The engine's own check of a season's data: what the rules themselves rule out.

Penalties recorded on a tie the score already decided, extra time on a tie the
rules settle without it, a deciding match whose own record contradicts itself:
these are errors in the data whatever is played later. The engine finds them here,
once, for every season however it was read; a reader only maps each one back to
the line of its file (``copa.spec``), and never runs the rules itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.issues import Issue, Severity
from copa.core.resolve import SINGLE_MATCH
from copa.core.season import Season
from copa.core.tie import Tie, resolve_tie


@dataclass(frozen=True, slots=True)
class Finding:
    """An error and where it is: stage and round by index, then a tie, or a group's decider.

    Indexes, not names: a reader maps them back to the line of its own file
    (:func:`copa.spec.season_file.finding_path`).
    """

    issue: Issue
    stage: int
    round: int
    #: the tie's index in its round, when the error is in a tie
    tie: int | None = None
    #: the group's index in its round, when the error is in a group (or its decider)
    group: int | None = None
    #: the decider's index among its group's deciding matches
    decider: int | None = None


def check(season: Season) -> tuple[Finding, ...]:
    """Every error in ``season``'s recorded results, in the order of the season."""
    out: list[Finding] = []
    for si, stage in enumerate(season.stages):
        for ri, rnd in enumerate(stage.rounds):
            for gi, g in enumerate(rnd.groups):
                for di, d in enumerate(g.deciders):
                    res = resolve_tie(Tie((d.home, d.away), (d,), SINGLE_MATCH))
                    out.extend(
                        Finding(i, si, ri, group=gi, decider=di) for i in _errors(res.issues)
                    )
            for ti, t in enumerate(rnd.ties):
                out.extend(Finding(i, si, ri, tie=ti) for i in _errors(resolve_tie(t).issues))
    return tuple(out)


def _errors(issues: tuple[Issue, ...]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]
