"""The layers of docs/architecture.md, read from the import statements of src/copa.

Every ``import`` and ``from ... import`` is counted, at module top or inside a
function (an import deferred for start-up time is still a dependency), and
``TYPE_CHECKING`` imports too (a type from another layer is a dependency on it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The copa modules ``path`` imports (``from copa.x import y`` counts ``copa.x`` and,
    when ``copa.x.y`` is a module, that too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    me = _module(path).split(".")
    package = me if path.name == "__init__.py" else me[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            out.add(name)
            out |= {f"{name}.{a.name}" for a in node.names if f"{name}.{a.name}" in MODULES}
    return {m for m in out if m == "copa" or m.startswith("copa.")}


FILES = sorted(SRC.joinpath("copa").rglob("*.py"))
MODULES = {_module(p) for p in FILES}
GRAPH = {_module(p): _imports(p) for p in FILES}

#: the readers of other people's formats (each a copa.sources.reader.SourceReader)
IMPORTERS = {
    "copa.sources.import_csv",
    "copa.sources.import_footballjson",
    "copa.sources.import_footballtxt",
    "copa.sources.import_json",
    "copa.sources.wiki.importer",
}


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _breaches(package: str, allowed: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{m} imports {dep}"
        for m, deps in GRAPH.items()
        if _in(m, package)
        for dep in deps
        if not any(_in(dep, a) for a in allowed)
    )


def test_the_graph_is_read() -> None:
    """The reader of imports finds what is certainly there (so an empty answer means none)."""
    assert "copa.sources.importing" in GRAPH["copa.sources.import_csv"]
    assert "copa.sources.csv_rows" in GRAPH["copa.sources.clubs_csv"]
    assert "copa.core.match" in GRAPH["copa.core.group"] or GRAPH["copa.core.group"]
    assert IMPORTERS <= MODULES


def test_the_core_imports_only_the_core() -> None:
    assert _breaches("copa.core", ("copa.core",)) == []


def test_the_spec_imports_no_adapter() -> None:
    """The documents know the core; not the sources, sinks, the CLI, the web app or the
    file writer (``copa.io``): they are text in, text out."""
    assert _breaches("copa.spec", ("copa.core", "copa.spec", "copa.limits", "copa.digest")) == []


def test_no_importer_imports_another_importer_or_a_sink() -> None:
    """Shared helpers live in neutral modules (importing, csv_rows, clubs_csv, reader,
    names, wiki.parse, wiki.imported); only the registry reaches the importers, by name."""
    bad = sorted(
        f"{m} imports {dep}"
        for m, deps in GRAPH.items()
        if _in(m, "copa.sources")
        for dep in deps
        if (dep in IMPORTERS and dep != m) or _in(dep, "copa.sinks") or _in(dep, "copa.cli")
    )
    assert bad == []


def test_the_wikitext_helpers_import_neither_side() -> None:
    assert _breaches("copa.wikitext", ("copa.wikitext", "copa.limits")) == []


def test_the_sinks_import_no_source() -> None:
    assert (
        _breaches(
            "copa.sinks",
            (
                "copa.core",
                "copa.spec",
                "copa.limits",
                "copa.i18n",
                "copa.wording",
                "copa.wikitext",
                "copa.sinks",
            ),
        )
        == []
    )


def test_every_importer_is_a_registered_reader() -> None:
    import importlib

    from copa.sources.reader import READERS, Registered

    modules = {r.module for r in READERS.values() if isinstance(r, Registered)}
    assert modules == IMPORTERS
    for r in READERS.values():
        assert isinstance(r, Registered)
        assert callable(importlib.import_module(r.module).read)


def test_copa_import_from_offers_every_reader() -> None:
    from copa.cli import SourceKind
    from copa.sources.reader import KINDS

    assert [k.value for k in SourceKind] == list(KINDS)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.csv", "csv"), ("A.JSON", "footballjson"), ("article.txt", "wiki"), ("x", "wiki")],
)
def test_the_kind_a_name_suggests(name: str, kind: str) -> None:
    from copa.sources.reader import kind_of

    assert kind_of(name) == kind
