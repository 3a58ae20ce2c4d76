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
from dataclasses import dataclass

from copa.core.issues import Severity
from copa.core.resolve import RoundResult, SeasonResult, resolve
from copa.sources.importing import Finding, Imported, Note
from copa.sources.wiki.checks import (
    aggregate_finding,
    bracket_findings,
    infobox_findings,
    table_findings,
)
from copa.sources.wiki.importer import WikiImport
from copa.sources.wiki.parse import TwoLegRow
from copa.spec.formats import Format


@dataclass(frozen=True)
class Audit:
    """The findings (claims the results contradict), what was checked, and the import's notes."""

    source: str
    format_origin: str
    findings: tuple[Finding, ...]
    checked: tuple[tuple[str, int], ...]
    notes: tuple[Note, ...]

    @property
    def ok(self) -> bool:
        return not self.findings


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
    if isinstance(imp, WikiImport):
        _wiki(imp, result, findings, checked)
    lines: dict[frozenset[str], int | None] = {}
    if isinstance(imp, WikiImport):
        lines = {frozenset(r.teams): r.row.line for r in imp.rows}
    notes = list(imp.notes)
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
    return Audit(
        imp.source,
        imp.format.origin,
        tuple(findings),
        tuple(sorted(checked.items())),
        tuple(notes),
    )


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
            Finding(f.check, _where(b.section, b.stage) + " > " + f.where, *_rest(f))
            for f in bracket_findings(b, result, stages[si].name)
        ]
    if imp.article is not None and imp.article.infobox is not None:
        checked["infobox"] += 1
        out += infobox_findings(imp.article.infobox, result, dict(imp.infobox_lines))


def _rest(f: Finding) -> tuple[int | None, str, str, str, str]:
    return f.line, f.subject, f.published, f.computed, f.note


def audit_source(
    path: str, kind: str | None, fmt: Format | None, clubs: str | None = None
) -> Audit:
    """Import ``path`` (as ``kind``) and audit it."""
    from copa.sources.import_source import import_source

    return audit_import(import_source(path, kind, fmt, clubs))


def render_text(a: Audit) -> str:
    lines = [f"audit of {a.source} (format: {a.format_origin})"]
    what = ", ".join(f"{n} {k}" for k, n in a.checked)
    lines.append(f"checked: {what}")
    if a.findings:
        lines.append(f"{len(a.findings)} claim(s) disagree with the results:")
        for f in a.findings:
            where = f"{a.source}:{f.line}" if f.line else a.source
            check = "" if f.where.lower().startswith(f.check) else f"{f.check}: "
            lines.append(f"  {where}: {check}{f.text()}")
    else:
        lines.append("every published claim agrees with the results")
    if a.notes:
        lines.append(f"{len(a.notes)} note(s) from reading the source:")
        lines += [f"  {n.render(a.source)}" for n in a.notes]
    return "\n".join(lines) + "\n"


def render_json(a: Audit) -> str:
    data = {
        "source": a.source,
        "format": a.format_origin,
        "ok": a.ok,
        "checked": dict(a.checked),
        "findings": [f.as_dict() for f in a.findings],
        "notes": [{"line": n.line, "kind": n.kind, "message": n.message} for n in a.notes],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
