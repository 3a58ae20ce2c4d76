"""``copa upgrade``: a season file rewritten in the current form.

copa reads every season file it wrote before (``tests/test_old_files.py``,
``tests/test_structure.py``); the current form differs in one way only: a
season played in a bundled structure (``copa/data/structures``) includes it
(``structure: copa-peru-2011``) instead of writing its rules, stages, rounds,
qualification and slot map out again. :func:`upgraded` gives the new text of
such a file, and says why nothing changes for the others (a pyramid season file
embeds its format on purpose; a season no bundled structure fits is current as
it is). The new text is accepted only if it reads back to the same season,
with the same ``wiki:`` section and history.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.spec.season_file import ErrorLocator, SeasonModel, build, load_mapping, validate
from copa.spec.season_writer import SeasonWriteError, header_of, write_season


@dataclass(frozen=True)
class Upgrade:
    text: str
    #: what was done, or why nothing was (one line)
    why: str
    changed: bool


def upgraded(text: str, source: str) -> Upgrade:
    """``text`` (a season file of any form copa reads) in the current form."""
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file (competition, season, clubs, stages)")
    model = validate(SeasonModel, data, err)
    season = build(model, err)
    if model.pyramid is not None:
        return Upgrade(text, "a pyramid season file: already in the current form", False)
    if "structure" in data:
        return Upgrade(text, f"includes the structure {data['structure']}: already current", False)
    from copa.spec.structure import bundled

    for name in bundled():
        try:
            new = write_season(
                season, header_of(text), model.wiki, structure=name, history=model.history
            )
            again = validate(SeasonModel, load_mapping(new, source, "a season file"), err)
            same = build(again, err) == season and (again.wiki, again.history) == (
                model.wiki,
                model.history,
            )
        except (SeasonWriteError, ValueError):  # not this structure's season
            continue
        if same:
            return Upgrade(new, f"now includes the structure {name}", True)
    return Upgrade(text, "no bundled structure fits it: already in the current form", False)
