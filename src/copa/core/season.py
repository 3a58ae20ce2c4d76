"""A season: its clubs, stages in order, and what the final places earn."""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.club import Club
from copa.core.stage import Stage


@dataclass(frozen=True, slots=True)
class Promotion:
    """The club finishing ``place`` in the final stage goes to ``destination``."""

    place: int
    destination: str


@dataclass(frozen=True)
class Season:
    """The whole season as data; :func:`copa.core.resolve.resolve` plays it out."""

    name: str
    competition: str
    clubs: tuple[Club, ...]
    stages: tuple[Stage, ...]
    promotions: tuple[Promotion, ...] = ()
    #: stage kinds (or stage names) whose matches the statistics count
    stats_scope: tuple[str, ...] = ()
    #: named groupings of departments (regions), for display and validation
    regions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def club(self, name: str) -> Club:
        for c in self.clubs:
            if c.name == name:
                return c
        raise KeyError(name)

    def stage(self, name: str) -> Stage:
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(f"no stage {name!r}")

    @property
    def final_stage(self) -> Stage:
        return self.stages[-1]
