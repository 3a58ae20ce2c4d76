"""Making one round of a stage: its groups or ties, drawn from the pyramid's seed.

Everything here is pure and deterministic: each draw derives its seed from the
season's seed and where it is made, and is recorded on the round.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from copa.core.club import Club
from copa.core.draw import DrawError, DrawRecord, draw_pairs, seeded_pairs, slot_pairs
from copa.core.fixtures import geographic_rivals, only_between, partial_round_robin, round_robin
from copa.core.group import Group
from copa.core.grouping import RivalDraw, balanced_sizes, dealt, draw_groups
from copa.core.match import Match, MatchStatus
from copa.core.pyramid.format import (
    PAIRINGS,
    GroupSpec,
    Pyramid,
    PyramidError,
    RoundSpec,
    TieSpec,
    derive_seed,
)
from copa.core.resolve import RoundResult
from copa.core.rules import RuleSet
from copa.core.slot import SlotRef
from copa.core.stage import Draw, Round, Stage
from copa.core.tie import Tie


@dataclass(frozen=True)
class Context:
    """Where a round is made: its stage and plan, the clubs, the places decided so far."""

    pyramid: Pyramid
    stage: Stage
    spec: RoundSpec
    clubs: Mapping[str, Club]
    places: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, tuple[str, int]]
    previous: RoundResult | None

    def seed(self, what: str) -> int:
        return derive_seed(self.pyramid.seed, self.stage.name, self.spec.name, what)

    def label(self, club: str, label: str) -> str | None:
        if not label:
            return None
        if label == "source":
            src = self.sources.get(club)
            return src[0] if src else None
        if label == "place":
            src = self.sources.get(club)
            return str(src[1]) if src else None
        if label == "group":
            if self.previous is None:
                return None
            for g in self.previous.groups:
                if club in g.group.clubs:
                    return g.group.name
            return None
        c = self.clubs.get(club)
        if c is None:
            return None
        value = str(getattr(c, label, ""))
        return value or None

    def labels(self, clubs: Sequence[str], label: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in clubs:
            v = self.label(c, label)
            if v is not None:
                out[c] = v
        return out


def make_round(ctx: Context, clubs: Sequence[str]) -> Round:
    spec = ctx.spec
    rules = ctx.pyramid.format.rule_set(spec.rules)
    if spec.groups is not None:
        groups, draws = _make_groups(ctx, spec.groups, clubs, rules)
        return Round(spec.name, groups, (), spec.advance, draws)
    if spec.ties is None:
        raise PyramidError(f"round {spec.name} has neither groups nor ties")
    ties, draw = _make_ties(ctx, spec.ties, clubs, rules)
    return Round(spec.name, (), ties, spec.advance, (draw,))


def _matches(pairs: Sequence[Match], neutral: bool) -> tuple[Match, ...]:
    if not neutral:
        return tuple(pairs)
    return tuple(replace(m, neutral=True) for m in pairs)


def _make_groups(
    ctx: Context, spec: GroupSpec, clubs: Sequence[str], rules: RuleSet
) -> tuple[tuple[Group, ...], tuple[Draw, ...]]:
    names = tuple(clubs)
    n = len(names)
    if spec.rivals:
        where = _where(ctx, names)
        constraint = None
        if spec.rivals_apart:
            constraint = only_between({c: ctx.label(c, spec.rivals_apart) or c for c in names})
        try:
            rivals = geographic_rivals(names, where, spec.rivals, constraint=constraint)
        except ValueError as e:
            raise PyramidError(f"{ctx.stage.name}, {ctx.spec.name}: {e}") from None
        rounds = partial_round_robin(names, rivals)
        matches = tuple(m for rnd in rounds for m in rnd)
        pairs = tuple((a, b) for a in names for b in rivals[a] if names.index(a) < names.index(b))
        apart = f", only between different {spec.rivals_apart}" if spec.rivals_apart else ""
        record = RivalDraw(names, pairs, f"{spec.rivals} nearest rivals each, home and away{apart}")
        group = Group(
            spec.name or "Table", names, _matches(matches, ctx.spec.neutral), rules.group_rules(), 2
        )
        return (group,), (record,)
    if spec.sizes:
        sizes = tuple(spec.sizes)
    else:
        count = spec.count or (math.ceil(n / spec.max_size) if spec.max_size else 1)
        sizes = balanced_sizes(n, count)
    if len(sizes) == 1:
        draw = dealt(names, sizes, "one group: every club")
    else:
        labels = ctx.labels(names, spec.keep_apart)
        what = f"same {spec.keep_apart} kept apart as far as possible" if labels else "none"
        draw = draw_groups(names, sizes, ctx.seed("groups"), labels=labels, constraints=what)
    groups = []
    for i, members in enumerate(draw.groups):
        gname = spec.name if len(sizes) == 1 and spec.name else f"Group {_letters(i)}"
        fixtures = tuple(m for rnd in round_robin(members, spec.legs) for m in rnd)
        groups.append(
            Group(
                gname, members, _matches(fixtures, ctx.spec.neutral), rules.group_rules(), spec.legs
            )
        )
    return tuple(groups), (draw,)


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _where(ctx: Context, names: Sequence[str]) -> Callable[[str], tuple[float, float]]:
    geo = dict(ctx.pyramid.format.geography)

    def where(club: str) -> tuple[float, float]:
        c = ctx.clubs.get(club)
        dep = c.department if c else ""
        if dep in geo:
            return geo[dep]
        # no coordinates: a fixed pseudo-location from the department's name
        h = derive_seed(0, "where", dep)
        return (-18.0 + (h % 1500) / 100.0, -81.0 + (h // 1500 % 1200) / 100.0)

    return where


def _make_ties(
    ctx: Context, spec: TieSpec, clubs: Sequence[str], rules: RuleSet
) -> tuple[tuple[Tie, ...], DrawRecord]:
    prev = ctx.previous
    slots: list[tuple[str, str]] | None = None
    if spec.pairing == "draw":
        record = _draw(ctx, spec, clubs)
    elif spec.pairing == "seeded":
        record = seeded_pairs(clubs)
    elif spec.pairing == "slots":
        slot_map = tuple((_ref(a), _ref(b)) for a, b in spec.slots)
        try:
            table = {ref: ctx.places[ref[0]][ref[1] - 1] for pair in slot_map for ref in pair}
        except (KeyError, IndexError):
            raise PyramidError(f"{ctx.spec.name}: a slot of the slot map is not decided") from None
        record = slot_pairs(slot_map, table)
        slots = list(spec.slots)
    elif spec.pairing in ("bracket", "fold"):
        if prev is None or not prev.ties:
            raise PyramidError(f"{ctx.spec.name}: a {spec.pairing} needs a knockout round before")
        winners = [t.winner for t in prev.ties]
        if None in winners or len(winners) % 2:
            raise PyramidError(f"{ctx.spec.name}: the previous round's winners do not pair up")
        w = [c for c in winners if c is not None]
        half = len(w) // 2
        if spec.pairing == "bracket":
            pairs = tuple((w[2 * i], w[2 * i + 1]) for i in range(half))
            how = f"bracket: the winners of {prev.round.name} ties 1 and 2, 3 and 4, ..."
        else:
            pairs = tuple((w[i], w[-1 - i]) for i in range(half))
            how = (
                f"fold: the winners of {prev.round.name} ties 1 and {len(w)}, "
                f"2 and {len(w) - 1}, ..."
            )
        record = DrawRecord("slots", tuple(c for p in pairs for c in p), pairs, constraints=how)
    elif spec.pairing == "crossover":
        if prev is None or len(prev.groups) % 2 or not prev.groups:
            raise PyramidError(f"{ctx.spec.name}: a crossover needs an even number of groups")
        out: list[tuple[str, str]] = []
        for ga, gb in zip(prev.groups[::2], prev.groups[1::2], strict=True):
            out.append((ga.table.club_at(1), gb.table.club_at(2)))
            out.append((gb.table.club_at(1), ga.table.club_at(2)))
        pairs = tuple(out)
        names = [g.group.name for g in prev.groups]
        how = "crossover: " + "; ".join(
            f"1st {x} v 2nd {y}, 1st {y} v 2nd {x}"
            for x, y in zip(names[::2], names[1::2], strict=True)
        )
        record = DrawRecord("slots", tuple(c for p in pairs for c in p), pairs, constraints=how)
    else:
        raise PyramidError(f"unknown pairing {spec.pairing!r} (one of {', '.join(PAIRINGS)})")
    ties = []
    for i, (a, b) in enumerate(record.pairs):
        home, away = (b, a) if spec.better_hosts_second else (a, b)
        legs = [Match(home, away, status=MatchStatus.SCHEDULED, neutral=ctx.spec.neutral)]
        if spec.legs == 2:
            legs.append(Match(away, home, status=MatchStatus.SCHEDULED, neutral=ctx.spec.neutral))
        tie_slots = None
        if slots is not None:
            sa, sb = slots[i]
            tie_slots = (sb, sa) if spec.better_hosts_second else (sa, sb)
        ties.append(Tie((home, away), tuple(legs), rules.tie_rules(), slots=tie_slots))
    return tuple(ties), record


def _ref(ref: str) -> tuple[str, int]:
    slot = SlotRef.parse(ref)
    return slot.stage, slot.place


def _draw(ctx: Context, spec: TieSpec, clubs: Sequence[str]) -> DrawRecord:
    seed = ctx.seed("draw")
    labels = ctx.labels(clubs, spec.keep_apart)
    seeded: list[str] = []
    prev = ctx.previous
    if spec.seeded == "group_winners" and prev is not None and prev.groups:
        winners = [g.table.club_at(1) for g in prev.groups]
        if len(winners) <= len(clubs) // 2 and all(w in clubs for w in winners):
            seeded = winners
    attempts: list[tuple[dict[str, str], list[str], str]] = []
    if labels:
        attempts.append((labels, seeded, f"same {spec.keep_apart} kept apart"))
    attempts.append(({}, seeded, ""))
    if seeded:
        attempts.append(({}, [], "seeds dropped: no draw keeps them apart"))
    last: DrawError | None = None
    for lab, top, what in attempts:
        keep = None
        if lab:

            def keep(a: str, b: str, lab: dict[str, str] = lab) -> bool:
                return a in lab and lab.get(a) == lab.get(b)

        text = what
        if not lab and labels:
            text = f"same {spec.keep_apart} could not be kept apart" + (f"; {what}" if what else "")
        if top:
            text = (text + "; " if text else "") + f"{len(top)} group winners seeded"
        try:
            return draw_pairs(clubs, seed, keep_apart=keep, seeded=top, constraints=text)
        except DrawError as e:
            last = e
    assert last is not None
    raise PyramidError(f"{ctx.stage.name}, {ctx.spec.name}: {last}")
