"""Finding a season by name (a bundled season) or by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from copa.core.season import Season
from copa.spec.season_file import SeasonFileError, parse_season


def bundled() -> list[str]:
    """Names of the seasons copa ships."""
    folder = resources.files("copa") / "data" / "seasons"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def find_season(name: str) -> Season:
    """A bundled season by name (``2011``) or a season file by path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        from copa.spec.pyramid_file import load_any_season

        return load_any_season(path)
    folder = resources.files("copa") / "data" / "seasons"
    res = folder / f"{name}.yaml"
    if res.is_file():
        return parse_season(res.read_text(encoding="utf-8"), f"{name}.yaml (bundled)")
    known = ", ".join(bundled()) or "none"
    raise SeasonFileError(
        name,
        None,
        "",
        f"no such season file, and no bundled season of that name (bundled: {known})",
    )
