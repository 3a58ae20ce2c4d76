"""What a wiki import gives besides the season: where each table, row and bracket of the
article went, and the article's own markup. Data only, shared by the importer, the
audit and the exporter's "like the article" mode."""

from __future__ import annotations

from dataclasses import dataclass

from copa.sources.importing import Imported, Place
from copa.sources.wiki.parse import Article, Bracket, OneLegRow, SportsTable, TwoLegRow
from copa.spec.season_file import WIKI_INFOBOX_KEPT, WikiModel, WikiTableModel


@dataclass(frozen=True)
class MappedTable:
    table: SportsTable
    place: Place
    clubs: dict[str, str]  # code -> full name


@dataclass(frozen=True)
class MappedRow:
    row: TwoLegRow | OneLegRow
    place: Place
    teams: tuple[str, str]  # full names, team 1 first


@dataclass(frozen=True)
class WikiImport(Imported):
    """The imported season plus where each table, row and bracket of the article went."""

    article: Article | None = None
    tables: tuple[MappedTable, ...] = ()
    rows: tuple[MappedRow, ...] = ()
    brackets: tuple[tuple[Bracket, int], ...] = ()
    #: line of each infobox parameter ("biggest home win" -> 15), for audit reports
    infobox_lines: tuple[tuple[str, int], ...] = ()
    #: the article's text as read, for corrections (``copa audit --fix``)
    article_text: str = ""

    def markup(self) -> WikiModel:
        """The article's own tables (codes, styling, order) and kept infobox parameters."""
        import wikitextparser as wtp

        text = self.article_text
        parsed = wtp.parse(text)
        starts = {text.count("\n", 0, pf.span[0]) + 1: pf.string for pf in parsed.parser_functions}
        stages = self.format.model.stages
        tables = []
        for mt in self.tables:
            own = starts.get(mt.table.line)
            if own is None:
                continue
            st = stages[mt.place.stage]
            tables.append(
                WikiTableModel(
                    stage=st.name,
                    round=st.rounds[mt.place.round].name,
                    group=mt.place.group or "",
                    codes={club: code for code, club in mt.clubs.items()},
                    text=own,
                )
            )
        box: dict[str, str] = {}
        infobox = next(
            (t for t in parsed.templates if t.normal_name(capitalize=True).startswith("Infobox")),
            None,
        )
        for arg in infobox.arguments if infobox is not None else ():
            key, value = " ".join(arg.name.split()), arg.value.strip()
            if key in WIKI_INFOBOX_KEPT and value:
                box[key] = value  # as written: links and all
        return WikiModel(infobox=box, tables=tables)
