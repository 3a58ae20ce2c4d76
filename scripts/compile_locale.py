"""Compile the gettext catalogues: src/copa/locale/*/LC_MESSAGES/*.po -> .mo.

Pure Python (babel), so no GNU gettext is needed:

    python3 -m uv run python scripts/compile_locale.py          # compile
    python3 -m uv run python scripts/compile_locale.py --check  # exit 1 if a .mo is stale

The command line and the web app share these catalogues (domain ``django``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "src" / "copa" / "locale"


def compiled(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def same(a: bytes, b: bytes) -> bool:
    """Two .mo files hold the same messages (byte order of the hash table aside)."""
    ca, cb = read_mo(io.BytesIO(a)), read_mo(io.BytesIO(b))

    def table(c):  # type: ignore[no-untyped-def]
        return sorted((str(m.id), str(m.string)) for m in c if m.id)

    return table(ca) == table(cb) and ca.plural_forms == cb.plural_forms


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if check:
            if not mo.exists() or not same(mo.read_bytes(), data):
                stale.append(mo)
            continue
        mo.write_bytes(data)
        print(f"compiled {po.relative_to(LOCALE.parent.parent.parent)}")
    for mo in stale:
        print(f"stale: {mo} (run python scripts/compile_locale.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
