"""Export a season as Wikipedia wikitext (``copa export SEASON --format wiki``).

One ``{{#invoke:sports table}}`` per group (computed W/D/L/GF/GA, the match
grid, codes unique within the table, qualification marks and ``class_rules``
from the ranking chain), ``{{TwoLegResult}}`` / ``{{OneLegResult}}`` rows for
ties with ``(a)`` and ``(x–y p)`` notes and *Tiebreaker* sub-sections, a
``{{16TeamBracket}}`` (or 4/8/32) for the final stage, the qualifiers table
and an infobox with the computed statistics and their scope.

The layout is what :mod:`copa.sources.wiki.importer` reads back with the same
format file: ``==Stage==``, ``===Round===``, ``====Group====``. Extra time
is written the Wikipedia way (``2–1 (a.e.t.)``) plus the 90-minute score
(``(1–1 after 90 min)``), which the importer needs and a reader can use.

No lead text of copa's own; the records' scope note is a footnote
(``<ref group="note">``, listed under ``==Notes==``). A season imported
from an article keeps that article's own tables (codes, styling, order of
parameters) in its season file (``wiki:``), and its export writes them;
``--like ARTICLE`` takes them from an article instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copa.core.bracket import bracket
from copa.core.criteria import CRITERIA
from copa.core.group import Group
from copa.core.match import Match, MatchStatus
from copa.core.resolve import GroupResult, RoundResult, SeasonResult, StageResult
from copa.core.stats import season_stats
from copa.core.tie import TieResult

if TYPE_CHECKING:
    from copa.spec.season_file import WikiModel

TIEBREAKER = "Tiebreaker"
_BAD = re.compile(r"[|{}\[\]=<>&\n\t]|''|^\s|\s$|\s\s")
_SMALL = frozenset({"de", "del", "la", "las", "los", "el", "y", "of", "the"})


class WikiExportError(ValueError):
    """A name that wikitext cannot carry unchanged."""


def _name(text: str, what: str) -> str:
    if not text or _BAD.search(text):
        raise WikiExportError(f"{what} {text!r} cannot be written in wikitext unchanged")
    return text


def _dash(a: int, b: int) -> str:
    return f"{a}–{b}"


def _result_text(m: Match, reverse: bool = False) -> str:
    """A match's score as Wikipedia writes it, from the home side (or the away side)."""

    def side(s: object) -> tuple[int, int]:
        h, a = s.home, s.away  # type: ignore[attr-defined]
        return (a, h) if reverse else (h, a)

    first = f", {m.shot_first} first" if m.shot_first is not None else ""
    if m.final is None:
        if m.counts:  # played, score unknown: no goals are written (never 0-0)
            if m.penalties is not None:
                return f"? ({_dash(*side(m.penalties))} p{first})"
            return f"? (won by {m.recorded_winner})"
        return "null" if m.status is MatchStatus.NOT_PLAYED else ""
    text = _dash(*side(m.final))
    if m.extra_time is not None and m.score is None:
        text += " (a.e.t.)"  # the source gave no 90-minute score
    elif m.extra_time is not None:
        assert m.score is not None
        text += f" (a.e.t.) ({_dash(*side(m.score))} after 90 min)"
    if m.penalties is not None:
        text += f" ({_dash(*side(m.penalties))} p{first})"
    if m.status is MatchStatus.WALKOVER:
        text += " (w/o)"
    elif m.status is MatchStatus.AWARDED:
        text += " (awarded)"
        if m.original is not None:
            text += f" (was {_dash(*side(m.original))})"
    elif m.status is MatchStatus.ANNULLED:
        text += " (annulled)"
    return text


#: the footnote every result copa invented carries (list-defined under ==Notes==)
SIMULATED_REF = '<ref name="simulated" group="note" />'
SIMULATED_NOTE = "Simulated by copa play: a result copa invented, not one played."


def _sim(m: Match) -> str:
    """The footnote mark of a simulated result ("" for a real one)."""
    return SIMULATED_REF if m.simulated else ""


def _codes(clubs: list[str]) -> dict[str, str]:
    """Short codes, unique within one table (``Universitario de Trujillo`` -> ``UT``...)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for club in clubs:
        plain = unicodedata.normalize("NFKD", club).encode("ascii", "ignore").decode()
        words = [w for w in re.findall(r"[A-Za-z0-9]+", plain)]
        big = [w for w in words if w.lower() not in _SMALL] or words or ["T"]
        code = "".join(w[0] for w in big[:3]).upper()
        if len(code) < 3:
            code = (code + big[0][1:]).upper()[:3]
        base, n = code or "T", 2
        while code in used or not code:
            code, n = f"{base}{n}", n + 1
        used.add(code)
        out[club] = code
    return out


def _class_rules(chain: tuple[str, ...]) -> str:
    labels = []
    for i, name in enumerate(chain, start=1):
        label = CRITERIA[name].label if name in CRITERIA else name
        labels.append(f"{i}) {label[:1].upper()}{label[1:]}")
    return "; ".join(labels) + "."


def _group_table(rr: RoundResult, gr: GroupResult, next_round: str) -> list[str]:
    g = gr.group
    order = [s.club for s in gr.table.standings]
    codes = _codes(order)
    out = ["{{#invoke:sports table|main|style=WDL|show_matches=true"]
    scheme = g.rules.scheme
    if (scheme.win, scheme.draw, scheme.loss) != (3, 1, 0):
        out.append(f"|winpoints={scheme.win}|drawpoints={scheme.draw}|losspoints={scheme.loss}")
    for i, club in enumerate(order, start=1):
        out.append(f"|team{i}={codes[club]}|name_{codes[club]}={_name(club, 'club')}")
    for s in gr.table.standings:
        c = codes[s.club]
        out.append(
            f"|win_{c}={s.won}|draw_{c}={s.drawn}|loss_{c}={s.lost}"
            f"|gf_{c}={s.goals_for}|ga_{c}={s.goals_against}"
        )
    adjust: dict[str, tuple[int, list[str]]] = {}
    for a in g.adjustments:
        points, reasons = adjust.get(a.club, (0, []))
        adjust[a.club] = (points + a.points, [*reasons, a.reason] if a.reason else reasons)
    for club, (points, reasons) in adjust.items():
        c = codes[club]
        note = f"|note_{c}={_name('; '.join(reasons), 'reason')}" if reasons else ""
        out.append(f"|adjust_points_{c}={points}{note}")
    going = set(gr.qualified)
    for sel in rr.selections:
        going |= {c for c in sel.chosen if c in g.clubs}
    marks = [f"|result{i}=Q" for i, club in enumerate(order, start=1) if club in going]
    if marks:
        out.append("".join(marks))
        out.append(f"|col_Q=green1|text_Q={_name(next_round, 'round')}")
    out.append(f"|class_rules={_class_rules(gr.table.chain)}")
    out += _grid(g, codes)
    out.append(f"|update={_update(gr)}|source=")
    out.append("}}")
    return out


def _update(gr: GroupResult) -> str:
    """``complete``, or while fixtures remain the last matchday played (blank when unknown)."""
    if gr.complete:
        return "complete"
    days = [
        d for m in gr.group.matches if m.counts and (d := getattr(m, "matchday", None)) is not None
    ]
    return str(max(days)) if days else ""


def _grid(g: Group, codes: dict[str, str]) -> list[str]:
    out = []
    have = set()
    for m in g.matches:
        have.add((m.home, m.away))
        out.append(f"|match_{codes[m.home]}_{codes[m.away]}={_result_text(m)}{_sim(m)}")
    if g.legs == 1:
        for m in g.matches:
            if (m.away, m.home) not in have:
                have.add((m.away, m.home))
                out.append(f"|match_{codes[m.away]}_{codes[m.home]}=null")
    return out


def _one_leg_rows(rows: list[tuple[str, str, str]]) -> list[str]:
    out = ["{{OneLegStart}}"]
    out += [f"{{{{OneLegResult|{a}||{score}|{b}}}}}" for a, score, b in rows]
    out.append("|}")
    return out


def _tie_row(t: TieResult) -> str:
    tie = t.tie
    a, b = (_name(c, "club") for c in tie.teams)
    if len(tie.legs) == 1:
        leg = tie.legs[0]
        return f"{{{{OneLegResult|{a}||{_result_text(leg)}{_sim(leg)}|{b}}}}}"
    if len(tie.legs) != 2:
        raise WikiExportError(
            f"{a} v {b}: {len(tie.legs)} legs cannot be written as a TwoLegResult"
        )
    first, second = tie.legs
    agg = _dash(*t.aggregate)
    claimed = tie.claimed_decided_by
    if claimed == "away_goals" or (claimed is None and t.decided_by == "away_goals"):
        agg += " (a)"
    if second.penalties is not None:
        p = second.penalties
        mine = (p.home, p.away) if second.home == tie.teams[0] else (p.away, p.home)
        agg += f" ({_dash(*mine)} p)"
    leg2 = _result_text(second, reverse=second.home != tie.teams[0])
    leg2 = re.sub(r" \(\d+–\d+ p\)", "", leg2)  # the shoot-out goes with the aggregate
    leg2 += _sim(second)
    leg1 = _result_text(first, reverse=first.home != tie.teams[0]) + _sim(first)
    return f"{{{{TwoLegResult|{a}||{agg}|{b}||{leg1}|{leg2}}}}}"


def _ties(rr: RoundResult, level: int) -> list[str]:
    one = all(len(t.tie.legs) == 1 for t in rr.ties)
    out = ["{{OneLegStart}}" if one else "{{TwoLeg start}}"]
    out += [_tie_row(t) for t in rr.ties]
    out.append("|}" if one else "{{end}}")
    deciders = [t.tie for t in rr.ties if t.tie.decider is not None]
    if deciders:
        out += ["", _heading(level + 1, TIEBREAKER)]
        rows = []
        for tie in deciders:
            d = tie.decider
            assert d is not None
            rows.append(
                (
                    tie.teams[0],
                    _result_text(d, reverse=d.home != tie.teams[0]) + _sim(d),
                    tie.teams[1],
                )
            )
        out += _one_leg_rows(rows)
    return out


def _heading(level: int, title: str) -> str:
    marks = "=" * min(level, 6)
    return f"{marks}{_name(title, 'heading')}{marks}"


def _bracket(sr: StageResult) -> list[str]:
    br = bracket(sr)
    if not br.rounds:
        return []
    sizes = [len(ties) for _, ties in br.rounds]
    if any(sizes[i] != sizes[0] // 2**i for i in range(len(sizes))) or sizes[-1] != 1:
        return []
    teams = 2 * sizes[0]
    if teams not in (4, 8, 16, 32):
        return []
    legs = max(len(t.tie.legs) for _, ties in br.rounds for t in ties)
    out = [f"{{{{{teams}TeamBracket|legs={legs}|aggregate={'y' if legs > 1 else 'n'}|seeds=n"]
    for k, (name, _) in enumerate(br.rounds, start=1):
        out.append(f"| RD{k}={_name(name, 'round')}")
    previous: list[str] = []
    for k, (_, ties) in enumerate(br.rounds, start=1):
        slots: list[str] = []
        for t in ties:
            pair = list(t.tie.teams)
            if previous:
                pair.sort(key=lambda c: previous.index(c) if c in previous else len(previous))
            slots += pair
            for club in pair:
                n = len(slots) - len(pair) + pair.index(club) + 1
                out += _bracket_entry(k, n, club, t)
        previous = slots
    out.append("}}")
    return out


def _bracket_entry(k: int, n: int, club: str, t: TieResult) -> list[str]:
    tie = t.tie
    out = [f"| RD{k}-team{n:02d}={club}"]
    side = tie.teams.index(club)
    for i, leg in enumerate(tie.legs, start=1):
        f = leg.final
        goals = "" if f is None else str(leg.goals(club)[0])
        if len(tie.legs) == 1 and leg.penalties is not None and f is not None:
            p = leg.penalties
            goals += f" ({p.home if leg.home == club else p.away})"
        out.append(f"| RD{k}-score{n:02d}-{i}={goals}")
    if len(tie.legs) > 1:
        agg = str(t.aggregate[side])
        last = tie.legs[-1]
        if last.penalties is not None:
            agg += f" ({last.penalties.home if last.home == club else last.penalties.away})"
        out.append(f"| RD{k}-score{n:02d}-agg={agg}")
    return out


def _scope_note(scope: tuple[str, ...]) -> str:
    if not scope:
        return ""
    words = [s[:1].upper() + s[1:] for s in scope]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"Only {joined} Stages taken into consideration"


def _infobox(result: SeasonResult, like: Like | None = None) -> list[str]:
    season = result.season
    stats = season_stats(result)
    out = [
        "{{Infobox football league season",
        f"| competition = {_name(season.competition, 'competition')}",
        f"| season = {_name(season.name, 'season')}",
    ]
    if result.champion:
        invented = any(m.simulated for _, m in result.matches())
        out.append(f"| winners = {result.champion}{SIMULATED_REF if invented else ''}")
    records = [
        ("biggest home win", stats.biggest_home_win),
        ("biggest away win", stats.biggest_away_win),
        ("highest scoring", stats.highest_scoring),
    ]
    note = _scope_note(season.stats_scope)
    for i, (label, matches) in enumerate(records):
        lines = [_record(m) for m in matches]
        # the scope note is a footnote (Wikipedia's notes), on the last record
        footnote = f'<ref group="note">{note}</ref>' if i == len(records) - 1 and note else ""
        out.append(f"| {label} = {'<br />'.join(lines)}{footnote}")
    out.append(f"| matches = {stats.matches}")
    out.append(f"| total goals = {stats.goals}")
    for key in ("prevseason", "nextseason"):
        value = like.infobox.get(key, "") if like is not None else ""
        if value:
            out.append(f"| {key} = {value}")
    out.append("}}")
    return out


def _record(m: Match) -> str:
    f = m.final
    assert f is not None
    return f"{m.home} {_dash(f.home, f.away)} {m.away}"


def _qualifiers(result: SeasonResult) -> list[str]:
    clubs = [c for c in result.season.clubs if c.department]
    if not clubs:
        return []
    out = ["==Qualified teams==", '{| class="wikitable"', "! Department !! Team !! Location"]
    i = 0
    while i < len(clubs):
        dept = clubs[i].department
        run = 1
        while i + run < len(clubs) and clubs[i + run].department == dept:
            run += 1
        for j in range(run):
            c = clubs[i + j]
            out.append("|-")
            if j == 0:
                span = f'rowspan="{run}" | ' if run > 1 else ""
                out.append(f"| {span}{_name(dept, 'department')}")
            out.append(f"| {_name(c.name, 'club')}")
            out.append(f"| {_name(c.location, 'location') if c.location else ''}")
        i += run
    out.append("|}")
    return out


def season_wikitext(result: SeasonResult, like: Like | None = None) -> str:
    """The whole season as one article's wikitext.

    With ``like`` (the article the season was imported from), each group's
    table is that article's own table, its team codes, styling parameters
    (``matches_style``, ``solid_cell``, ``res_col_header``, ``source=``...),
    marks and parameter order kept, with the rows and grid cells written from
    the results; the infobox keeps ``prevseason``/``nextseason``.
    """
    out = _infobox(result, like)
    out += [""]
    out += _qualifiers(result)
    final = result.stages[-1].stage.name if result.stages else None
    for sr in result.stages:
        out += ["", _heading(2, sr.stage.name)]
        if sr.stage.name == final:
            out += _bracket(sr)
        rounds = list(sr.rounds)
        for n, rr in enumerate(rounds):
            nxt = rounds[n + 1].round.name if n + 1 < len(rounds) else "Next stage"
            out += ["", _heading(3, rr.round.name)]
            for gr in rr.groups:
                out += ["", _heading(4, gr.group.name)]
                own = (
                    like.tables.get((sr.stage.name, rr.round.name, gr.group.name)) if like else None
                )
                out += _group_table(rr, gr, nxt) if own is None else own.updated(gr)
                if gr.group.deciders:
                    out += ["", _heading(5, TIEBREAKER)]
                    out += _one_leg_rows(
                        [(m.home, _result_text(m) + _sim(m), m.away) for m in gr.group.deciders]
                    )
            if rr.ties:
                out += _ties(rr, 3)
    if any(m.simulated for _, m in result.matches()):
        # list-defined: every simulated result above points at this one note
        out += [
            "",
            "==Notes==",
            '{{reflist|group="note"|refs=',
            f'<ref name="simulated">{SIMULATED_NOTE}</ref>',
            "}}",
        ]
    elif _scope_note(result.season.stats_scope):
        out += ["", "==Notes==", '{{reflist|group="note"}}']
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the article's own markup

_ROW_KEYS = (
    ("win", "won"),
    ("draw", "drawn"),
    ("loss", "lost"),
    ("gf", "goals_for"),
    ("ga", "goals_against"),
)


@dataclass(frozen=True)
class ArticleTable:
    """One sports table of an article: its text, and its codes (club -> code)."""

    text: str
    codes: dict[str, str]

    def updated(self, gr: GroupResult) -> list[str]:
        """The table with every row and grid value the results give; the rest as written."""
        import wikitextparser as wtp

        from copa.wikitext.cells import parse_score
        from copa.wikitext.edit import Edit, apply, rewrite_score

        tpl = next(iter(wtp.parse(self.text).parser_functions), None)
        args = {" ".join(a.name.split()): a.value.strip() for a in tpl.arguments} if tpl else {}
        edits = []
        for st in gr.table.standings:
            code = self.codes.get(st.club)
            if code is None:
                continue
            for key, attr in _ROW_KEYS:
                name = f"{key}_{code}"
                value = str(getattr(st, attr))
                if name in args and args[name] != value:
                    edits.append(Edit(1, name, args[name], value))
        for m in gr.group.matches:
            hc, ac = self.codes.get(m.home), self.codes.get(m.away)
            name = f"match_{hc}_{ac}"
            f = m.final
            if hc is None or ac is None or f is None or name not in args:
                continue
            written = parse_score(args[name])
            new = args[name]
            if written is not None and (written.home, written.away) != (f.home, f.away):
                new = rewrite_score(args[name], f.home, f.away)
            if m.simulated and SIMULATED_REF not in new:
                new += SIMULATED_REF
            if new != args[name]:
                edits.append(Edit(1, name, args[name], new))
        text, _ = apply(self.text, edits)
        return text.split("\n")


@dataclass(frozen=True)
class Like:
    """What an export keeps of the article a season came from."""

    tables: dict[tuple[str, str, str], ArticleTable]
    infobox: dict[str, str]


def like_markup(wiki: WikiModel) -> Like:
    """What an export keeps from a season file's ``wiki:`` section (docs/season-file.md)."""
    tables = {(t.stage, t.round, t.group): ArticleTable(t.text, dict(t.codes)) for t in wiki.tables}
    return Like(tables, dict(wiki.infobox))


def like_article(imp: object) -> Like:
    """The markup to keep from an imported article (a ``WikiImport``)."""
    markup = getattr(imp, "markup", None)
    wiki = markup() if markup is not None else None
    if wiki is None:
        raise WikiExportError("--like names an article: a source with no markup to keep")
    return like_markup(wiki)
