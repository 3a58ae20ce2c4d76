"""Clubs and where they come from.

The core names a club by its full name; a :class:`Club` adds what the pyramid
needs to place it (district, province, department, region) and the short
names other sources use for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Club:
    """A club with its location and the other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()
    district: str = ""
    province: str = ""
    department: str = ""
    region: str = ""
    location: str = ""

    def names(self) -> tuple[str, ...]:
        """Every name that refers to this club, the full name first."""
        return (self.name, *self.aliases)
