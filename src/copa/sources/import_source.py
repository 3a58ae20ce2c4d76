"""Old home of :func:`copa.sources.reader.import_source` (``copa import``), kept importable."""

from __future__ import annotations

from copa.sources.reader import KINDS, import_source, kind_of

__all__ = ["KINDS", "import_source", "kind_of"]
