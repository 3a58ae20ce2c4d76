"""Names compared as people mean them: ignoring case, accents and spacing.

Its own small module so that looking a club up (copa.sources.names, used by
``copa result``) does not import the import-format and season-file models.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Compare names ignoring case, accents and spacing.

    >>> fold("  Atlético   GRAU ") == fold("atletico grau")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())
