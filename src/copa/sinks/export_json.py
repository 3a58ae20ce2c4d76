"""The JSON export: a documented public format (``docs/json-format.md``).

Everything comes from one :class:`~copa.core.resolve.SeasonResult`; nothing
here computes a rule.
"""

from __future__ import annotations

import json
from typing import Any

from copa.core.match import Match
from copa.core.notes import group_notes, notes_text
from copa.core.progress import Outlook
from copa.core.record import Record
from copa.core.resolve import GroupResult, RoundResult, SeasonResult
from copa.core.stats import SeasonStats, season_stats
from copa.core.tie import TieResult

FORMAT = "copa-season"
VERSION = 1


def match_json(m: Match, stage: str | None = None, round_: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"home": m.home, "away": m.away}
    if m.score is not None:
        out["home_goals"] = m.score.home
        out["away_goals"] = m.score.away
    else:
        out["home_goals"] = out["away_goals"] = None
    if m.extra_time is not None:
        out["extra_time"] = {"home_goals": m.extra_time.home, "away_goals": m.extra_time.away}
    if m.penalties is not None:
        out["penalties"] = {"home_goals": m.penalties.home, "away_goals": m.penalties.away}
    if m.shot_first is not None:
        out["shot_first"] = m.shot_first
    if m.recorded_winner is not None:
        out["winner"] = m.recorded_winner
    if m.counts and not m.goals_known:
        out["goals_known"] = False
    if m.status.value != "played":
        out["status"] = m.status.value
    if m.original is not None:
        out["original"] = {"home_goals": m.original.home, "away_goals": m.original.away}
    # fixture details (docs/json-format.md): only when known; simulated marks invented results
    for key in ("matchday", "date", "kickoff", "venue"):
        value = getattr(m, key, None)
        if value is not None:
            out[key] = value
    if getattr(m, "simulated", False):
        out["simulated"] = True
    if stage is not None:
        out["stage"] = stage
    if round_ is not None:
        out["round"] = round_
    return out


def _record(matches: tuple[Match, ...], where: dict[int, tuple[str, str]]) -> Any:
    objs = [match_json(m, *where.get(id(m), (None, None))) for m in matches]
    if not objs:
        return None
    return objs[0] if len(objs) == 1 else objs


def stats_json(result: SeasonResult, stats: SeasonStats) -> dict[str, Any]:
    where: dict[int, tuple[str, str]] = {}
    for rr in result.rounds():
        for g in rr.groups:
            for m in g.group.matches:
                where[id(m)] = (rr.stage, rr.round.name)
            for m in g.group.deciders:
                where[id(m)] = (rr.stage, "Tiebreaker")
        for t in rr.ties:
            for m in t.tie.matches:
                where[id(m)] = (rr.stage, rr.round.name)
    return {
        "scope": list(stats.scope),
        "matches": stats.matches,
        "goals": stats.goals,
        "goals_per_match": round(stats.goals_per_match, 3),
        "biggest_home_win": _record(stats.biggest_home_win, where),
        "biggest_away_win": _record(stats.biggest_away_win, where),
        "highest_scoring": _record(stats.highest_scoring, where),
        "unknown_score": [match_json(m, *where.get(id(m), (None, None))) for m in stats.unknown],
        "clubs": [club_record_json(r) for r in stats.clubs],
    }


def club_record_json(r: Record) -> dict[str, Any]:
    """A club's record over the statistics' scope (played, won, ..., goals)."""
    return {
        "team": r.club,
        "played": r.played,
        "won": r.won,
        "drawn": r.drawn,
        "lost": r.lost,
        "goals_for": r.goals_for,
        "goals_against": r.goals_against,
        "goal_difference": r.goal_difference,
    }


def fixture_json(m: Match) -> dict[str, Any]:
    """A fixture still to play: who, and when once the organizers schedule it."""
    return {
        "home": m.home,
        "away": m.away,
        "matchday": getattr(m, "matchday", None),
        "date": getattr(m, "date", None),
    }


def _standing(s: Any, note: str, outlook: Outlook | None = None) -> dict[str, Any]:
    status = {}
    if outlook is not None:
        status = {
            "status": outlook.status.value,
            "best_position": outlook.best,
            "worst_position": outlook.worst,
        }
    out = {
        "position": s.position,
        "team": s.club,
        "played": s.played,
        "won": s.won,
        "drawn": s.drawn,
        "lost": s.lost,
        "goals_for": s.goals_for,
        "goals_against": s.goals_against,
        "goal_difference": s.goal_difference,
        "points": s.points,
        "note": note,
        **status,
    }
    if s.unknown:  # matches counted whose goals are not known: goals leave them out
        out["goals_unknown_matches"] = s.unknown
    return out


def tie_json(stage: str, round_: str, t: TieResult, group: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stage": stage,
        "round": round_,
        "teams": list(t.tie.teams),
        "legs": [match_json(m) for m in t.tie.legs],
        "aggregate": list(t.aggregate) if t.goals_known else None,
        "winner": t.winner,
        "decided_by": t.decided_by,
        "complete": t.complete,
    }
    if group is not None:
        out["group"] = group
    if t.tie.rules.chain and "points" in t.tie.rules.chain:
        out["points"] = list(t.points)
    if t.tie.decider is not None:
        out["decider"] = match_json(t.tie.decider)
    if t.tie.slots is not None:
        out["slots"] = list(t.tie.slots)
    if t.issues:
        out["issues"] = [str(i) for i in t.issues]
    return out


def group_json(rr: RoundResult, g: GroupResult) -> dict[str, Any]:
    """A group: its table with each club's notes and outlook, and its matches."""
    notes = notes_text(group_notes(rr, g))
    outlooks = {o.club: o for o in g.outlook}
    return {
        "stage": rr.stage,
        "round": rr.round.name,
        "name": g.group.name,
        "ranking": list(g.table.chain),
        "complete": g.complete,
        "remaining": [fixture_json(m) for m in g.remaining],
        "standings": [_standing(s, notes[s.club], outlooks.get(s.club)) for s in g.table.standings],
        "qualified": list(g.qualified),
        "explanations": g.table.explanations(),
        # the results themselves, so the document imports back (copa import)
        "matches": [match_json(m) for m in g.group.matches],
        "deciders": [match_json(m) for m in g.group.deciders],
    }


def round_json(rr: RoundResult) -> dict[str, Any]:
    """A round: who goes on, and its selections (best-placed, best losers)."""
    return {
        "stage": rr.stage,
        "round": rr.round.name,
        "complete": rr.complete,
        "qualifiers": list(rr.qualifiers),
        "selections": [
            {
                "what": s.what,
                "chosen": list(s.chosen),
                "complete": s.complete,
                "statuses": {c: st.value for c, st in s.statuses.items()},
                "order": list(s.ranking.order),
                "explanations": s.explanations(),
            }
            for s in rr.selections
        ],
    }


def to_json(result: SeasonResult, stats: SeasonStats | None = None) -> dict[str, Any]:
    stats = stats or season_stats(result)
    season = result.season
    groups: list[dict[str, Any]] = []
    ties: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    for rr in result.rounds():
        for g in rr.groups:
            groups.append(group_json(rr, g))
            for d in g.deciders:
                ties.append(tie_json(rr.stage, "Tiebreaker", d, g.group.name))
        for t in rr.ties:
            ties.append(tie_json(rr.stage, rr.round.name, t))
        rounds.append(round_json(rr))
    places = {p.destination: p.place for p in season.promotions}
    return {
        "format": FORMAT,
        "version": VERSION,
        "competition": season.competition,
        "season": season.name,
        "complete": result.complete,
        "matches_played": result.matches_played,
        "matches_total": result.matches_total,
        "matches_simulated": sum(1 for _, m in result.matches() if m.simulated),
        "champion": result.champion,
        "runner_up": result.runner_up,
        "promoted": [
            {"team": club, "destination": dest, "place": places.get(dest)}
            for club, dest in result.promoted
        ],
        "stages": [
            {
                "name": s.stage.name,
                "kind": s.stage.kind,
                "places": list(s.places),
                "places_by": s.places_by,
                "complete": s.complete,
                "places_reason": s.places_reason,
            }
            for s in result.stages
        ],
        "stats": stats_json(result, stats),
        "groups": groups,
        "ties": ties,
        "rounds": rounds,
        "issues": [str(i) for i in result.issues],
    }


def dumps(result: SeasonResult) -> str:
    return json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"
