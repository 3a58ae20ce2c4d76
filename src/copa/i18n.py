"""The words copa shows, in the user's language.

One set of gettext catalogues serves the command line and the web app:
``src/copa/locale/<lang>/LC_MESSAGES/django.po`` (domain ``django``, so
Django's ``LOCALE_PATHS`` can point at :data:`LOCALE_DIR`), compiled to
``django.mo`` by ``python scripts/compile_locale.py`` (pure Python, babel; no
GNU gettext needed). The compiled files are committed.

The language is ``--lang`` when given, otherwise the locale's
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set):
``LANG=es_PE.UTF-8`` speaks Spanish. English is the source language.

>>> lang = activate("es"); _("Champion"), ngettext("{n} match", "{n} matches", 1).format(n=1)
('Campeón', '1 partido')
>>> lang = activate("en"); _("Champion")
'Champion'
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "django"

_current: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def available() -> list[str]:
    """Languages with a compiled catalogue, plus English (the source language)."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return sorted(found | {"en"})


def language_from_env(env: Mapping[str, str] | None = None) -> str:
    """The language the environment's locale asks for (``es_PE.UTF-8`` -> ``es``)."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        first = value.split(":")[0]
        code = first.split(".")[0].split("@")[0].split("_")[0].lower()
        if code in ("c", "posix", ""):
            return "en"
        return code
    return "en"


def activate(lang: str | None) -> str:
    """Speak ``lang`` (``es``, ``es_PE``, ``en``; None: the locale's). Returns the language used."""
    global _current, _language
    code = (lang or language_from_env()).replace("-", "_")
    base = code.split("_")[0].lower()
    _current = _gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[code, base], fallback=True
    )
    _language = base if isinstance(_current, _gettext.GNUTranslations) else "en"
    return _language


def language() -> str:
    """The language now spoken (``en`` or ``es``)."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _current.ngettext(singular, plural, n)


def plural(n: int, singular: str, plural_form: str) -> str:
    """``n`` with the right form of its noun: ``plural(1, "{n} pt", "{n} pts")`` -> ``1 pt``."""
    return ngettext(singular, plural_form, n).format(n=n)


def term(text: str) -> str:
    """A name from the data in the current language: a whole phrase from the catalogue
    ("Round of 16", "National Stage", "First Division"), or a numbered place name
    ("Region IV" -> "Región IV", "Group A" -> "Grupo A"); anything else as written.

    >>> lang = activate("es"); term("Region IV"), term("Group B"), term("Real Garcilaso")
    ('Región IV', 'Grupo B', 'Real Garcilaso')
    >>> lang = activate("en")
    """
    if _language == "en" or not text:
        return text
    whole = _current.gettext(text)
    if whole != text:
        return whole
    head, _sep, rest = text.partition(" ")
    if rest and head in ("Region", "Group"):
        return f"{_current.gettext(head)} {rest}"
    return text
