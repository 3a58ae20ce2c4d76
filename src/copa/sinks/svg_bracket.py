"""The bracket as an SVG picture: one box per tie, legs and aggregate per club."""

from __future__ import annotations

from xml.sax.saxutils import escape

from copa.core.bracket import Bracket
from copa.core.tie import TieResult

ROW_H, GAP_X, GAP_Y, PAD = 22, 40, 16, 20


def _club_row(t: TieResult, club: str) -> tuple[str, str]:
    legs = []
    for m in t.tie.legs:
        legs.append(str(m.goals(club)[0]) if m.final is not None else "–")
    agg = t.aggregate[0] if club == t.tie.teams[0] else t.aggregate[1]
    last = t.tie.legs[-1] if t.tie.legs else None
    extra = ""
    if last is not None and last.penalties is not None:
        extra = f" ({last.penalties.home if last.home == club else last.penalties.away})"
    if t.decided_by == "away_goals" and t.winner == club:
        extra += " (a)"
    return "  ".join(legs), f"{agg}{extra}"


def bracket_svg(br: Bracket, title: str = "") -> str:
    rounds = br.rounds
    if not rounds:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    longest = max(len(c) for _, ties in rounds for t in ties for c in t.tie.teams)
    box_w = max(250, int(7.4 * longest) + 110)  # room for the name, the legs and the aggregate
    n0 = len(rounds[0][1])
    tie_h = 2 * ROW_H
    ys: list[list[float]] = [[PAD + 30 + i * (tie_h + GAP_Y) for i in range(n0)]]
    for r in range(1, len(rounds)):
        prev = ys[-1]
        ys.append(
            [
                (prev[2 * j] + prev[min(2 * j + 1, len(prev) - 1)]) / 2
                for j in range(len(rounds[r][1]))
            ]
        )
    width = PAD * 2 + len(rounds) * box_w + (len(rounds) - 1) * GAP_X
    height = PAD * 2 + 30 + n0 * (tie_h + GAP_Y)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    if title:
        out.append(
            f'<text x="{PAD}" y="{PAD}" font-size="15" font-weight="bold">{escape(title)}</text>'
        )
    for r, (name, ties) in enumerate(rounds):
        x = PAD + r * (box_w + GAP_X)
        out.append(
            f'<text x="{x}" y="{PAD + 22}" font-weight="bold" fill="#444">{escape(name)}</text>'
        )
        for j, t in enumerate(ties):
            y = ys[r][j]
            for k, club in enumerate(t.tie.teams):
                yy = y + k * ROW_H
                win = t.winner == club
                fill = "#e6f4ea" if win else "#f5f5f5"
                legs, agg = _club_row(t, club)
                weight = "bold" if win else "normal"
                out.append(
                    f'<rect x="{x}" y="{yy}" width="{box_w}" height="{ROW_H}" '
                    f'fill="{fill}" stroke="#999"/>'
                )
                out.append(
                    f'<text x="{x + 6}" y="{yy + 15}" font-weight="{weight}">{escape(club)}</text>'
                )
                out.append(
                    f'<text x="{x + box_w - 90}" y="{yy + 15}" fill="#555">{escape(legs)}</text>'
                )
                out.append(
                    f'<text x="{x + box_w - 6}" y="{yy + 15}" text-anchor="end" '
                    f'font-weight="{weight}">{escape(agg)}</text>'
                )
            if r + 1 < len(rounds):
                ty = ys[r + 1][j // 2] + (j % 2) * ROW_H + ROW_H / 2
                sx = x + box_w
                sy = y + ROW_H
                mx = sx + GAP_X / 2
                out.append(
                    f'<path d="M{sx},{sy} H{mx} V{ty} H{sx + GAP_X}" fill="none" stroke="#888"/>'
                )
    if br.champion:
        x = PAD + (len(rounds) - 1) * (box_w + GAP_X)
        y = ys[-1][0] + 2 * ROW_H + 24
        out.append(
            f'<text x="{x}" y="{y}" font-weight="bold" fill="#1a7f37">'
            f"Champion: {escape(br.champion)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
