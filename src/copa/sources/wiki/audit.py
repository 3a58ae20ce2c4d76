"""``copa audit``: every claim a source publishes, checked against its own results.

For an article: each sports-table row (W/D/L/GF/GA and the points they
imply) against the table's match grid; goals for against goals against over
each group; each table's order against the round's ranking chain; the
qualification marks against the round's qualification rules; each
``TwoLegResult`` aggregate against its legs; the bracket against the ties;
the infobox's winners, records and totals against the results within the
scope the infobox states; and whatever the engine finds in recorded claims
(an ``(a)`` on a tie away goals did not decide, qualifiers who do not play).
For football.json, the ``agg`` scores; CSV publishes results only.

The format of the report: ``docs/audit.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace

from copa.core.issues import Severity
from copa.core.resolve import RoundResult, SeasonResult, resolve
from copa.sources.importing import Finding, Imported, Note
from copa.sources.wiki.checks import (
    aggregate_finding,
    bracket_findings,
    infobox_findings,
    infobox_suggestions,
    table_findings,
)
from copa.sources.wiki.imported import WikiImport
from copa.sources.wiki.parse import TwoLegRow
from copa.spec.formats import Format
from copa.wikitext.edit import Edit, apply, locate


@dataclass(frozen=True)
class Audit:
    """The findings (claims the results contradict), what was checked, and the import's notes."""

    source: str
    format_origin: str
    findings: tuple[Finding, ...]
    checked: tuple[tuple[str, int], ...]
    notes: tuple[Note, ...]
    #: what the source leaves empty and its results can fill (not disagreements)
    suggestions: tuple[Finding, ...] = ()
    #: the line of each correction's parameter in the source
    edit_lines: tuple[tuple[Edit, int], ...] = ()
    #: the source's text (an article's), for corrections
    text: str = ""

    @property
    def ok(self) -> bool:
        return not self.findings

    def edits(self) -> list[Edit]:
        """Every correction, once each, in the order of the findings (suggestions last)."""
        out: dict[tuple[int, str, str | None], Edit] = {}
        for f in (*self.findings, *self.suggestions):
            if f.edit is not None:
                out.setdefault((f.edit.template_line, f.edit.param.lower(), f.edit.part), f.edit)
        return list(out.values())

    def line_of(self, edit: Edit) -> int | None:
        return dict(self.edit_lines).get(edit)


def _where(section: tuple[str, ...], stage: str | None) -> str:
    return " > ".join(section) if section else (stage or "(top)")


def _round(result: SeasonResult, stage: str, rnd: str) -> RoundResult | None:
    for rr in result.rounds():
        if rr.stage == stage and rr.round.name == rnd:
            return rr
    return None


def audit_import(imp: Imported) -> Audit:
    """Audit an imported source: its own claims, then the engine's view of recorded claims."""
    result = resolve(imp.season)
    findings: list[Finding] = list(imp.findings)
    checked: Counter[str] = Counter(dict(imp.checked))
    suggestions: list[Finding] = []
    if isinstance(imp, WikiImport):
        _wiki(imp, result, findings, checked)
        if imp.article is not None and imp.article.infobox is not None:
            suggestions = infobox_suggestions(imp.article.infobox, result, dict(imp.infobox_lines))
    lines: dict[frozenset[str], int | None] = {}
    if isinstance(imp, WikiImport):
        lines = {frozenset(r.teams): r.row.line for r in imp.rows}
    # the audit reports the bracket's disagreements itself: the import's notes of them go
    audited_brackets = isinstance(imp, WikiImport) and bool(imp.brackets)
    notes = [n for n in imp.notes if not (audited_brackets and n.kind == "bracket")]
    for issue in result.issues:
        if issue.severity is Severity.PENDING:
            notes.append(Note(None, str(issue), "pending"))
            continue
        teams = issue.where.rsplit(", ", 1)[-1].split(" v ")
        line = lines.get(frozenset(teams)) if len(teams) == 2 else None
        findings.append(Finding("rules", issue.where, line, issue.message, "", ""))
    checked["recorded tie claims"] += sum(
        1
        for r in result.tie_results()
        if r.tie.claimed_winner is not None or r.tie.claimed_decided_by is not None
    )
    edit_lines: dict[Edit, int] = {}
    edits = [f.edit for f in (*findings, *suggestions) if f.edit is not None]
    if edits and isinstance(imp, WikiImport):
        edit_lines = locate(imp.article_text or _source_text(imp.source), edits)
    # each disagreement once, at the line of the parameter that holds it
    seen: set[tuple[object, ...]] = set()
    unique: list[Finding] = []
    for f in findings:
        line = edit_lines.get(f.edit, f.line) if f.edit is not None else f.line
        key = (f.check, line, f.subject, f.published, f.computed)
        if key in seen:
            continue
        seen.add(key)
        unique.append(replace(f, line=line))
    return Audit(
        imp.source,
        imp.format.origin,
        tuple(unique),
        tuple(sorted(checked.items())),
        tuple(notes),
        tuple(
            replace(f, line=edit_lines.get(f.edit, f.line)) if f.edit else f for f in suggestions
        ),
        tuple(edit_lines.items()),
        imp.article_text if isinstance(imp, WikiImport) else "",
    )


def _source_text(path: str) -> str:
    from pathlib import Path

    return Path(path).read_text(encoding="utf-8-sig", errors="replace")


def _wiki(imp: WikiImport, result: SeasonResult, out: list[Finding], checked: Counter[str]) -> None:
    stages = imp.format.model.stages
    for mt in imp.tables:
        fs = stages[mt.place.stage]
        rr = _round(result, fs.name, fs.rounds[mt.place.round].name)
        if rr is None:
            continue
        group = next((g for g in rr.round.groups if g.name == mt.place.group), None)
        if group is None:
            continue
        checked["table rows"] += len(mt.table.published)
        checked["tables"] += 1
        out += table_findings(
            mt.table, mt.clubs, group, _where(mt.table.section, mt.table.stage), rr
        )
    for r in imp.rows:
        if isinstance(r.row, TwoLegRow):
            checked["aggregates"] += 1
            f = aggregate_finding(r.row, _where(r.row.section, r.row.stage))
            if f is not None:
                out.append(f)
    for b, si in imp.brackets:
        checked["brackets"] += 1
        out += [
            replace(f, where=_where(b.section, b.stage) + " > " + f.where)
            for f in bracket_findings(b, result, stages[si].name)
        ]
    if imp.article is not None and imp.article.infobox is not None:
        checked["infobox"] += 1
        out += infobox_findings(imp.article.infobox, result, dict(imp.infobox_lines))


def audit_source(
    path: str, kind: str | None, fmt: Format | None, clubs: str | None = None
) -> Audit:
    """Import ``path`` (as ``kind``) and audit it."""
    from copa.sources.reader import import_source

    return audit_import(import_source(path, kind, fmt, clubs))


def _fix_text(f: Finding) -> str:
    if f.explained_by:
        return f"; explained by {f.explained_by}"
    if f.edit is None:
        return ""
    if f.edit.part is not None:
        return f"; in {f.edit.param!r} write {f.edit.new!r}"
    return f"; write {f.edit.param}={f.edit.new}"


def render_text(a: Audit) -> str:
    lines = [f"audit of {a.source} (format: {a.format_origin})"]
    what = ", ".join(f"{n} {k}" for k, n in a.checked)
    lines.append(f"checked: {what}")
    if a.findings:
        n = len(a.findings)
        lines.append(f"{n} {'claim disagrees' if n == 1 else 'claims disagree'} with the results:")
        for f in a.findings:
            where = f"{a.source}:{f.line}" if f.line else a.source
            check = "" if f.where.lower().startswith(f.check) else f"{f.check}: "
            lines.append(f"  {where}: {check}{f.text()}{_fix_text(f)}")
    else:
        lines.append("every published claim agrees with the results")
    if a.suggestions:
        n = len(a.suggestions)
        lines.append(
            f"{n} {'suggestion' if n == 1 else 'suggestions'}: what the results can fill in"
        )
        for f in a.suggestions:
            where = f"{a.source}:{f.line}" if f.line else a.source
            lines.append(f"  {where}: {f.where}: {f.subject} is empty{_fix_text(f)} ({f.note})")
    if a.notes:
        n = len(a.notes)
        lines.append(f"{n} {'note' if n == 1 else 'notes'} from reading the source:")
        lines += [f"  {n.render(a.source)}" for n in a.notes]
    return "\n".join(lines) + "\n"


def fixed_text(a: Audit) -> tuple[str, str, list[Edit]]:
    """The source as read, the source with every correction and suggestion applied, and the
    corrections that could not be placed."""
    before = a.text or _source_text(a.source)
    after, missing = apply(before, a.edits())
    return before, after, missing


def render_json(a: Audit) -> str:
    data = {
        "source": a.source,
        "format": a.format_origin,
        "ok": a.ok,
        "checked": dict(a.checked),
        "findings": [f.as_dict() for f in a.findings],
        "suggestions": [f.as_dict() for f in a.suggestions],
        "notes": [{"line": n.line, "kind": n.kind, "message": n.message} for n in a.notes],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
