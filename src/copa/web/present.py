"""What the public pages show, laid out from the engine's result (no rule is computed here).

Statuses (clasificado / eliminado / en disputa) come from the engine's
progress API when it is there (``RoundResult.status_of``); until then a club
is only called qualified or out when its round (or its tie) is finished.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from copa.core import GroupResult, RoundResult, SeasonResult, StageResult, TieResult
from copa.core.criteria import criterion
from copa.core.issues import Severity
from copa.core.match import Match, MatchStatus, Score
from copa.core.tie import LABELS
from copa.wording import status_text

QUALIFIED, OUT, OPEN = "qualified", "out", "open"


def round_complete(rr: RoundResult) -> bool:
    if any(i.severity is Severity.PENDING for i in rr.issues):
        return False
    return all(group_complete(g) for g in rr.groups) and all(t.winner is not None for t in rr.ties)


def group_complete(g: GroupResult) -> bool:
    if g.table.pending:
        return False
    matches = (*g.group.matches, *g.group.deciders)
    return not any(m.status is MatchStatus.SCHEDULED for m in matches)


def club_status(rr: RoundResult, club: str) -> str:
    status_of = getattr(rr, "status_of", None)
    if status_of is not None:
        try:
            return str(status_of(club).value)
        except (KeyError, ValueError):
            pass
    if round_complete(rr):
        return QUALIFIED if club in rr.qualifiers else OUT
    adv = rr.round.advance
    for g in rr.groups:
        if club in g.group.clubs and group_complete(g) and not adv.best and not adv.designated:
            return QUALIFIED if club in g.qualified else OUT
    for t in rr.ties:
        decided = t.winner is not None and adv.winners
        if club in t.tie.teams and decided and not adv.best_losers and not adv.designated:
            return QUALIFIED if t.winner == club else OUT
    return OPEN


def crit_label(name: str | None) -> str:
    if name is None:
        return _("level on every criterion")
    try:
        return _(criterion(name).label)
    except KeyError:
        return _(LABELS.get(name, name))


def match_text(m: Match) -> str:
    if m.score is None:
        return _("not played") if m.status is MatchStatus.NOT_PLAYED else "–"
    parts = [_dash(m.score)]
    if m.extra_time is not None:
        parts.append(f"({_('a.e.t.')} {_dash(m.extra_time)})")
    if m.penalties is not None:
        parts.append(f"({_dash(m.penalties)} {_('pen.')})")
    marks = {MatchStatus.WALKOVER: "(W.O.)", MatchStatus.AWARDED: f"({_('awarded')})"}
    if m.status in marks:
        parts.append(marks[m.status])
    text = " ".join(parts)
    return f"{_('annulled')} ({text})" if m.status is MatchStatus.ANNULLED else text


def _dash(score: Score) -> str:
    return f"{score.home}–{score.away}"


@dataclass
class Row:
    position: int
    club: str
    slug: str
    played: int
    won: int
    drawn: int
    lost: int
    gf: int
    ga: int
    gd: int
    points: int
    status: str
    status_label: str
    note: str


@dataclass
class GroupView:
    name: str
    rows: list[Row]
    explanations: list[str]
    chain: str
    pending: list[str]
    deciders: list[str]


@dataclass
class LegView:
    home: str
    away: str
    score: str


@dataclass
class TieView:
    teams: tuple[str, str]
    slugs: tuple[str, str]
    legs: list[LegView]
    aggregate: str
    winner: str | None
    how: str
    statuses: tuple[str, str]
    waiting: bool


@dataclass
class RoundView:
    name: str
    groups: list[GroupView] = field(default_factory=list)
    ties: list[TieView] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    complete: bool = False
    selections: list[str] = field(default_factory=list)


def places_map(result: SeasonResult) -> dict[str, tuple[str, ...]]:
    return {s.stage.name: (s.places if s.places_by != "undecided" else ()) for s in result.stages}


def slot_label(ref: str) -> str:
    stage, _sep, place = ref.rpartition("/")
    return _("%(place)s of %(stage)s (to be decided)") % {
        "place": {"1": _("1st"), "2": _("2nd"), "3": _("3rd")}.get(place, place + "."),
        "stage": _(stage),
    }


def tie_teams(t: TieResult, places: dict[str, tuple[str, ...]]) -> tuple[tuple[str, str], bool]:
    """The tie's clubs, or what they wait for while a slot feeding them is not decided."""
    if t.tie.slots is None:
        return t.tie.teams, False
    out = []
    waiting = False
    for ref in t.tie.slots:
        stage, _sep, place = ref.rpartition("/")
        got = places.get(stage, ())
        n = int(place)
        if 0 < n <= len(got):
            out.append(got[n - 1])
        else:
            out.append(slot_label(ref))
            waiting = True
    if not waiting:
        return t.tie.teams, False
    return (out[0], out[1]), True


def tie_view(rr: RoundResult, t: TieResult, places: dict, slugs: dict[str, str]) -> TieView:
    teams, waiting = tie_teams(t, places)
    legs = [LegView(m.home, m.away, match_text(m)) for m in t.tie.legs]
    if t.tie.decider is not None:
        d = t.tie.decider
        legs.append(LegView(d.home, d.away, _("deciding match") + ": " + match_text(d)))
    if t.winner is not None:
        how = _("%(winner)s goes through on %(how)s") % {
            "winner": t.winner,
            "how": crit_label(t.decided_by),
        }
    elif waiting:
        how = _("waiting for the clubs")
    else:
        how = _("to be decided")
    played = any(m.counts for m in t.tie.legs)
    agg = f"{t.aggregate[0]}–{t.aggregate[1]}" if played else "–"
    statuses = (
        (OPEN, OPEN)
        if waiting
        else (club_status(rr, t.tie.teams[0]), club_status(rr, t.tie.teams[1]))
    )
    return TieView(
        teams,
        (slugs.get(teams[0], ""), slugs.get(teams[1], "")),
        legs,
        agg,
        t.winner,
        how,
        statuses,
        waiting,
    )


def group_view(rr: RoundResult, g: GroupResult, slugs: dict[str, str]) -> GroupView:
    rows = g.table.standings
    seps = {sep.upper: sep for sep in g.table.separations}

    def why(upper: Any, lower: Any) -> str | None:
        """What put ``upper`` above ``lower`` when they are level on points (not before a match)."""
        sep = seps.get(upper.club)
        if sep is None or upper.points != lower.points or (upper.played == 0 and lower.played == 0):
            return None
        return crit_label(sep.criterion) if sep.criterion is not None else None

    explanations = []
    for upper, lower in zip(rows, rows[1:], strict=False):
        sep = seps.get(upper.club)
        if sep is None or upper.points != lower.points or (upper.played == 0 and lower.played == 0):
            continue
        if sep.criterion is not None:
            explanations.append(
                _("%(upper)s above %(lower)s on %(criterion)s")
                % {"upper": upper.club, "lower": lower.club, "criterion": crit_label(sep.criterion)}
            )
        else:
            explanations.append(
                _("%(upper)s and %(lower)s are level on every criterion")
                % {"upper": upper.club, "lower": lower.club}
            )
    out = []
    for s in rows:
        st = club_status(rr, s.club)
        below = rows[s.position] if s.position < len(rows) else None
        note = ""
        crit = why(s, below) if below is not None else None
        if crit is not None and below is not None:
            note = _("above %(lower)s on %(criterion)s") % {"lower": below.club, "criterion": crit}
        games = (s.played, s.won, s.drawn, s.lost)
        goals = (s.goals_for, s.goals_against, s.goal_difference)
        slug = slugs.get(s.club, "")
        out.append(
            Row(s.position, s.club, slug, *games, *goals, s.points, st, status_text(st, _), note)
        )
    chain = " › ".join(crit_label(c) for c in g.table.chain)
    deciders = [
        f"{d.tie.legs[0].home} {match_text(d.tie.legs[0]) if d.tie.legs[0].counts else 'v'} "
        f"{d.tie.legs[0].away}"
        for d in g.deciders
    ]
    # what the rules still wait for, once every match of the group is in
    pending = list(g.table.pending) if group_complete_matches(g) else []
    return GroupView(_(g.group.name), out, explanations, chain, pending, deciders)


def group_complete_matches(g: GroupResult) -> bool:
    return not any(m.status is MatchStatus.SCHEDULED for m in g.group.matches)


def stage_view(result: SeasonResult, sr: StageResult, slugs: dict[str, str]) -> list[RoundView]:
    places = places_map(result)
    out = []
    for rr in sr.rounds:
        rv = RoundView(_(rr.round.name), complete=round_complete(rr))
        rv.groups = [group_view(rr, g, slugs) for g in rr.groups]
        rv.ties = [tie_view(rr, t, places, slugs) for t in rr.ties]
        rv.qualifiers = list(rr.qualifiers) if rv.complete else []
        rv.selections = [e for s in rr.selections for e in s.explanations()]
        out.append(rv)
    return out


def bracket_for_display(result: SeasonResult, stage: StageResult) -> Any:
    """The stage's bracket, with clubs not yet known shown as what they wait for."""
    from copa.core import bracket

    br = bracket(stage)
    places = places_map(result)
    rounds = []
    for name, ties in br.rounds:
        shown = []
        for t in ties:
            teams, waiting = tie_teams(t, places)
            if waiting:
                tie = dataclasses.replace(t.tie, teams=teams, legs=(), decider=None)
                t = dataclasses.replace(t, tie=tie, winner=None, decided_by=None)
            shown.append(t)
        rounds.append((name, tuple(shown)))
    return dataclasses.replace(br, rounds=tuple(rounds))


def stage_decided(sr: StageResult) -> bool:
    """The stage's places are final: decided by the engine and no round still open."""
    if sr.places_by == "undecided" or not sr.places:
        return False
    if any(i.severity is Severity.PENDING for i in sr.issues):
        return False
    return sr.places_by != "final" or all(round_complete(rr) for rr in sr.rounds)


def champion(result: SeasonResult) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    """Champion, runner-up and promotions, only once the final stage is really over."""
    if not result.stages or not stage_decided(result.stages[-1]):
        return None, None, ()
    return result.champion, result.runner_up, result.promoted


def waiting_labels(result: SeasonResult) -> dict[str, dict[str, str]]:
    """For each tie whose clubs are not known yet ("A v B"): the label to show for each club."""
    places = places_map(result)
    out: dict[str, dict[str, str]] = {}
    for rr in result.rounds():
        for t in rr.ties:
            teams, waiting = tie_teams(t, places)
            if waiting:
                a, b = t.tie.teams
                out[f"{a} v {b}"] = {a: teams[0], b: teams[1]}
    return out
