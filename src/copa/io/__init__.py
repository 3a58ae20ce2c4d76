"""Old module names, kept importable while code moves to the new layout.

The modules that lived here now live in ``copa.spec`` (season files, the
pyramid and import formats, the score notation), ``copa.sources`` (readers of
articles, CSV and football.json, club names) and ``copa.sinks`` (JSON, CSV,
wikitext, SVG and charts). ``import copa.io.season_file`` still works and gives
the very module ``copa.spec.season_file``; new code imports the new names.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

MOVED = {
    "season_file": "copa.spec.season_file",
    "season_writer": "copa.spec.season_writer",
    "pyramid_file": "copa.spec.pyramid_file",
    "pyramid_format": "copa.spec.pyramid_format",
    "formats": "copa.spec.formats",
    "scores": "copa.spec.scores",
    "importing": "copa.sources.importing",
    "import_source": "copa.sources.reader",
    "import_csv": "copa.sources.import_csv",
    "import_footballjson": "copa.sources.import_footballjson",
    "clubs_csv": "copa.sources.clubs_csv",
    "names": "copa.sources.names",
    "audit": "copa.sources.wiki.audit",
    "wiki": "copa.sources.wiki",
    "wiki.parse": "copa.sources.wiki.parse",
    "wiki.fix": "copa.wikitext.edit",
    "wiki.importer": "copa.sources.wiki.importer",
    "wiki.checks": "copa.sources.wiki.checks",
    "wiki.export": "copa.sinks.wiki_export",
    "export_json": "copa.sinks.export_json",
    "export_csv": "copa.sinks.export_csv",
    "svg_bracket": "copa.sinks.svg_bracket",
    "charts": "copa.sinks.charts",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        prefix = __name__ + "."
        if fullname.startswith(prefix) and fullname[len(prefix) :] in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVED[spec.name[len(__name__) + 1 :]])

    def exec_module(self, module: ModuleType) -> None:
        return None


if not any(isinstance(f, _Alias) for f in sys.meta_path):
    sys.meta_path.insert(0, _Alias())
