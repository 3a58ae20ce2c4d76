"""The knockout bracket in the terminal, within the terminal's width.

A bracket whose rounds halve evenly (each tie fed by the winners of two ties
of the round before) is drawn as a tree with box characters when it fits the
width; otherwise, and always for uneven brackets (best losers re-entering,
clubs entering late), the rounds are stacked one below the other. Names are
never cut while there is room; only a name longer than the whole width is
shortened, with "…". Marks: ``(a)`` away goals, ``(n)`` the penalty score,
a ``dec.`` column for deciding matches, ``↩`` a best loser's re-entry; a
legend under the bracket says which of them appear.
"""

from __future__ import annotations

from rich.text import Text

from copa.core.bracket import Bracket
from copa.core.match import Match
from copa.core.tie import TieResult
from copa.i18n import _, term

REENTRY = "↩"


def _goals(m: Match | None, club: str) -> str:
    if m is None or m.final is None:
        return "-"
    return str(m.goals(club)[0])


def _pens(m: Match | None, club: str) -> str:
    if m is None or m.penalties is None:
        return ""
    return f"({m.penalties.home if m.home == club else m.penalties.away})"


class _Layout:
    def __init__(self, br: Bracket) -> None:
        self.br = br
        ties = [t for _, ts in br.rounds for t in ts]
        self.legs = max((len(t.tie.legs) for t in ties), default=1)
        self.decider = any(t.tie.decider is not None for t in ties)
        self.away = any(t.decided_by == "away_goals" for t in ties)
        self.pens = any(m.penalties is not None for t in ties for m in t.tie.matches)
        self.reentry: set[tuple[int, str]] = set()
        for r in range(1, len(br.rounds)):
            losers = {t.loser for t in br.rounds[r - 1][1] if t.loser}
            for t in br.rounds[r][1]:
                for club in t.tie.teams:
                    if club in losers:
                        self.reentry.add((r, club))
        self.name_w = max((len(c) for t in ties for c in t.tie.teams), default=4)

    def lines(self, r: int, t: TieResult, name_w: int) -> list[tuple[str, bool]]:
        out = []
        for i, club in enumerate(t.tie.teams):
            # a one-match tie among two-legged ones: its score is its aggregate, no leg columns
            legs = [_goals(m, club) for m in t.tie.legs] if len(t.tie.legs) > 1 else []
            legs += [""] * (self.legs - len(legs))
            cols = " ".join(f"{g:>2}" for g in legs)
            agg = t.aggregate[i]
            last = t.tie.legs[-1] if t.tie.legs else None
            if self.legs > 1:
                tail = f"│{agg:>2}"
            else:
                tail, cols = "", f"{_goals(last, club):>2}"
            pens = _pens(last, club)
            tail += f" {pens}" if pens else ("     " if self.pens and self.legs > 1 else "")
            if self.decider:
                d = t.tie.decider
                dec = f"{_goals(d, club)} {_pens(d, club)}".rstrip() if d is not None else ""
                tail += f" │{dec:>6}"
            if t.decided_by == "away_goals" and t.winner == club:
                tail += " (a)"
            mark = f" {REENTRY}" if (r, club) in self.reentry else ""
            room = name_w - len(mark)
            name = club if len(club) <= room else club[: max(room - 1, 1)] + "…"
            out.append((f"{name + mark:<{name_w}} {cols} {tail}".rstrip(), t.winner == club))
        return out

    def heading(self, sample: str, ties: tuple[TieResult, ...] | list[TieResult]) -> str:
        """The column heads over a round's lines (``sample`` is one of them): the legs'
        numbers, and ``dec.`` over the deciding match's column."""
        if self.legs < 2 and not self.decider:
            return ""
        first = sample.find("│")
        head = [" "] * len(sample)
        if self.legs > 1 and first > 0 and any(len(t.tie.legs) > 1 for t in ties):
            for k in range(self.legs):
                at = first - 1 - 3 * (self.legs - k)
                if at >= 0:
                    head[at + 1 : at + 3] = f"{k + 1:>2}"
        second = sample.find("│", first + 1) if self.legs > 1 else first
        if self.decider and second > 0 and any(t.tie.decider is not None for t in ties):
            label = f"{_('dec.'):>6}"
            head[second + 1 : second + 1 + len(label)] = label
        return "".join(head).rstrip()

    def regular(self) -> bool:
        rounds = self.br.rounds
        for r in range(1, len(rounds)):
            prev, ties = rounds[r - 1][1], rounds[r][1]
            if len(prev) != 2 * len(ties):
                return False
            for j, t in enumerate(ties):
                if {prev[2 * j].winner, prev[2 * j + 1].winner} != set(t.tie.teams):
                    return False
        return True

    def legend(self, width: int) -> str:
        parts = []
        if self.legs > 1:
            parts.append(_("columns: the legs, then │ the aggregate"))
        if self.pens:
            parts.append(_("(n): penalty shoot-out score"))
        if self.away:
            parts.append(_("(a): won on away goals"))
        if self.decider:
            parts.append(_("dec.: deciding match"))
        if self.reentry:
            parts.append(_("{mark}: re-entered as a best loser").format(mark=REENTRY))
        lines: list[str] = []
        for part in parts:
            if lines and len(lines[-1]) + 3 + len(part) <= width:
                lines[-1] += " · " + part
            else:
                lines.append(part)
        return "\n".join(lines)


def _styled(text: Text, line: str, bold: list[bool]) -> None:
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or bold[i] != bold[start]:
            text.append(line[start:i], style="bold" if bold[start] else "")
            start = i
    text.append("\n")


def _tree(lay: _Layout, width: int) -> Text | None:
    br = lay.br
    cells = [[lay.lines(r, t, lay.name_w) for t in ties] for r, (_n, ties) in enumerate(br.rounds)]
    widths = [max(len(s) for c in col for s, _w in c) + 1 for col in cells]
    gap = 4
    xs = [0]
    for w in widths[:-1]:
        xs.append(xs[-1] + w + gap)
    total_w = xs[-1] + widths[-1]
    if total_w > width:
        return None
    n0 = len(cells[0])
    ys: list[list[int]] = [[i * 4 for i in range(n0)]]
    for r in range(1, len(cells)):
        prev = ys[-1]
        ys.append([(prev[2 * j] + prev[2 * j + 1]) // 2 for j in range(len(cells[r]))])
    height = max(ys[0]) + 2
    grid = [[" "] * (total_w + 2) for _row in range(height)]
    bold = [[False] * (total_w + 2) for _row in range(height)]
    for r, col in enumerate(cells):
        for j, lines in enumerate(col):
            y = ys[r][j]
            for k, (s, win) in enumerate(lines):
                for i, ch in enumerate(s):
                    grid[y + k][xs[r] + i] = ch
                    bold[y + k][xs[r] + i] = win
            if r + 1 < len(cells):
                x = xs[r] + widths[r]
                target = ys[r + 1][j // 2] + (j % 2)
                mid_y = y + (0 if j % 2 == 0 else 1)
                grid[mid_y][x] = "─"
                grid[mid_y][x + 1] = "┐" if j % 2 == 0 else "┘"
                lo, hi = sorted((mid_y, target))
                for yy in range(lo + 1, hi):
                    grid[yy][x + 1] = "│"
                grid[target][x + 2] = "─" if grid[target][x + 2] == " " else grid[target][x + 2]
    text = Text(no_wrap=True, overflow="ignore")
    header = ""
    for r, (name, _ties) in enumerate(br.rounds):
        header = header.ljust(xs[r]) + term(name)
    text.append(header + "\n", style="bold underline")
    for y in range(height):
        _styled(text, "".join(grid[y]).rstrip(), bold[y])
    return text


def _stacked(lay: _Layout, width: int) -> Text:
    name_w = min(lay.name_w + (2 if lay.reentry else 0), max(width - 30, 12))
    text = Text(no_wrap=True, overflow="ignore")
    for r, (name, ties) in enumerate(lay.br.rounds):
        if r:
            text.append("\n")
        text.append(term(name) + "\n", style="bold underline")
        head = lay.heading(lay.lines(r, ties[0], name_w)[0][0], ties) if ties else ""
        if head:
            text.append("  " + head + "\n", style="dim")
        for k, t in enumerate(ties):
            if k:
                text.append("\n")
            for s, win in lay.lines(r, t, name_w):
                line = ("✔ " if win else "  ") + s
                _styled(text, line, [win] * len(line))
    return text


def bracket_text(br: Bracket, width: int = 80) -> Text:
    """The bracket within ``width`` columns: a tree when it is regular and fits, else stacked."""
    if not br.rounds:
        return Text(_("(no knockout rounds)"))
    lay = _Layout(br)
    text = (_tree(lay, width) if lay.regular() else None) or _stacked(lay, width)
    legend = lay.legend(width)
    if legend:
        text.append(legend + "\n", style="dim")
    if br.champion:
        text.append(
            "\n" + _("Champion: {club}").format(club=br.champion) + "\n", style="bold green"
        )
    return text
