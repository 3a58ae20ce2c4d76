"""Season states to forecast from: a season replayed up to a round (``--as-of``).

A finished season (the bundled 2011) can be turned back into the state it was
in when a round was about to start: every round of earlier levels stays as
played; at the round's own level, rounds before it stay as played, the round
itself keeps its pairings or groups with every result removed, and later
rounds are dropped (the season's format draws them again, per run). Stages of
later levels are emptied. The season's *format* (its pyramid file) says how
dropped rounds are made; the bundled 2011 season uses the bundled
``copa-peru-2011`` format's regional and national levels.
"""

from __future__ import annotations

from dataclasses import replace

from copa.core.match import Match, MatchStatus
from copa.core.pyramid import Pyramid, PyramidFormat, plan_for
from copa.core.resolve import ResolveCache
from copa.core.season import Season
from copa.core.stage import Round, Stage
from copa.core.tie import Tie
from copa.forecast.ratings import level_of


class AsOfError(ValueError):
    """The point to forecast from is not a round of the season."""


def parse_point(season: Season, point: str) -> tuple[Stage, int]:
    """``"STAGE/ROUND"`` -> the stage and the round's index (names as the season writes them)."""
    stage_name, sep, round_name = point.rpartition("/")
    if not sep:
        raise AsOfError(
            f"--as-of {point!r}: expected STAGE/ROUND, e.g. 'National Stage/Semifinals'"
        )
    for st in season.stages:
        if st.name.casefold() == stage_name.strip().casefold():
            for i, r in enumerate(st.rounds):
                if r.name.casefold() == round_name.strip().casefold():
                    return st, i
            known = ", ".join(r.name for r in st.rounds) or "none listed"
            raise AsOfError(f"--as-of {point!r}: {st.name} has no round {round_name!r} ({known})")
    raise AsOfError(f"--as-of {point!r}: no stage {stage_name!r}")


def blank_match(m: Match) -> Match:
    return Match(m.home, m.away, status=MatchStatus.SCHEDULED, neutral=m.neutral)


def blank_round(rnd: Round) -> Round:
    groups = tuple(
        replace(g, matches=tuple(blank_match(m) for m in g.matches), deciders=(), lots=())
        for g in rnd.groups
    )
    ties = tuple(
        Tie(
            t.teams,
            tuple(blank_match(m) for m in t.legs),
            t.rules,
            positions=t.positions,
            slots=t.slots,
            label=t.label,
        )
        for t in rnd.ties
    )
    return replace(rnd, groups=groups, ties=ties, advance=replace(rnd.advance, lots=()))


def as_of(season: Season, point: str, fmt: PyramidFormat | None = None) -> Season:
    """``season`` as it stood before the first match of round ``point``."""
    target, k = parse_point(season, point)
    level = level_of(target.kind)
    stages = []
    for st in season.stages:
        lv = level_of(st.kind)
        if lv < level:
            stages.append(st)
            continue
        keep = k if lv == level else 0
        if lv == level and keep >= len(st.rounds):
            stages.append(st)
            continue
        rounds = list(st.rounds[:keep])
        if lv == level:
            rounds.append(blank_round(st.rounds[keep]))
        elif st.rounds and any(t.slots for t in st.rounds[0].ties):
            pass  # drawn again from its slot map once the earlier places are known
        stages.append(_reopen(st, tuple(rounds), fmt))
    return replace(season, stages=tuple(stages))


def _reopen(st: Stage, rounds: tuple[Round, ...], fmt: PyramidFormat | None) -> Stage:
    entrants = st.entrants
    entrants_from = st.entrants_from
    if st.rounds and not entrants_from:
        first = st.rounds[0]
        refs = [s for t in first.ties if t.slots for s in t.slots]
        if refs and len(refs) == 2 * len(first.ties):
            entrants_from = tuple(_sorted_refs(refs))
            entrants = ()
        elif not entrants:
            entrants = first.clubs
    planned = st.planned
    if fmt is not None:
        for lv in fmt.levels:
            if lv.kind == st.kind:
                n = len(entrants_from) or len(entrants)
                planned = len(plan_for(lv, st.unit or st.region, n).rounds)
    return replace(
        st,
        rounds=rounds,
        entrants=entrants,
        entrants_from=entrants_from,
        places=None,
        unit=st.unit or st.region,
        planned=planned,
    )


def _sorted_refs(refs: list[str]) -> list[str]:
    def key(r: str) -> tuple[str, int]:
        s, _, p = r.rpartition("/")
        return s, int(p)

    return sorted(refs, key=key)


def bundled_format(season: Season) -> PyramidFormat | None:
    """The bundled format of a bundled season (2011: ``copa-peru-2011``), above its first level."""
    from copa.spec.pyramid_format import load_pyramid_format

    try:
        fmt = load_pyramid_format(f"copa-peru-{season.name}")
    except Exception:
        return None
    kinds = {st.kind for st in season.stages}
    return replace(fmt, levels=tuple(lv for lv in fmt.levels if lv.kind in kinds))


def with_format(season: Season, fmt: PyramidFormat | None, seed: int = 0) -> Pyramid | None:
    return Pyramid(fmt, seed) if fmt is not None else None


def reopen_undecided(
    season: Season, fmt: PyramidFormat | None = None, cache: ResolveCache | None = None
) -> Season:
    """``season`` with every round that waits on an undecided place reopened.

    A round whose tie slots (or a stage whose ``entrants_from``) name a place
    the core engine has not decided (``resolve_slot`` gives no club from the
    resolved places) cannot keep the clubs written in the file: that round and
    the stage's later rounds are dropped and the season's format draws them
    again per run from its slot map, so each run pairs the clubs its own
    outcome of the earlier stage placed there (without a format the round stays,
    its results removed). A stage whose entrants come from an undecided place
    keeps none of its rounds, and a stage the engine leaves undecided loses the
    order of places its file writes. The engine's answer is the only rule used: a
    season whose slots are all decided (a finished one) comes back unchanged.
    """
    from copa.core.resolve import resolve, resolve_slot

    result = resolve(season, cache)
    places: dict[str, tuple[str, ...]] = {}
    for sr in result.stages:
        places[sr.stage.name] = sr.places if sr.places_by != "undecided" else ()
    open_stages = {sr.stage.name for sr in result.stages if sr.places_by == "undecided"}

    def undecided(refs: tuple[str, ...]) -> bool:
        return any(resolve_slot(ref, places) is None for ref in refs)

    stages = []
    changed = False
    for st in season.stages:
        k: int | None = None
        if st.entrants_from and st.rounds and undecided(st.entrants_from):
            k = 0
        if k is None:
            for i, rnd in enumerate(st.rounds):
                if any(t.slots and undecided(t.slots) for t in rnd.ties):
                    k = i
                    break
        if k is None:
            if st.places is not None and st.name in open_stages:
                # a written order of places (lots, organizers) the engine does not
                # accept yet: the places are played out per run instead
                st = replace(st, places=None)
                changed = True
            stages.append(st)
            continue
        changed = True
        rounds = list(st.rounds[:k])
        if fmt is None and not (k == 0 and st.entrants_from) and k < len(st.rounds):
            # no format to draw it again: the round stays, without its results
            rounds.append(blank_round(st.rounds[k]))
        stages.append(_reopen(st, tuple(rounds), fmt))
    return replace(season, stages=tuple(stages)) if changed else season
