"""The bracket as an SVG picture (and PNG, through cairosvg): one box per tie.

Each club's row shows its goals in each leg, the aggregate, the penalty score
``(n)``, ``(a)`` for away goals and the deciding match when there was one;
a header names the columns and a legend under the picture explains the marks.
A best loser's re-entry is labelled ("↩ best loser"). Brackets that do not
halve evenly are laid out from the results: each tie sits level with the ties
its clubs won, ties of clubs entering late below. The title is never cut: the
picture is as wide as it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from copa.core.bracket import Bracket
from copa.core.match import Match
from copa.core.tie import TieResult
from copa.i18n import _, term

ROW_H, GAP_X, GAP_Y, PAD, HEAD = 22, 44, 18, 20, 58
CHAR_W = 7.2  # DejaVu Sans at 12 px, a generous average


def _goals(m: Match | None, club: str) -> str:
    """The club's goals; ``*`` after a result copa invented (``copa play``)."""
    if m is None or m.final is None:
        return "–"
    return str(m.goals(club)[0]) + ("*" if m.simulated else "")


def _pens(m: Match | None, club: str) -> str:
    if m is None or m.penalties is None:
        return ""
    return f" ({m.penalties.home if m.home == club else m.penalties.away})"


def _positions(br: Bracket, tie_h: float) -> list[list[float]]:
    rounds = br.rounds
    step = tie_h + GAP_Y
    ys: list[list[float]] = [[PAD + HEAD + i * step for i in range(len(rounds[0][1]))]]
    for r in range(1, len(rounds)):
        prev = rounds[r - 1][1]
        wanted: list[tuple[float, int]] = []
        late: list[int] = []
        for j, t in enumerate(rounds[r][1]):
            fed = [ys[-1][i] for i, p in enumerate(prev) if p.winner in t.tie.teams]
            if fed:
                wanted.append((sum(fed) / len(fed), j))
            else:
                late.append(j)
        placed: dict[int, float] = {}
        last = -1e9
        for y, j in sorted(wanted):
            y = max(y, last + tie_h + GAP_Y / 2)
            placed[j] = last = y
        for j in late:
            placed[j] = last = max(last + step, PAD + HEAD)
        ys.append([placed[j] for j in range(len(rounds[r][1]))])
    return ys


_Rounds = tuple[tuple[str, tuple[TieResult, ...]], ...]


@dataclass(frozen=True)
class _Boxes:
    """What every tie's box shares: its width, the value columns' right edges (from the
    box's right side), the most legs of any tie, whether a decider column is drawn, and
    the (round, club) pairs of best losers playing on."""

    width: int
    edges: list[int]
    legs: int
    has_dec: bool
    reentry: set[tuple[int, str]]


def bracket_svg(br: Bracket, title: str = "") -> str:
    rounds = br.rounds
    if not rounds:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    ties = [t for _n, ts in rounds for t in ts]
    legs = max(len(t.tie.legs) for t in ties)
    has_dec = any(t.tie.decider is not None for t in ties)
    has_pens = any(m.penalties is not None for t in ties for m in t.tie.matches)
    has_away = any(t.decided_by == "away_goals" for t in ties)
    reentry = _reentries(rounds)
    best_loser = " ↩ " + _("best loser")
    longest = max(
        len(c) + (len(best_loser) if (r, c) in reentry else 0)
        for r, (_n, ts) in enumerate(rounds)
        for t in ts
        for c in t.tie.teams
    )
    edges, values_w = _value_edges(ties, legs, has_dec, has_pens or has_away)
    box_w = int(CHAR_W * longest) + 20 + values_w
    tie_h = 2 * ROW_H
    ys = _positions(br, tie_h)
    width = PAD * 2 + len(rounds) * box_w + (len(rounds) - 1) * GAP_X
    width = max(width, int(len(title) * 8.6) + 2 * PAD)  # the title is never cut
    bottom = max(max(col) for col in ys) + tie_h
    legend = _legend(legs, has_pens, has_away, has_dec, bool(reentry))
    if any(m.simulated for t in ties for m in t.tie.matches):
        legend.append(_("*: simulated by copa play, not played"))
    # nor is the legend (font size 11: about 6.4 px a character)
    width = max(width, max((int(len(line) * 6.4) for line in legend), default=0) + 2 * PAD)
    height = int(bottom + (40 if br.champion else 16) + 22 * len(legend) + PAD)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    if title:
        out.append(
            f'<text x="{PAD}" y="{PAD + 4}" font-size="15" font-weight="bold">'
            f"{escape(title)}</text>"
        )
    boxes = _Boxes(box_w, edges, legs, has_dec, reentry)
    for r in range(len(rounds)):
        out += _round_svg(rounds, r, ys, boxes)
    y = bottom + 8
    if br.champion:
        x = PAD + (len(rounds) - 1) * (box_w + GAP_X)
        out.append(
            f'<text x="{x}" y="{y + 16}" font-weight="bold" fill="#1a7f37">'
            f"{escape(_('Champion: {club}').format(club=br.champion))}</text>"
        )
        y += 24
    for line in legend:
        y += 20
        out.append(f'<text x="{PAD}" y="{y}" font-size="11" fill="#555">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _reentries(rounds: _Rounds) -> set[tuple[int, str]]:
    """(round, club) for each club beaten in the round before that plays on (a best loser)."""
    reentry: set[tuple[int, str]] = set()
    for r in range(1, len(rounds)):
        losers = {t.loser for t in rounds[r - 1][1] if t.loser}
        reentry |= {(r, c) for t in rounds[r][1] for c in t.tie.teams if c in losers}
    return reentry


def _value_edges(
    ties: list[TieResult], legs: int, has_dec: bool, marks: bool
) -> tuple[list[int], int]:
    """The right edges of the value columns, from the box's right side (legs, aggregate,
    decider), and the width all of them take."""
    dec_pens = any(t.tie.decider is not None and t.tie.decider.penalties for t in ties)
    # the aggregate column is as wide as its heading in the language spoken ("global")
    agg_w = max(32, int(6.2 * len(_("agg") if legs > 1 else _("score"))) + 10)
    widths = (
        ([26] * legs if legs > 1 else []) + [agg_w] + ([58 if dec_pens else 32] if has_dec else [])
    )
    mark_w = 34 if marks else 0
    edges: list[int] = []
    acc = 8 + mark_w
    for w in reversed(widths):
        edges.insert(0, acc)
        acc += w
    return edges, acc


def _round_svg(rounds: _Rounds, r: int, ys: list[list[float]], boxes: _Boxes) -> list[str]:
    """One round's column: its name, the heads of the columns it uses, its ties, and the
    lines from each winner to its next tie."""
    name, rties = rounds[r]
    box_w, edges, legs = boxes.width, boxes.edges, boxes.legs
    out: list[str] = []
    x = PAD + r * (box_w + GAP_X)
    out.append(
        f'<text x="{x}" y="{PAD + 30}" font-weight="bold" fill="#444">{escape(term(name))}</text>'
    )
    # each round names only the columns it uses: a one-match final has a score, no legs
    agg_col = legs if legs > 1 else 0
    rlegs = max(len(t.tie.legs) for t in rties) if rties else 1
    heads = [_("1st"), _("2nd"), *(str(k + 1) for k in range(2, rlegs))] if rlegs > 1 else []
    cols = [*enumerate(heads), (agg_col, _("agg") if rlegs > 1 else _("score"))]
    if any(t.tie.decider is not None for t in rties):
        cols.append((agg_col + 1, _("dec.")))
    for i, h in cols:
        cx = x + box_w - edges[i]
        out.append(
            f'<text x="{cx}" y="{PAD + 48}" text-anchor="end" font-size="10" '
            f'fill="#777">{escape(h)}</text>'
        )
    for j, t in enumerate(rties):
        y = ys[r][j]
        out += _tie(t, r, x, y, boxes)
        if r + 1 < len(rounds) and t.winner is not None:
            nxt = rounds[r + 1][1]
            for k, u in enumerate(nxt):
                if t.winner in u.tie.teams:
                    ty = ys[r + 1][k] + u.tie.teams.index(t.winner) * ROW_H + ROW_H / 2
                    sx, sy, mx = x + box_w, y + ROW_H, x + box_w + GAP_X / 2
                    out.append(
                        f'<path d="M{sx},{sy} H{mx} V{ty} H{sx + GAP_X}" '
                        'fill="none" stroke="#888"/>'
                    )
    return out


def _legend(legs: int, pens: bool, away: bool, dec: bool, reentry: bool) -> list[str]:
    parts = []
    if legs > 1:
        parts.append(_("1st, 2nd: goals in each leg; agg: aggregate"))
    if pens:
        parts.append(_("(n): penalty shoot-out score"))
    if away:
        parts.append(_("(a): won on away goals"))
    if dec:
        parts.append(_("dec.: deciding match (level on points after the legs)"))
    if reentry:
        parts.append(_("↩ best loser: beaten in the round before, went on among the best losers"))
    return [" · ".join(parts[:3]), " · ".join(parts[3:])] if len(parts) > 3 else [" · ".join(parts)]


def _tie(t: TieResult, r: int, x: float, y: float, boxes: _Boxes) -> list[str]:
    box_w, edges, legs = boxes.width, boxes.edges, boxes.legs
    out = []
    for k, club in enumerate(t.tie.teams):
        yy = y + k * ROW_H
        win = t.winner == club
        weight = "bold" if win else "normal"
        fill = "#e6f4ea" if win else "#f5f5f5"
        out.append(
            f'<rect x="{x}" y="{yy}" width="{box_w}" height="{ROW_H}" fill="{fill}" stroke="#999"/>'
        )
        name = escape(club)
        if (r, club) in boxes.reentry:
            name += (
                f'<tspan fill="#8a5a00" font-style="italic"> ↩ {escape(_("best loser"))}</tspan>'
            )
        out.append(f'<text x="{x + 6}" y="{yy + 15}" font-weight="{weight}">{name}</text>')
        last = t.tie.legs[-1] if t.tie.legs else None
        agg_col = legs if legs > 1 else 0
        played = any(m.counts for m in t.tie.legs)  # no aggregate before a leg is played
        # (column, text, weight): legs, then the aggregate (or a single match's score), decider
        values: list[tuple[int, str, str]] = []
        if len(t.tie.legs) > 1:
            values += [(i, _goals(m, club), "normal") for i, m in enumerate(t.tie.legs)]
            invented = "*" if any(m.simulated for m in t.tie.legs) else ""
            values.append((agg_col, f"{t.aggregate[k]}{invented}" if played else "", weight))
        else:
            values.append((agg_col, _goals(last, club), weight))
        d = t.tie.decider
        if boxes.has_dec and d is not None:
            values.append((agg_col + 1, f"{_goals(d, club)}{_pens(d, club)}", "normal"))
        for i, v, bold in values:
            cx = x + box_w - edges[i]
            out.append(
                f'<text x="{cx}" y="{yy + 15}" text-anchor="end" font-weight="{bold}" '
                f'fill="#333">{escape(v)}</text>'
            )
        mark = _pens(last, club).strip()
        if t.decided_by == "away_goals" and win:
            mark = (mark + " (a)").strip()
        if mark:
            out.append(
                f'<text x="{x + box_w - 4}" y="{yy + 15}" text-anchor="end" '
                f'fill="#555">{escape(mark)}</text>'
            )
    return out


def svg_to_png(svg: str) -> bytes:
    """The picture as PNG (cairosvg), at twice the SVG's size for sharp text."""
    import cairosvg  # type: ignore[import-untyped]

    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2))
