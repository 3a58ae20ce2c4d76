"""The public site and the read-only JSON API."""

from __future__ import annotations

import threading
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from copa.web import engine, present
from copa.web.models import Club, Fixture, Result, Season


def versioned(view: Any) -> Any:
    """Serve an anonymous GET from a cache keyed by the season's version and the language.

    Confirming or reverting a result raises the version, so a page is never stale; nothing
    expires by time (Tabbycat's stampede came from TTL caches refilled all at once).
    """
    from functools import wraps

    from django.core.cache import cache
    from django.utils.translation import get_language

    @wraps(view)
    def wrapped(request: HttpRequest, season: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or request.method != "GET":
            return view(request, season, *args, **kwargs)
        version = Season.objects.filter(slug=season).values_list("version", flat=True).first()
        if version is None:
            return view(request, season, *args, **kwargs)
        path = request.get_full_path()
        key = f"page:{season}:{version}:{get_language()}:{path}:{bool(request.htmx)}"
        got = cache.get(key)
        if got is not None:
            content, ctype, status = got
            resp = HttpResponse(content, content_type=ctype, status=status)
        else:
            resp = view(request, season, *args, **kwargs)
            if resp.status_code == 200 and not resp.streaming:
                cache.set(key, (resp.content, resp["Content-Type"], resp.status_code), None)
        resp["Vary"] = "Accept-Language, Cookie"
        return resp

    return wrapped


def _season(slug: str) -> tuple[Season, engine.Computed]:
    season = get_object_or_404(Season, slug=slug)
    return season, engine.compute(season)


def _season_stage(season: str, stage: str, missing: str) -> tuple[Season, engine.Computed, str]:
    """The season, as computed, and the name of its stage of that slug (else 404 ``missing``)."""
    row, computed = _season(season)
    name = row.stage_name(stage)
    if name is None:
        raise Http404(missing)
    return row, computed, name


def _club(season: str, club: str) -> tuple[Season, engine.Computed, Club, Any]:
    """The season, as computed, the club of that slug, and its path through the season."""
    from copa.core import club_path

    row, computed = _season(season)
    c = get_object_or_404(Club, season=row, slug=club)
    return row, computed, c, club_path(computed.result, c.name)


def _stages(season: Season, computed: engine.Computed) -> list[dict[str, Any]]:
    slugs = dict(
        Fixture.objects.filter(season=season).values_list("stage", "stage_slug").distinct()
    )
    return [
        {
            "name": sr.stage.name,
            "slug": slugs.get(sr.stage.name, ""),
            "kind": sr.stage.kind,
            "places": list(sr.places) if present.stage_decided(sr) else [],
            "decided": present.stage_decided(sr),
        }
        for sr in computed.result.stages
    ]


def _club_slugs(season: Season) -> dict[str, str]:
    return dict(Club.objects.filter(season=season).values_list("name", "slug"))


def _fixtures_by_matchday(
    season: Season, stage: str | None = None, waiting: dict[str, dict[str, str]] | None = None
) -> list[dict[str, Any]]:
    qs = Fixture.objects.filter(season=season).select_related("home", "away")
    if stage is not None:
        qs = qs.filter(stage=stage)
    confirmed = {
        r.fixture_id: r
        for r in Result.objects.filter(fixture__season=season, state=Result.State.CONFIRMED)
    }
    days: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in qs:
        r = confirmed.get(f.pk)
        if f.kind == "leg":
            when = _("first leg") if f.leg == 1 else _("second leg") if f.leg == 2 else ""
            unit = ""
        elif f.kind == "decider":
            when, unit = _("deciding match"), f.unit if f.legs == 1 else ""
        else:
            when = f"{_('matchday')} {f.matchday}" if f.matchday else ""
            unit = f.unit
        labels = (waiting or {}).get(f.unit, {})
        days.setdefault((f.round, unit, when), []).append(
            {
                "home": labels.get(f.home.name, f.home.name),
                "away": labels.get(f.away.name, f.away.name),
                "waiting": bool(labels),
                "result": r.text() if r else None,
            }
        )
    return [
        {"round": rnd, "unit": unit, "when": when, "fixtures": items}
        for (rnd, unit, when), items in days.items()
    ]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    seasons = []
    for s in Season.objects.all():
        c = engine.compute(s)
        seasons.append({"s": s, "champion": present.champion(c.result)[0]})
    return render(request, "copa_web/home.html", {"seasons": seasons})


@require_safe
@versioned
def season_page(request: HttpRequest, season: str) -> HttpResponse:
    row, computed = _season(season)
    res = computed.result
    latest = (
        Result.objects.filter(fixture__season=row, state=Result.State.CONFIRMED, source="web")
        .select_related("fixture", "fixture__home", "fixture__away")
        .order_by("-confirmed_at")[:10]
    )
    confirmed_ids = set(
        Result.objects.filter(fixture__season=row, state=Result.State.CONFIRMED).values_list(
            "fixture_id", flat=True
        )
    )
    upcoming = [
        f
        for f in Fixture.objects.filter(season=row).select_related("home", "away")
        if f.pk not in confirmed_ids
    ]
    nxt: list[Fixture] = []
    if upcoming:
        first = upcoming[0]
        nxt = [
            f
            for f in upcoming
            if f.stage == first.stage and f.round == first.round and f.matchday == first.matchday
        ]
        # every stage's next matchday, not only the first stage's
        seen = {(first.stage, first.round)}
        for f in upcoming:
            if (f.stage, f.round) not in seen:
                seen.add((f.stage, f.round))
                nxt.extend(
                    g
                    for g in upcoming
                    if g.stage == f.stage and g.round == f.round and g.matchday == f.matchday
                )
    labels = present.waiting_labels(res)
    shown = []
    for f in nxt[:12]:
        lab = labels.get(f.unit, {})
        shown.append(
            {
                "f": f,
                "home": lab.get(f.home.name, f.home.name),
                "away": lab.get(f.away.name, f.away.name),
                "waiting": bool(lab),
            }
        )
    more = max(0, len(nxt) - len(shown))
    played = len(confirmed_ids)
    total = Fixture.objects.filter(season=row).count()
    champ, runner_up, promoted = present.champion(res)
    ctx = {
        "season": row,
        "champion": champ,
        "runner_up": runner_up,
        "stages": _stages(row, computed),
        "promoted": promoted,
        "latest": latest,
        "next": shown,
        "more": more,
        "played": played,
        "total": total,
        "slugs": _club_slugs(row),
    }
    if request.htmx and request.GET.get("part") == "live":
        return render(request, "copa_web/_season_live.html", ctx)
    return render(request, "copa_web/season.html", ctx)


@require_safe
@versioned
def stage_page(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    row, computed, name = _season_stage(season, stage, _("no such stage"))
    sr = computed.result.stage(name)
    slugs = _club_slugs(row)
    rounds = present.stage_view(computed.result, sr, slugs)
    has_bracket = any(r.ties for r in sr.rounds) and len(sr.rounds[-1].ties) >= 1
    ctx = {
        "season": row,
        "stage": sr,
        "stage_slug": stage,
        "rounds": rounds,
        "fixtures": _fixtures_by_matchday(row, name, present.waiting_labels(computed.result)),
        "stages": _stages(row, computed),
        "decided": present.stage_decided(sr),
        "has_bracket": has_bracket,
        "slugs": slugs,
    }
    return render(request, "copa_web/stage.html", ctx)


def _bracket_svg(row: Season, computed: engine.Computed, stage: str | None) -> tuple[str, str]:
    from copa.sinks.svg_bracket import bracket_svg

    result = computed.result
    sr = result.stages[-1]
    if stage is not None:
        name = row.stage_name(stage)
        if name is None:
            raise Http404(_("no such stage"))
        sr = result.stage(name)
    br = present.bracket_for_display(result, sr)
    title = f"{row.competition} {row.name} · {_(sr.stage.name)}"
    return sr.stage.name, _in_page_language(lambda: bracket_svg(br, title))


_i18n_lock = threading.Lock()


def _in_page_language(make: Any) -> Any:
    """Run ``make`` with copa's own catalogue (copa.i18n, used by the sinks) speaking the
    page's language: the bracket SVG's labels come from the same django.po as the page."""
    from django.utils.translation import get_language

    from copa import i18n

    with _i18n_lock:  # copa.i18n holds one language per process
        before = i18n.language()
        i18n.activate(get_language() or "es")
        try:
            return make()
        finally:
            i18n.activate(before)


@require_safe
def forecast_page(request: HttpRequest, season: str) -> HttpResponse:
    """The season's latest forecast (copa forecast's figures), with what the engine proves.

    Not cached by season version: a forecast lands after the version it was made from."""
    from copa.web import forecasting
    from copa.web.models import ForecastRun

    row, computed = _season(season)
    fc = ForecastRun.objects.filter(season=row).order_by("-computed_at", "-pk").first()
    ctx: dict[str, Any] = {"season": row, "fc": fc, "slugs": _club_slugs(row)}
    if fc is not None and fc.state == ForecastRun.State.DONE:
        data = fc.data
        rounds = [r["round"] for r in data.get("rounds", [])]
        last_stage = rounds[-1].rpartition("/")[0] if rounds else ""
        columns = [r for r in rounds if r.rpartition("/")[0] == last_stage]
        sure = forecasting.certainties(computed.result, rounds)
        runs = int(data.get("runs") or fc.runs)
        rows, eliminated = [], []
        for c in data.get("clubs", []):
            club = c["club"]
            proved = sure.reach.get(club, {})
            values = [(c["reach"].get(r), proved.get(r)) for r in columns]
            champ = prom = None
            if sure.champion is not None:
                champ = 1.0 if sure.champion == club else 0.0
            elif club in sure.out or (columns and proved.get(columns[-1]) == 0.0):
                champ = 0.0  # eliminated, or cannot reach the final round
            if sure.promoted is not None:
                prom = 1.0 if club in sure.promoted else 0.0
            elif club in sure.out or (columns and proved.get(columns[0]) == 0.0):
                prom = 0.0  # eliminated, or never in the last stage, where promotion is decided
            values += [(c.get("champion"), champ), (c.get("promoted"), prom)]
            if all(v[1] == 0.0 for v in values[: len(columns)]) and champ == prom == 0.0:
                eliminated.append(club)  # out of the last stage for certain: listed apart
                continue
            cells = [forecasting.shown(p, sure_p, runs) for p, sure_p in values]
            eff = [sure_p if sure_p is not None else (p or 0.0) for p, sure_p in values]
            rows.append(
                {
                    "club": club,
                    "cells": cells[: len(columns)],
                    "champion": cells[-2],
                    "promoted": cells[-1],
                    "key": (-eff[-1], -eff[-2], *(-x for x in reversed(eff[:-2])), club),
                }
            )
        rows.sort(key=lambda r: r["key"])
        ctx["eliminated"] = sorted(eliminated)
        ctx.update(
            {
                "columns": [r.rpartition("/")[2] for r in columns],
                "last_stage": last_stage,
                "rows": rows,
                "runs": runs,
                "stale": fc.version != row.version,
                "error_at_half": data.get("standard_error_at_half"),
            }
        )
    resp = render(request, "copa_web/forecast.html", ctx)
    resp["Vary"] = "Accept-Language, Cookie"
    return resp


@require_safe
@versioned
def bracket_page(request: HttpRequest, season: str) -> HttpResponse:
    row, computed = _season(season)
    stage = request.GET.get("stage")
    name, svg = _bracket_svg(row, computed, stage)
    return render(
        request,
        "copa_web/bracket.html",
        {
            "season": row,
            "svg": svg,
            "stage_name": name,
            "stage_param": stage or "",
            "stages": _stages(row, computed),
        },
    )


@require_safe
@versioned
def bracket_svg_file(request: HttpRequest, season: str) -> HttpResponse:
    row, computed = _season(season)
    _name, svg = _bracket_svg(row, computed, request.GET.get("stage"))
    resp = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{row.slug}-bracket.svg"'
    return resp


@require_safe
@versioned
def club_page(request: HttpRequest, season: str, club: str) -> HttpResponse:
    from copa.core.record import tally
    from copa.wording import outcome_text, status_text, step_text

    row, computed, c, path = _club(season, club)
    matches = [
        (sr.stage.name, m)
        for sr, m in computed.result.matches()
        if c.name in (m.home, m.away) and m.counts
    ]
    ms = [m for _s, m in matches]
    rec = tally(sorted({t for m in ms for t in (m.home, m.away)}), ms)[c.name] if ms else None
    statuses = []
    for sr in computed.result.stages:
        for rr in sr.rounds:
            if c.name in rr.round.clubs:
                st = present.club_status(rr, c.name)
                statuses.append(
                    {
                        "stage": sr.stage.name,
                        "round": rr.round.name,
                        "status": st,
                        "label": status_text(st, _),
                    }
                )
    results = [
        {"stage": s, "home": m.home, "away": m.away, "score": present.match_text(m)}
        for s, m in matches
    ]
    if present.champion(computed.result)[0] is not None:
        outcome = outcome_text(path.outcome)
    elif statuses and statuses[-1]["status"] == present.OUT:
        outcome = _("out in %(stage)s, %(round)s") % {
            "stage": _(statuses[-1]["stage"]),
            "round": _(statuses[-1]["round"]),
        }
    elif statuses:
        outcome = _("still in the competition")
    else:
        outcome = ""
    upcoming = Fixture.objects.filter(season=row).filter(home=c) | Fixture.objects.filter(
        season=row, away=c
    )
    upcoming = upcoming.exclude(results__state=Result.State.CONFIRMED).select_related(
        "home", "away"
    )
    ctx = {
        "season": row,
        "club": c,
        "path": path,
        "steps": [
            {"stage": st.stage, "round": st.round, "summary": step_text(st)} for st in path.steps
        ],
        "outcome": outcome,
        "record": rec,
        "results": results,
        "statuses": statuses,
        "upcoming": upcoming,
        "stages": _stages(row, computed),
        "slugs": _club_slugs(row),
    }
    return render(request, "copa_web/club.html", ctx)


@require_safe
@versioned
def stats_page(request: HttpRequest, season: str) -> HttpResponse:
    from copa.core import season_stats
    from copa.sinks.export_json import club_record_json

    row, computed = _season(season)
    stats = season_stats(computed.result)
    where = {id(m): sr.stage.name for sr, m in computed.result.matches()}

    def items(ms: Any) -> list[dict[str, str]]:
        return [
            {
                "home": m.home,
                "away": m.away,
                "score": present.match_text(m),
                "stage": where.get(id(m), ""),
            }
            for m in ms
        ]

    records = [
        (_("Biggest home win"), items(stats.biggest_home_win)),
        (_("Biggest away win"), items(stats.biggest_away_win)),
        (_("Highest scoring match"), items(stats.highest_scoring)),
    ]
    clubs = [{**club_record_json(r), "points": r.points} for r in stats.clubs]
    return render(
        request,
        "copa_web/stats.html",
        {
            "season": row,
            "stats": {"matches": stats.matches, "goals": stats.goals, "clubs": clubs},
            "gpm": stats.goals_per_match,
            "records": records,
            "stages": _stages(row, computed),
            "slugs": _club_slugs(row),
        },
    )


# ---------------------------------------------------------------- JSON API


def _json(doc: Any) -> JsonResponse:
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False, "indent": 2}, safe=False)


def bench_blob(request: HttpRequest, size: int) -> HttpResponse:
    """A trivial page of ``size`` bytes through the same stack (only with COPA_BENCH=1)."""
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


@require_safe
def api_seasons(request: HttpRequest) -> JsonResponse:
    return _json(
        [
            {"season": s.slug, "name": s.name, "competition": s.competition, "version": s.version}
            for s in Season.objects.all()
        ]
    )


@require_safe
@versioned
def api_season(request: HttpRequest, season: str) -> HttpResponse:
    """Exactly what ``copa export SEASON --format json`` writes."""
    import json

    _row, computed = _season(season)
    text = json.dumps(computed.json, ensure_ascii=False, indent=2) + "\n"
    return HttpResponse(text, content_type="application/json")


@require_safe
@versioned
def api_stage(request: HttpRequest, season: str, stage: str) -> JsonResponse:
    row, computed, name = _season_stage(season, stage, "no such stage")
    doc = computed.json
    info = next(s for s in doc["stages"] if s["name"] == name)
    return _json(
        {
            "season": doc["season"],
            "stage": info,
            "groups": [g for g in doc["groups"] if g["stage"] == name],
            "ties": [t for t in doc["ties"] if t["stage"] == name],
            "rounds": [r for r in doc["rounds"] if r["stage"] == name],
        }
    )


@require_safe
@versioned
def api_club(request: HttpRequest, season: str, club: str) -> JsonResponse:
    from copa.sinks.export_json import match_json
    from copa.wording import outcome_text, step_text

    row, _computed, c, path = _club(season, club)
    return _json(
        {
            "season": row.name,
            "club": c.name,
            "department": c.department,
            "region": c.region,
            "outcome": outcome_text(path.outcome),
            "steps": [
                {
                    "stage": st.stage,
                    "round": st.round,
                    "kind": st.kind,
                    "summary": step_text(st),
                    "went_on": st.went_on,
                    "matches": [match_json(m) for m in st.matches],
                }
                for st in path.steps
            ],
        }
    )


@require_safe
def api_forecast(request: HttpRequest, season: str) -> JsonResponse:
    """The latest forecast: copa forecast --format json's document, with when and from
    which season version it was computed."""
    from copa.web.models import ForecastRun

    row = get_object_or_404(Season, slug=season)
    fc = (
        ForecastRun.objects.filter(season=row, state="done").order_by("-computed_at", "-pk").first()
    )
    if fc is None:
        return JsonResponse({"error": "no forecast computed yet"}, status=404)
    return _json(
        {
            "computed_at": fc.computed_at.isoformat(),
            "season_version": fc.version,
            "current": fc.version == row.version,
            "forecast": fc.data,
        }
    )
