"""Competition structures: a competition-year's stages, rules and slot maps, stored once.

A *structure document* (``copa/data/structures/<name>.yaml``, ``docs/season-file.md``,
"Structures") holds what a season file, an import preset and a pyramid preset of
the same competition-year share: the competition and season, promotion, regions,
the rule sets, and the stages with their rounds (rule set, legs, who goes on,
the groups' names, the slot map) and designated places. A document includes it
with ``structure: <name>`` and keeps only what is its own:

* a season file (:class:`~copa.spec.season_file.SeasonModel`): its clubs, and in each
  stage and round (named as in the structure, in its order) the groups and ties
  with their results;
* an import preset (:class:`~copa.spec.formats.FormatModel`): how sources name
  things (``recognise``, club aliases, ``section``/``aliases`` of stages and rounds);
* a pyramid preset (:class:`~copa.spec.pyramid_format.FormatModel`): its lower
  levels and, for the levels the structure describes, how each round is drawn.

:func:`include` turns such a document's data into the data of the document as if
it were written out in full, before the document's own model checks it; every
reader calls it through :func:`copa.spec.season_file.validate`. A key the document
and the structure both give must agree. Structures are bundled only, so a cached
season (:mod:`copa.spec.cache`, keyed by copa's own files) never outlives one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from typing import Any, Literal

from copa.limits import quote
from copa.spec.errors import SeasonFileError
from copa.spec.files import bundled_names, data_dir

Kind = Literal["season", "import", "pyramid"]
Path_ = tuple[str | int, ...]
Err = Callable[[Path_, str], SeasonFileError]

#: the structure-document version this copa reads (``structure: 1``)
STRUCTURE_VERSION = 1

#: what each kind of document takes from the top of a structure (a pyramid's
#: ``season`` names a generated season, so it takes none)
_TOP: dict[Kind, tuple[str, ...]] = {
    "season": ("competition", "season", "stats_scope", "promotion", "regions", "rules"),
    "import": ("competition", "season", "stats_scope", "promotion", "regions", "rules"),
    "pyramid": ("competition", "stats_scope", "promotion", "regions", "rules"),
}


def bundled() -> list[str]:
    """Names of the structures copa ships."""
    return bundled_names("structures")


@cache
def _load(name: str) -> dict[str, Any]:
    from copa.spec import yamlkit

    source = f"{name}.yaml (bundled structure)"
    text = (data_dir("structures") / f"{name}.yaml").read_text(encoding="utf-8")
    try:
        data = yamlkit.load(text)
    except yamlkit.YamlError as e:
        raise SeasonFileError(source, e.line, "", e.message) from None
    if not isinstance(data, dict) or data.get("structure") != STRUCTURE_VERSION:
        raise SeasonFileError(
            source, 1, "structure", f"not a structure (structure: {STRUCTURE_VERSION})"
        )
    stages = data.get("stages")
    if not isinstance(stages, list) or not all(
        isinstance(s, dict) and isinstance(s.get("name"), str) for s in stages
    ):
        raise SeasonFileError(source, None, "stages", "a structure lists its stages, each named")
    return data


def structure(name: str) -> dict[str, Any]:
    """A bundled structure's data (a fresh copy: callers may change it)."""
    return copy.deepcopy(_load(name))


def include(data: dict[str, Any], kind: Kind, err: Err) -> dict[str, Any]:
    """``data`` with the structure it names (``structure: <name>``) written in; unchanged
    when it names none. ``err(path, message)`` makes the error for a path of ``data``."""
    if "structure" not in data:
        return data
    name = data["structure"]
    if not isinstance(name, str) or name not in bundled():
        known = ", ".join(bundled()) or "none"
        raise err(("structure",), f"no bundled structure {quote(name)} (structures: {known})")
    src = structure(name)
    out = {k: v for k, v in data.items() if k != "structure"}
    for key in _TOP[kind]:
        if key in src:
            out[key] = _merge(out.get(key), src[key], (key,), name, err)
    if kind == "pyramid":
        if "levels" in out:  # else the format's model says it needs them
            out["levels"] = _levels(out["levels"], src["stages"], name, err)
    else:
        out["stages"] = _stages(out.get("stages"), src["stages"], kind, name, err)
    return out


def _merge(own: Any, given: Any, path: Path_, name: str, err: Err) -> Any:
    """A value the document and the structure both may give: mappings are joined
    (the document's keys first), anything else must be the same."""
    if own is None:
        return copy.deepcopy(given)
    if isinstance(own, dict) and isinstance(given, dict):
        joined = dict(own)
        for k, v in given.items():
            joined[k] = _merge(own.get(k), v, (*path, k), name, err)
        return joined
    if own != given and not (_scalar(own) and _scalar(given) and str(own) == str(given)):
        raise err(path, f"given by the structure {name}; say it there, not here")
    return own


def _scalar(v: Any) -> bool:
    """A YAML scalar, as a season's name may be written (``2011`` or ``"2011"``)."""
    return isinstance(v, str | int | float) and not isinstance(v, bool)


def _named(
    own: Any,
    given: list[dict[str, Any]],
    path: Path_,
    what: str,
    name: str,
    err: Err,
    *,
    every: bool = True,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The document's named items (stages, rounds), each with the structure's of that name,
    in the structure's order; ``every``: none may be left out (else a season in
    progress may stop before the rounds still to be drawn, or leave a stage out)."""
    if not isinstance(own, list) or not all(isinstance(x, dict) for x in own):
        raise err(path, f"a list of the structure's {what}s")
    want = [g.get("name") for g in given]
    for i, item in enumerate(own):
        if item.get("name") not in want:
            listed = ", ".join(str(w) for w in want)
            raise err(
                (*path, i, "name"),
                f"{quote(item.get('name'))} is not a {what} of the structure {name} ({listed})",
            )
    have = [item.get("name") for item in own]
    if have != sorted(have, key=want.index) or len(set(have)) != len(have):
        raise err(path, f"the {what}s of the structure {name}, in its order: the order differs")
    missing = [w for w in want if w not in have]
    if every and missing:
        raise err(
            path, f"the {what}s of the structure {name}: {what} {quote(missing[0])} is missing"
        )
    return [(item, given[want.index(item.get("name"))]) for item in own]


def _stages(own: Any, given: list[dict[str, Any]], kind: Kind, name: str, err: Err) -> list[Any]:
    if own is None and kind == "import":  # a preset that renames nothing
        own = [{"name": g["name"]} for g in given]
    every = kind != "season"
    out = []
    for si, (s, g) in enumerate(_named(own, given, ("stages",), "stage", name, err, every=every)):
        sp: Path_ = ("stages", si)
        stage = dict(s)
        for key, value in g.items():
            if key != "rounds":
                stage[key] = _merge(s.get(key), value, (*sp, key), name, err)
        rounds = s.get("rounds")
        if rounds is None:  # an import preset renames none; a season stage lists none yet
            rounds = [{"name": r["name"]} for r in g.get("rounds", [])] if every else []
        pairs = _named(
            rounds, g.get("rounds", []), (*sp, "rounds"), "round", name, err, every=every
        )
        stage["rounds"] = [
            _round(r, gr, (*sp, "rounds", ri), kind, name, err) for ri, (r, gr) in enumerate(pairs)
        ]
        out.append(stage)
    return out


def _round(
    own: dict[str, Any], given: dict[str, Any], path: Path_, kind: Kind, name: str, err: Err
) -> dict[str, Any]:
    rnd = dict(own)
    for key, value in given.items():
        if kind == "season" and key == "slots":
            rnd["ties"] = _slotted(own.get("ties"), value, path, name, err)
        elif kind == "season" and key == "groups":
            groups = own.get("groups")
            if not isinstance(groups, list):
                continue  # none yet, or not a list: the season's own model says which
            names = [g.get("name") if isinstance(g, dict) else None for g in groups]
            if groups and names != value:
                raise err(
                    (*path, "groups"), f"the groups of the structure {name}: {', '.join(value)}"
                )
        else:
            rnd[key] = _merge(own.get(key), value, (*path, key), name, err)
    return rnd


def _slotted(ties: Any, slots: list[Any], path: Path_, name: str, err: Err) -> Any:
    """A season round's ties, each given its pairing of the slot map (tie i, pairing i)."""
    if not isinstance(ties, list):
        return ties
    if len(ties) > len(slots):
        raise err(
            (*path, "ties"),
            f"{len(ties)} ties; the slot map of the structure {name} pairs {len(slots)}",
        )
    out = []
    for ti, t in enumerate(ties):
        if isinstance(t, dict):
            t = {
                **t,
                "slots": _merge(t.get("slots"), slots[ti], (*path, "ties", ti, "slots"), name, err),
            }
        out.append(t)
    return out


# ---------------------------------------------------------------- pyramid presets


def _levels(levels: Any, given: list[dict[str, Any]], name: str, err: Err) -> Any:
    """A pyramid's levels, the rounds of each unit the structure has a stage for completed
    from it: a unit's stage has the unit's name, a level of one stage the level's title."""
    if not isinstance(levels, list):
        return levels
    stages = {g["name"]: g for g in given}
    out = []
    for li, lv in enumerate(levels):
        if not isinstance(lv, dict):
            out.append(lv)
            continue
        lv = dict(lv)
        lp: Path_ = ("levels", li)
        plan = lv.get("rounds")
        if isinstance(plan, dict) and lv.get("title") in stages:
            lv["rounds"] = _plan(plan, stages[lv["title"]], (*lp, "rounds"), name, err)
        units = lv.get("units")
        if isinstance(units, dict):
            lv["units"] = {
                u: _plan(p, stages[u], (*lp, "units", u), name, err)
                if u in stages and isinstance(p, dict)
                else p
                for u, p in units.items()
            }
        out.append(lv)
    return out


def _plan(plan: dict[str, Any], stage: dict[str, Any], path: Path_, name: str, err: Err) -> Any:
    out = []
    pairs = _named(
        plan.get("rounds"), stage.get("rounds", []), (*path, "rounds"), "round", name, err
    )
    for ri, (r, g) in enumerate(pairs):
        rp: Path_ = (*path, "rounds", ri)
        spec = dict(r)
        for key in ("rules", "advance"):
            if key in g:
                spec[key] = _merge(r.get(key), g[key], (*rp, key), name, err)
        how = "groups" if isinstance(r.get("groups"), dict) else "ties"
        if r.get(how) is not None and not isinstance(r.get(how), dict):
            out.append(spec)  # not a mapping: the format's own model says so, at its line
            continue
        draw = dict(r.get(how) or {})
        if "legs" in g:
            draw["legs"] = _merge(draw.get("legs"), g["legs"], (*rp, how, "legs"), name, err)
        if "slots" in g:
            draw["slots"] = _merge(draw.get("slots"), g["slots"], (*rp, how, "slots"), name, err)
        if draw or how in r:
            spec[how] = draw
        out.append(spec)
    return {**plan, "rounds": out}
