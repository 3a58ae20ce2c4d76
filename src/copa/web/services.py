"""Every write of the web app, each in one transaction, with optimistic locking.

A fixture carries a ``version``; a form posts the version it was read at.
A write that finds another version raises :class:`Conflict` and changes
nothing, so the second of two editors is told and keeps what they typed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from copa.web import engine, forecasting, perms
from copa.web.models import SCORE_FIELDS, Club, Fixture, Result, Season


class Conflict(Exception):
    """The fixture changed since the form was read; nothing was written."""


class Invalid(ValueError):
    """The result breaks the rules (said in one sentence)."""


# ---------------------------------------------------------------- loading a season


def unique_slug(base: str, taken: set[str]) -> str:
    slug = slugify(base) or "x"
    out, n = slug, 2
    while out in taken:
        out, n = f"{slug}-{n}", n + 1
    taken.add(out)
    return out


@transaction.atomic
def load_season(text: str, source: str, slug: str | None = None, replace: bool = False) -> Season:
    """Store a season file: spec, clubs, fixtures, and its results as confirmed imports."""
    spec, fixtures, season = engine.split_season(text, source)
    slug = slugify(slug or season.name)
    old = Season.objects.filter(slug=slug).first()
    if old is not None:
        if not replace:
            raise Invalid(_("a season %(slug)s is already stored") % {"slug": slug})
        old.delete()
    row = Season.objects.create(
        slug=slug, name=season.name, competition=season.competition, spec=spec
    )
    taken: set[str] = set()
    clubs = {
        c.name: Club(
            season=row,
            name=c.name,
            slug=unique_slug(c.name, taken),
            department=c.department,
            region=c.region,
            location=c.location,
        )
        for c in season.clubs
    }
    Club.objects.bulk_create(clubs.values())
    slugs = stage_slugs([st.name for st in season.stages])
    rows = [
        _fixture_row(row, f, i, slugs[f.stage], clubs[f.home], clubs[f.away])
        for i, f in enumerate(fixtures)
    ]
    Fixture.objects.bulk_create(rows)
    results = []
    for f, fx in zip(fixtures, rows, strict=True):
        if f.result is None:
            continue
        results.append(_result_row(fx, f.result, "import"))
    Result.objects.bulk_create(results)
    engine.forget(row.pk)
    forecasting.request(row.pk)
    return row


def _fixture_row(
    season: Season, f: engine.FixtureSpec, order: int, stage_slug: str, home: Club, away: Club
) -> Fixture:
    """The row of a fixture of the season file (not stored yet): its place in the season
    and its rules as the file gives them (every field of ``f`` the row has)."""
    copied = {k.name: getattr(f, k.name) for k in fields(f) if k.name not in _NOT_COPIED}
    return Fixture(
        season=season,
        key=engine.key_text(f.key),
        order=order,
        stage_slug=stage_slug,
        home=home,
        away=away,
        venue=f.venue or "",
        **copied,
    )


#: the fields of a file's fixture a row stores in its own form, or not at all (the result)
_NOT_COPIED = frozenset({"key", "home", "away", "venue", "result"})


def stage_slugs(names: list[str]) -> dict[str, str]:
    taken: set[str] = set()
    return {n: unique_slug(n, taken) for n in names}


# ---------------------------------------------------------------- other ways in (set-up)


class _Uploads:
    """Uploaded files written under their own names in a private temporary folder, so
    copa's readers (which read paths) name them as the organizer knows them."""

    def __init__(self) -> None:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="copa-upload-")
        self.root = self._dir.name

    def put(self, name: str, data: bytes) -> str:
        import os

        base = os.path.basename(name or "upload") or "upload"
        path = os.path.join(self.root, base)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def clean(self, message: str) -> str:
        return message.replace(self.root + "/", "")

    def __enter__(self) -> _Uploads:
        return self

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


def pyramid_season_text(
    fmt: str,
    clubs_name: str,
    clubs: bytes,
    seed: int = 0,
    department: str | None = None,
    fmt_name: str = "",
    fmt_data: bytes | None = None,
) -> str:
    """A new season from a pyramid format (preset name, or an uploaded format file) and
    a clubs CSV: the same code as ``copa new-season`` (first rounds drawn)."""
    from copa.cli.pyramid import PyramidCliError, build_new_season
    from copa.spec.season_file import SeasonFileError

    with _Uploads() as up:
        csv_path = up.put(clubs_name or "clubs.csv", clubs)
        ref = up.put(fmt_name or "format.yaml", fmt_data) if fmt_data is not None else fmt
        try:
            text, _season = build_new_season(ref, _path(csv_path), seed, department or None)
        except (PyramidCliError, SeasonFileError) as e:
            raise Invalid(up.clean(str(e))) from None
        except ValueError as e:  # a format the core refuses, said in one sentence
            raise Invalid(up.clean(str(e))) from None
    return text


def imported_season_text(
    name: str,
    data: bytes,
    kind: str | None = None,
    clubs_name: str = "",
    clubs: bytes | None = None,
    fmt_name: str = "",
    fmt_data: bytes | None = None,
) -> tuple[str, list[str]]:
    """A season file made from an article, a CSV or football.json (``copa import``), and
    the notes on what could not be mapped."""
    import os

    from copa.sources.reader import import_source
    from copa.spec.formats import load_format
    from copa.spec.season_file import SeasonFileError
    from copa.spec.season_writer import SeasonWriteError

    with _Uploads() as up:
        path = up.put(name, data)
        clubs_path = up.put(clubs_name or "clubs.csv", clubs) if clubs is not None else None
        fmt = up.put(fmt_name or "format.yaml", fmt_data) if fmt_data is not None else None
        try:
            imp = import_source(path, kind or None, load_format(fmt) if fmt else None, clubs_path)
            text = imp.text()
        except (SeasonFileError, SeasonWriteError) as e:
            raise Invalid(up.clean(str(e))) from None
        notes = [n.render(os.path.basename(name)) for n in imp.notes]
    return text, notes


def _path(p: str) -> Any:
    from pathlib import Path

    return Path(p)


def _result_row(fx: Fixture, res: Any, source: str) -> Result:
    parts = (res.score, res.extra_time, res.penalties, res.original)
    goals = [g for p in parts for g in ((p.home, p.away) if p is not None else (None, None))]
    return Result(
        fixture=fx,
        state=Result.State.CONFIRMED,
        status=str(res.status),
        source=source,
        confirmed_at=timezone.now(),
        **dict(zip(SCORE_FIELDS, goals, strict=True)),
    )


# ---------------------------------------------------------------- result entry


#: a result as typed in the back office, not stored: an unsaved :class:`Result` row
#: (its status, its score fields :data:`~copa.web.models.SCORE_FIELDS`, its reason)
Entry = Result


def validate_entry(fixture: Fixture, e: Entry) -> None:
    """The checks a form cannot make alone: what this fixture's rules allow."""
    needs_score = e.status in ("played", "walkover", "awarded", "annulled")
    if needs_score and (e.home_goals is None or e.away_goals is None):
        raise Invalid(_("give the score of both sides"))
    scored = any(v is not None for v in (e.home_goals, e.away_goals, e.et_home, e.et_away))
    if e.status == "not_played" and scored:
        raise Invalid(_("a match not played has no score"))
    if e.status in ("walkover", "awarded", "annulled", "not_played") and not e.reason.strip():
        raise Invalid(_("say why (walkover, ruling, annulment or match not played)"))
    has_et = e.et_home is not None or e.et_away is not None
    has_pens = e.pen_home is not None or e.pen_away is not None
    if has_et and not fixture.allows_extra_time:
        raise Invalid(_("the rules of this match do not reach extra time"))
    if has_pens and not fixture.allows_penalties:
        raise Invalid(_("the rules of this match do not reach a penalty shoot-out"))
    if has_et and (e.et_home is None or e.et_away is None):
        raise Invalid(_("give the score after extra time of both sides"))
    if has_pens and (e.pen_home is None or e.pen_away is None):
        raise Invalid(_("give the shoot-out score of both sides"))
    if e.status != "played" and (has_et or has_pens):
        raise Invalid(_("extra time and penalties only go with a match played"))
    if (e.orig_home is not None or e.orig_away is not None) and e.status != "awarded":
        raise Invalid(_("the score on the pitch only goes with a match awarded by ruling"))
    try:
        res = engine.to_score_result(e)
    except ValueError as err:
        raise Invalid(str(err)) from None
    from copa.spec.scores import ScoreError, format_result, parse_result

    try:  # the season file's own checks of the notation
        parse_result(format_result(res), leg=fixture.kind == "leg" and fixture.leg == 2)
    except ScoreError as err:
        raise Invalid(str(err)) from None
    problem = engine.check_candidate(fixture.season, fixture.key, res)
    if problem:
        raise Invalid(problem)


def _save(obj: Any, user: Any, reason: str) -> None:
    obj._change_reason = reason
    obj._history_user = user
    obj.save()


def _may_confirm(user: Any, row: Any, perm: str, own: str) -> None:
    """A second person confirms ``row`` (a result or a drawing): its recorder is told ``own``."""
    if row.entered_by_id == user.pk:
        raise PermissionDenied(own)
    if not user.has_perm(perm, row):
        raise PermissionDenied


def _confirmed(row: Any, user: Any, state: Any) -> None:
    row.state = state
    row.confirmed_by = user
    row.confirmed_at = timezone.now()
    _save(row, user, "confirmed")


def _bump(fixture: Fixture, version: int) -> None:
    if Fixture.objects.filter(pk=fixture.pk, version=version).update(version=F("version") + 1) != 1:
        raise Conflict(_("someone else changed this match meanwhile"))


def _locked(fixture_id: int) -> Fixture:
    return (
        Fixture.objects.select_for_update()
        .select_related("season", "home", "away")
        .get(pk=fixture_id)
    )


def enter_result(user: Any, fixture_id: int, version: int, e: Entry) -> Result:
    with transaction.atomic():
        fixture = _locked(fixture_id)
        if not user.has_perm(perms.ENTER, fixture):
            raise PermissionDenied
        if fixture.version != version:
            raise Conflict(_("someone else changed this match meanwhile"))
        if fixture.results.filter(state=Result.State.PENDING).exists():
            raise Conflict(_("a result for this match is already awaiting confirmation"))
        validate_entry(fixture, e)
        try:
            with transaction.atomic():
                r = Result(
                    fixture=fixture,
                    entered_by=user,
                    source=Result.Source.WEB,
                    status=e.status,
                    reason=e.reason,
                    **{k: getattr(e, k) for k in SCORE_FIELDS},
                )
                _save(r, user, e.reason or "entered")
        except IntegrityError:
            raise Conflict(_("a result for this match is already awaiting confirmation")) from None
        _bump(fixture, version)
        return r


def _locked_result(result_id: int, version: int, *, pending: bool) -> tuple[Result, Fixture]:
    """The result and its fixture, locked, as read at ``version`` (and, with ``pending``,
    still awaiting confirmation); otherwise :class:`Conflict`."""
    r = Result.objects.select_related("fixture").get(pk=result_id)
    fixture = _locked(r.fixture_id)
    r = Result.objects.select_for_update().get(pk=result_id)
    r.fixture = fixture
    if fixture.version != version:
        raise Conflict(_("someone else changed this match meanwhile"))
    if pending and r.state != Result.State.PENDING:
        raise Conflict(_("this result is no longer awaiting confirmation"))
    return r, fixture


def _season_changed(fixture: Fixture) -> None:
    Season.objects.filter(pk=fixture.season_id).update(version=F("version") + 1)
    _recompute_after_commit(fixture.season_id)


def _recompute_after_commit(season_id: int) -> None:
    """Once the change commits: the season computed afresh, and a forecast asked for."""

    def recompute() -> None:
        engine.forget(season_id)
        engine.compute(Season.objects.get(pk=season_id))

    transaction.on_commit(recompute)
    forecasting.request(season_id)  # in the background, after the commit


def advance_pyramid(season: Season, user: Any) -> tuple[str, ...]:
    """Draw every round of a pyramid season whose clubs are now known (``copa advance``).

    Called inside the transaction that confirmed a result: the new rounds'
    fixtures are rows before the confirmation commits. Fixtures already stored
    keep their rows; a draw that would move one is refused.
    """
    if not engine.is_pyramid(season.spec):
        return ()
    from copa.core.pyramid import Pyramid, PyramidError, advance
    from copa.spec.pyramid_format import format_from_data
    from copa.spec.season_file import ErrorLocator
    from copa.spec.season_writer import write_season

    info = season.spec["pyramid"]
    built = engine.build_season(engine.filled(season), season.slug)
    pyramid = Pyramid(format_from_data(info["format"], ErrorLocator(season.slug, "")), info["seed"])
    try:
        new, filled = advance(built, pyramid)
    except PyramidError as e:
        raise Invalid(str(e)) from None
    if not filled:
        return ()
    text = write_season(new, pyramid=pyramid, format_data=info["format"])
    spec, fixtures, _built = engine.split_season(text, season.slug)
    stored = {
        f.key: f for f in Fixture.objects.filter(season=season).select_related("home", "away")
    }
    clubs = {c.name: c for c in Club.objects.filter(season=season)}
    slugs = stage_slugs([s["name"] for s in spec["stages"]])
    order = max((f.order for f in stored.values()), default=-1) + 1
    rows = []
    for f in fixtures:
        key = engine.key_text(f.key)
        old = stored.get(key)
        if old is not None:
            if (old.home.name, old.away.name) != (f.home, f.away):
                raise Invalid(_("the draw would move a stored match (%(key)s)") % {"key": key})
            continue
        rows.append(_fixture_row(season, f, order, slugs[f.stage], clubs[f.home], clubs[f.away]))
        order += 1
    Fixture.objects.bulk_create(rows)
    season.spec = spec
    season._history_user = user
    season._change_reason = "drawn: " + "; ".join(filled)
    season.save(update_fields=["spec"])
    return filled


def confirm_result(user: Any, result_id: int, version: int) -> Result:
    with transaction.atomic():
        r, fixture = _locked_result(result_id, version, pending=True)
        _may_confirm(
            user, r, perms.CONFIRM, _("a result is confirmed by someone other than its author")
        )
        validate_entry(fixture, r)
        for old in fixture.results.filter(state=Result.State.CONFIRMED):
            old.state = Result.State.SUPERSEDED
            _save(old, user, "superseded by a confirmed correction")
        _confirmed(r, user, Result.State.CONFIRMED)
        _bump(fixture, version)
        if engine.is_pyramid(fixture.season.spec):  # only a pyramid draws its next rounds
            advance_pyramid(Season.objects.select_for_update().get(pk=fixture.season_id), user)
        _season_changed(fixture)
        return r


def reject_result(user: Any, result_id: int, version: int, reason: str) -> Result:
    with transaction.atomic():
        r, fixture = _locked_result(result_id, version, pending=True)
        if not (r.entered_by_id == user.pk or user.has_perm(perms.CONFIRM, r)):
            raise PermissionDenied
        r.state = Result.State.REJECTED
        _save(r, user, reason or "rejected")
        _bump(fixture, version)
        return r


def revert_result(user: Any, result_id: int, version: int, reason: str) -> Result:
    """Take a confirmed result back, as a new change; the correction it replaced returns."""
    with transaction.atomic():
        r, fixture = _locked_result(result_id, version, pending=False)
        if not user.has_perm(perms.REVERT, r):
            raise PermissionDenied
        if not reason.strip():
            raise Invalid(_("say why the result is reverted"))
        r.state = Result.State.REVERTED
        _save(r, user, reason)
        prev = fixture.results.filter(state=Result.State.SUPERSEDED).order_by("-pk").first()
        if prev is not None:
            prev.state = Result.State.CONFIRMED
            _save(prev, user, f"restored: {reason}")
        _bump(fixture, version)
        _season_changed(fixture)
        return r


def decide(kind: str, action: str, user: Any, pk: int, version: int, reason: str) -> Any:
    """Confirm, reject or revert a result (``kind`` "result") or a drawing of lots ("lots")."""
    if action == "confirm":
        return (confirm_result if kind == "result" else confirm_lots)(user, pk, version)
    undo = {
        ("result", "reject"): reject_result,
        ("result", "revert"): revert_result,
        ("lots", "reject"): reject_lots,
        ("lots", "revert"): revert_lots,
    }[kind, action]
    return undo(user, pk, version, reason)


# ---------------------------------------------------------------- drawings of lots


@dataclass(frozen=True)
class LotsNeed:
    """A drawing of lots the engine asks for, where it sits, and who is drawn."""

    key: str
    kind: str  # "group", "tie", or "places" (a stage's places the rules leave unordered)
    stage: str
    round: str
    unit: str
    clubs: tuple[str, ...]

    @property
    def block(self) -> str:
        return "|".join(sorted(self.clubs))


_LOTS_PREFIX, _LOTS_SUFFIX = "a drawing of lots between ", " is needed"


def _named(text: str, clubs: Any) -> list[str] | None:
    """The clubs ``text`` names as the engine writes them ("A and B and C", sorted)."""
    block = sorted(c for c in clubs if c in text)
    if " and ".join(block) == text and len(block) > 1:
        return block
    parts = [p for p in text.split(" and ")]
    if all(p in clubs for p in parts) and len(parts) > 1:
        return sorted(parts)
    return None


def lots_needed(season: Season, stage: str | None = None) -> list[LotsNeed]:
    """Every drawing of lots the engine's result of the season asks for (pending)."""
    from copa.web.present import round_complete

    computed = engine.compute(season)
    out: list[LotsNeed] = []
    for si, sr in enumerate(computed.result.stages):
        if stage is not None and sr.stage.name != stage:
            continue
        last = sr.rounds[-1] if sr.rounds else None
        if (
            sr.places_by == "undecided"
            and sr.stage.places is None
            and last is not None
            and round_complete(last)
            and len(last.qualifiers) > 1
            and not engine.is_pyramid(season.spec)  # a pyramid's plan draws its own lots
        ):
            out.append(
                LotsNeed(
                    engine.key_text(("stages", si)),
                    "places",
                    sr.stage.name,
                    last.round.name,
                    sr.stage.name,
                    tuple(last.qualifiers),
                )
            )
        for ri, rr in enumerate(sr.rounds):
            for gi, g in enumerate(rr.groups):
                for p in g.table.pending:
                    if not (p.startswith(_LOTS_PREFIX) and p.endswith(_LOTS_SUFFIX)):
                        continue
                    middle = p[len(_LOTS_PREFIX) : -len(_LOTS_SUFFIX)]
                    block = _named(middle, g.group.clubs)
                    if block is None:
                        continue
                    key = engine.key_text(("stages", si, "rounds", ri, "groups", gi))
                    out.append(
                        LotsNeed(
                            key, "group", sr.stage.name, rr.round.name, g.group.name, tuple(block)
                        )
                    )
            for ti, t in enumerate(rr.ties):
                if any("a drawing of lots is needed" in i.message for i in t.pending):
                    a, b = t.tie.teams
                    key = engine.key_text(("stages", si, "rounds", ri, "ties", ti))
                    out.append(
                        LotsNeed(key, "tie", sr.stage.name, rr.round.name, f"{a} v {b}", (a, b))
                    )
    return out


def _lots_fixture(season: Season, key: str) -> Fixture:
    f = (
        Fixture.objects.filter(season=season, key__startswith=key + "/")
        .select_related("season", "home", "away")
        .order_by("order")
        .first()
    )
    if f is None:
        raise Invalid(_("no such group or tie"))
    return f


def _locked_unit(
    user: Any, perm: str, season_id: int, key: str, version: int
) -> tuple[Season, Fixture]:
    """The season, locked, as read at ``version``, and the first fixture of its group or tie
    at ``key`` (what ``perm`` is checked against)."""
    season = Season.objects.select_for_update().get(pk=season_id)
    fixture = _lots_fixture(season, key)
    if not user.has_perm(perm, fixture):
        raise PermissionDenied
    if season.version != version:
        raise Conflict(_("someone else changed this season meanwhile"))
    return season, fixture


def record_lots(
    user: Any, season_id: int, key: str, order: list[str], reason: str, version: int
) -> Any:
    """An organizer records the drawing the engine asks for; it awaits a second person."""
    from copa.web.models import Lots

    with transaction.atomic():
        season, fixture = _locked_unit(user, perms.RECORD_LOTS, season_id, key, version)
        need = next(
            (n for n in lots_needed(season) if n.key == key and set(n.clubs) == set(order)),
            None,
        )
        if need is None or len(set(order)) != len(order):
            raise Invalid(
                _(
                    "the rules ask for no drawing of lots between these clubs here; "
                    "list each club the engine names once"
                )
            )
        if not reason.strip():
            raise Invalid(_("say how and when the lots were drawn"))
        if Lots.objects.filter(season=season, key=key, block=need.block, state="pending"):
            raise Conflict(_("a drawing of lots here already awaits confirmation"))
        row = Lots(
            season=season,
            key=key,
            block=need.block,
            order=list(order),
            fixture=fixture,
            reason=reason.strip(),
            entered_by=user,
        )
        _save(row, user, reason.strip())
        return row


def _locked_lots(lots_id: int, version: int, *, pending: bool) -> tuple[Any, Season]:
    """The drawing and its season, locked, as read at the season's ``version`` (and, with
    ``pending``, still awaiting confirmation); otherwise :class:`Conflict`."""
    from copa.web.models import Lots

    row = Lots.objects.select_related("season").get(pk=lots_id)
    Season.objects.select_for_update().get(pk=row.season_id)
    row = (
        Lots.objects.select_for_update()
        .select_related("season", "fixture", "fixture__home", "fixture__away")
        .get(pk=lots_id)
    )
    season = Season.objects.get(pk=row.season_id)
    if season.version != version:
        raise Conflict(_("someone else changed this season meanwhile"))
    if pending and row.state != "pending":
        raise Conflict(_("this drawing is no longer awaiting confirmation"))
    return row, season


def confirm_lots(user: Any, lots_id: int, version: int) -> Any:
    """A second person confirms the drawing: it reaches the engine, the next round fills."""
    with transaction.atomic():
        row, season = _locked_lots(lots_id, version, pending=True)
        _may_confirm(
            user,
            row,
            perms.CONFIRM_LOTS,
            _("a drawing is confirmed by someone other than its recorder"),
        )
        try:
            engine.build_season(engine.filled(season, lots=[(row.key, row.order)]), season.slug)
        except engine.SeasonFileError as e:
            raise Invalid(e.message) from None
        _confirmed(row, user, "confirmed")
        _lots_changed(season, user)
        return row


def _lots_changed(season: Season, user: Any) -> None:
    Season.objects.filter(pk=season.pk).update(version=F("version") + 1)
    season.refresh_from_db()
    engine.forget(season.pk)
    advance_pyramid(season, user)
    _recompute_after_commit(season.pk)


def reject_lots(user: Any, lots_id: int, version: int, reason: str) -> Any:
    with transaction.atomic():
        row, _season = _locked_lots(lots_id, version, pending=True)
        if not (row.entered_by_id == user.pk or user.has_perm(perms.CONFIRM_LOTS, row)):
            raise PermissionDenied
        row.state = "rejected"
        _save(row, user, reason or "rejected")
        return row


def revert_lots(user: Any, lots_id: int, version: int, reason: str) -> Any:
    """Take a confirmed drawing back, as a new change: the engine asks for lots again."""
    with transaction.atomic():
        row, season = _locked_lots(lots_id, version, pending=False)
        if row.state != "confirmed" or not user.has_perm(perms.RECORD_LOTS, row.fixture):
            raise PermissionDenied
        if not reason.strip():
            raise Invalid(_("say why the drawing is reverted"))
        row.state = "reverted"
        _save(row, user, reason)
        _lots_changed(season, user)
        return row


# ---------------------------------------------------------------- deciding matches


@dataclass(frozen=True)
class DeciderNeed:
    """A deciding match the engine asks for (:func:`copa.core.resolve.deciders_needed`)."""

    key: str  # the group's or tie's key
    kind: str  # "group" or "tie"
    stage: str
    round: str
    unit: str
    clubs: tuple[str, ...]


def deciders_needed(season: Season, stage: str | None = None) -> list[DeciderNeed]:
    """Every deciding match the engine's result of the season asks for and no fixture holds.

    The one rule is the engine's (the one ``copa result --decider`` obeys)."""
    from copa.core.resolve import deciders_needed as engine_needs

    computed = engine.compute(season)
    names = [s.name for s in computed.season.stages]
    out = []
    for need in engine_needs(computed.result):
        if stage is not None and need.stage != stage:
            continue
        si = names.index(need.stage)
        st = computed.season.stages[si]
        ri = next(i for i, r in enumerate(st.rounds) if r.name == need.round)
        if need.group is not None:
            key = engine.key_text(("stages", si, "rounds", ri, "groups", need.group))
            unit = st.rounds[ri].groups[need.group].name
            kind = "group"
        else:
            assert need.tie is not None
            key = engine.key_text(("stages", si, "rounds", ri, "ties", need.tie))
            unit = " v ".join(need.clubs)
            kind = "tie"
        if _held(season, key, need.clubs):
            continue
        out.append(DeciderNeed(key, kind, need.stage, need.round, unit, tuple(need.clubs)))
    return out


def _held(season: Season, key: str, clubs: Any) -> bool:
    """Whether the group or tie at ``key`` already has a deciding match between ``clubs``:
    as with ``copa result --decider``, that one is played (or corrected), never a second."""
    pair = set(clubs)
    return any(
        {h, a} == pair
        for h, a in Fixture.objects.filter(
            season=season, kind=Fixture.Kind.DECIDER, key__startswith=key + "/"
        ).values_list("home__name", "away__name")
    )


def add_decider(
    user: Any, season_id: int, key: str, home: str, away: str, reason: str, version: int
) -> Fixture:
    """An organizer adds the deciding match the engine asks for, as a fixture to play.

    Its result is then entered and confirmed like any other; a deciding match
    that is not due is refused with the engine's reason and nothing stored."""
    with transaction.atomic():
        season, rep = _locked_unit(user, perms.ADD_DECIDER, season_id, key, version)
        slot = _due_decider(season, key, rep, home, away)
        spec, planned = _decider_in_spec(season, slot, rep)
        try:
            engine.build_season(engine.filled(season, spec=spec), season.slug)
        except engine.SeasonFileError as e:
            raise Invalid(e.message) from None
        names = {c.name: c for c in Club.objects.filter(season=season)}
        order = (Fixture.objects.filter(season=season).aggregate(m=Max("order"))["m"] or 0) + 1
        fixture = _fixture_row(
            season, planned, order, rep.stage_slug, names[planned.home], names[planned.away]
        )
        try:
            with transaction.atomic():
                _save(fixture, user, reason.strip() or "deciding match added")
        except IntegrityError:
            raise Conflict(_("this deciding match is already a fixture")) from None
        season.spec = spec
        season.version += 1
        season._history_user = user
        season._change_reason = f"deciding match added: {planned.home} v {planned.away}"
        season.save(update_fields=["spec", "version"])
        engine.forget(season.pk)
        _recompute_after_commit(season.pk)
        return fixture


def _due_decider(season: Season, key: str, rep: Fixture, home: str, away: str) -> Any:
    """The engine's slot of the deciding match between ``home`` and ``away`` at ``key``,
    or :class:`Invalid` saying why none is due there (as ``copa result --decider``)."""
    from copa.spec.entry import decider_due

    computed = engine.compute(season)
    clubs = {c.name for c in computed.season.clubs}
    if home not in clubs or away not in clubs or home == away:
        raise Invalid(_("name the two clubs of the deciding match"))
    slot, why = decider_due(computed.season, home, away, rep.stage)
    if slot is None:
        raise Invalid(
            _("No deciding match is due between %(home)s and %(away)s: %(why)s")
            % {"home": home, "away": away, "why": why or _("they share no group or tie")}
        )
    part = "groups" if slot.kind == "decider" else "ties"
    where = engine.key_text(("stages", slot.si, "rounds", slot.ri, part, slot.ci))
    if where != key:
        raise Invalid(_("the deciding match the rules ask for is elsewhere (%(k)s)") % {"k": where})
    if _held(season, key, (home, away)):
        raise Invalid(
            _(
                "No deciding match is due between %(home)s and %(away)s: theirs is "
                "already a fixture; enter or correct its result"
            )
            % {"home": home, "away": away}
        )
    return slot


def _decider_in_spec(
    season: Season, slot: Any, rep: Fixture
) -> tuple[dict[str, Any], engine.FixtureSpec]:
    """A copy of the season's spec with the deciding match in ``slot`` scheduled, and that
    match as a fixture (in the group's or tie's stage, round and unit, like ``rep``)."""
    spec = copy.deepcopy(season.spec)
    if slot.kind == "decider":
        node = spec["stages"][slot.si]["rounds"][slot.ri]["groups"][slot.ci]
        items = node.setdefault("deciders", [])
        new_key: tuple[str | int, ...] = (
            *("stages", slot.si, "rounds", slot.ri),
            *("groups", slot.ci, "deciders", len(items)),
        )
        items.append({"home": slot.match.home, "away": slot.match.away, "score": "scheduled"})
        legs, matchday = 1, None
    else:
        spec["stages"][slot.si]["rounds"][slot.ri]["ties"][slot.ci]["decider"] = "scheduled"
        new_key = ("stages", slot.si, "rounds", slot.ri, "ties", slot.ci, "decider")
        legs = rep.legs
        matchday = legs + 1
    planned = engine.FixtureSpec(
        key=new_key, stage=rep.stage, region=rep.region, round=rep.round, unit=rep.unit,
        kind="decider", leg=None, legs=legs, home=slot.match.home, away=slot.match.away,
        neutral=True, result=None, matchday=matchday, allows_extra_time=True, allows_penalties=True,
    )  # fmt: skip
    return spec, planned
