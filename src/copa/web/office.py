"""The organizers' back office under /office/: result entry, confirmation, history, set-up.

Every view checks its permission on the server (:mod:`copa.web.perms`);
every write goes through :mod:`copa.web.services` (one transaction each,
optimistic locking).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from copa.web import perms, services
from copa.web.models import SCORE_FIELDS, Fixture, Result, Role, Season
from copa.web.perms import in_scope


def office_required(view: Any) -> Any:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(perms.OFFICE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _scoped(user: Any, qs: Any) -> Any:
    """Fixtures the user has some role for (filtering in Python with the same predicate)."""
    return [f for f in qs if user.has_perm(perms.VIEW_FIXTURE, f)]


def _goals(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=99, required=False)


class ResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=Result.Status.choices, initial="played"
    )
    home_goals = _goals(gettext_lazy("Home"))
    away_goals = _goals(gettext_lazy("Away"))
    et_home = _goals(gettext_lazy("Home after extra time"))
    et_away = _goals(gettext_lazy("Away after extra time"))
    pen_home = _goals(gettext_lazy("Home penalties"))
    pen_away = _goals(gettext_lazy("Away penalties"))
    orig_home = _goals(gettext_lazy("Home on the pitch"))
    orig_away = _goals(gettext_lazy("Away on the pitch"))
    reason = forms.CharField(label=gettext_lazy("Reason / note"), max_length=500, required=False)

    def __init__(self, *args: Any, fixture: Fixture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not fixture.allows_extra_time:
            del self.fields["et_home"], self.fields["et_away"]
        if not fixture.allows_penalties:
            del self.fields["pen_home"], self.fields["pen_away"]

    def entry(self) -> services.Entry:
        d = self.cleaned_data
        return services.Entry(
            status=d["status"],
            reason=d.get("reason") or "",
            **{k: d.get(k) for k in SCORE_FIELDS},
        )


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=500, required=False)


@office_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = list(Role.objects.filter(user=user).select_related("season"))
    pending = Result.objects.filter(state=Result.State.PENDING).select_related(
        "fixture", "fixture__home", "fixture__away", "fixture__season", "entered_by"
    )
    to_confirm = [r for r in pending if user.has_perm(perms.CONFIRM, r)]
    mine = [r for r in pending if r.entered_by_id == user.pk]
    seasons = Season.objects.all()
    return render(
        request,
        "copa_web/office/home.html",
        {
            "roles": roles,
            "to_confirm": to_confirm,
            "mine": mine,
            "seasons": seasons,
            "can_setup": user.has_perm(perms.SETUP),
        },
    )


@office_required
def season(request: HttpRequest, season: str) -> HttpResponse:
    row = get_object_or_404(Season, slug=season)
    stages: dict[str, dict[str, Any]] = {}
    for f in Fixture.objects.filter(season=row).select_related("home", "away"):
        if not request.user.has_perm(perms.VIEW_FIXTURE, f):
            continue
        st = stages.setdefault(
            f.stage_slug, {"name": f.stage, "slug": f.stage_slug, "open": 0, "n": 0}
        )
        st["n"] += 1
    if not stages:
        raise PermissionDenied
    return render(
        request, "copa_web/office/season.html", {"season": row, "stages": list(stages.values())}
    )


@office_required
def stage(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    row = get_object_or_404(Season, slug=season)
    fixtures = _scoped(
        request.user,
        Fixture.objects.filter(season=row, stage_slug=stage).select_related(
            "home", "away", "season"
        ),
    )
    if not fixtures:
        raise PermissionDenied
    states: dict[int, dict[str, Result]] = {}
    for r in Result.objects.filter(
        fixture__in=[f.pk for f in fixtures], state__in=["pending", "confirmed"]
    ):
        states.setdefault(r.fixture_id, {})[r.state] = r
    every = list(fixtures)  # before a matchday filter: the scope of the drawings below
    name = every[0].stage
    matchday = request.GET.get("matchday")
    days = sorted({f.matchday or 0 for f in fixtures})
    if matchday and matchday.isdigit():
        fixtures = [f for f in fixtures if (f.matchday or 0) == int(matchday)]
    rows = [
        {
            "f": f,
            "confirmed": states.get(f.pk, {}).get("confirmed"),
            "pending": states.get(f.pk, {}).get("pending"),
        }
        for f in fixtures
    ]
    from copa.web.models import Lots

    drawings = []
    # the keys of the groups, ties and stage in the user's scope
    scope = {f.key.rsplit("/", 2)[0] for f in every} | {f.key.split("/rounds/")[0] for f in every}
    pending_blocks = set(
        Lots.objects.filter(season=row, state="pending").values_list("key", "block")
    )
    for need in services.lots_needed(row, name):
        if need.key not in scope:
            continue
        rep = next(f for f in every if f.key.startswith(need.key + "/"))
        drawings.append(
            {
                "need": need,
                "may_record": request.user.has_perm(perms.RECORD_LOTS, rep),
                "waiting": (need.key, need.block) in pending_blocks,
            }
        )
    deciders = []
    for dn in services.deciders_needed(row, name):
        if dn.key not in scope:
            continue
        rep = next(f for f in every if f.key.startswith(dn.key + "/"))
        deciders.append({"need": dn, "may_add": request.user.has_perm(perms.ADD_DECIDER, rep)})
    recorded = [
        {
            "l": lr,
            "may_confirm": request.user.has_perm(perms.CONFIRM_LOTS, lr),
            "may_reject": lr.state == "pending"
            and (
                lr.entered_by_id == request.user.pk or request.user.has_perm(perms.CONFIRM_LOTS, lr)
            ),
            "may_revert": lr.state == "confirmed"
            and request.user.has_perm(perms.RECORD_LOTS, lr.fixture),
        }
        for lr in Lots.objects.filter(
            season=row, fixture__stage=name, state__in=["pending", "confirmed"]
        ).select_related("entered_by", "confirmed_by", "fixture", "fixture__home", "fixture__away")
        if lr.key in scope
    ]
    return render(
        request,
        "copa_web/office/stage.html",
        {
            "drawings": drawings,
            "deciders": deciders,
            "recorded": recorded,
            "season": row,
            "stage_name": name,
            "stage_slug": stage,
            "rows": rows,
            "days": days,
            "matchday": matchday or "",
        },
    )


def _fixture_context(request: HttpRequest, f: Fixture, form: Any = None) -> dict[str, Any]:
    from simple_history.utils import get_history_model_for_model

    results = list(f.results.select_related("entered_by", "confirmed_by"))
    pending = next((r for r in results if r.state == "pending"), None)
    confirmed = next((r for r in results if r.state == "confirmed"), None)
    hist = get_history_model_for_model(Result)
    history = (
        hist.objects.filter(fixture_id=f.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return {
        "f": f,
        "season": f.season,
        "pending": pending,
        "confirmed": confirmed,
        "form": form or ResultForm(fixture=f, initial={"version": f.version}),
        "history": history,
        # a refused entry stays on screen beside what is there now, so nothing typed is lost
        "can_enter": request.user.has_perm(perms.ENTER, f)
        and (pending is None or (form is not None and form.is_bound)),
        "can_confirm": pending is not None and request.user.has_perm(perms.CONFIRM, pending),
        "own_pending": pending is not None and pending.entered_by_id == request.user.pk,
        "can_revert": confirmed is not None and request.user.has_perm(perms.REVERT, confirmed),
    }


def _fixture(request: HttpRequest, pk: int) -> Fixture:
    f = get_object_or_404(Fixture.objects.select_related("season", "home", "away"), pk=pk)
    if not request.user.has_perm(perms.VIEW_FIXTURE, f):
        raise PermissionDenied
    return f


@office_required
@require_http_methods(["GET", "HEAD", "POST"])
def fixture(request: HttpRequest, pk: int) -> HttpResponse:
    f = _fixture(request, pk)
    if request.method != "POST":
        return render(request, "copa_web/office/fixture.html", _fixture_context(request, f))
    if not request.user.has_perm(perms.ENTER, f):
        raise PermissionDenied
    form = ResultForm(request.POST, fixture=f)
    status = 200
    if form.is_valid():
        try:
            services.enter_result(request.user, f.pk, form.cleaned_data["version"], form.entry())
        except services.Conflict as e:
            f.refresh_from_db()
            form.add_error(
                None,
                _("%(why)s. Your entry was not saved; it is kept below. Check the current state.")
                % {"why": e},
            )
            form.data = form.data.copy()
            form.data["version"] = str(f.version)
            status = 409
        except services.Invalid as e:
            form.add_error(None, str(e))
            status = 422
        else:
            messages.success(
                request, _("Result entered; it awaits confirmation by another person.")
            )
            return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))
    else:
        status = 422
    return render(
        request, "copa_web/office/fixture.html", _fixture_context(request, f, form), status=status
    )


def _result_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    r = get_object_or_404(Result.objects.select_related("fixture"), pk=pk)
    f = _fixture(request, r.fixture_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete."))
        return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))
    version, reason = form.cleaned_data["version"], form.cleaned_data["reason"] or ""
    try:
        if action == "confirm":
            services.confirm_result(request.user, r.pk, version)
            messages.success(request, _("Result confirmed: the public pages show it now."))
        elif action == "reject":
            services.reject_result(request.user, r.pk, version, reason)
            messages.success(request, _("Result rejected."))
        else:
            services.revert_result(request.user, r.pk, version, reason)
            messages.success(request, _("Result reverted."))
    except services.Conflict as e:
        messages.error(
            request, _("%(why)s. Nothing was changed; check the current state.") % {"why": e}
        )
        resp = render(
            request, "copa_web/office/fixture.html", _fixture_context(request, f), status=409
        )
        return resp
    except services.Invalid as e:
        messages.error(request, str(e))
        return render(
            request, "copa_web/office/fixture.html", _fixture_context(request, f), status=422
        )
    return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))


@office_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_action(request, pk, "confirm")


@office_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_action(request, pk, "reject")


@office_required
@require_POST
def revert(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_action(request, pk, "revert")


@office_required
@require_POST
def places(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    """A stage's places drawn by lots (the form of older pages): a drawing like any other,
    recorded here and confirmed by a second person."""
    row = get_object_or_404(Season, slug=season)
    name = (
        Fixture.objects.filter(season=row, stage_slug=stage).values_list("stage", flat=True).first()
    )
    if name is None:
        raise PermissionDenied
    index = [s["name"] for s in row.spec["stages"]].index(name)
    order = [
        request.POST.get(f"place{i}", "") for i in range(1, 41) if request.POST.get(f"place{i}")
    ]
    try:
        version = int(request.POST.get("version", "0"))
        services.record_lots(
            request.user, row.pk, f"stages/{index}", order, request.POST.get("reason", ""), version
        )
    except (services.Conflict, services.Invalid, ValueError) as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("Drawing of lots recorded; it awaits confirmation by another person.")
        )
    return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))


@office_required
@require_POST
def lots_record(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    row = get_object_or_404(Season, slug=season)
    order = [request.POST.get(f"lot{i}", "") for i in range(1, 41) if request.POST.get(f"lot{i}")]
    try:
        version = int(request.POST.get("version", "0"))
        services.record_lots(
            request.user,
            row.pk,
            request.POST.get("key", ""),
            order,
            request.POST.get("reason", ""),
            version,
        )
    except (services.Conflict, services.Invalid, ValueError) as e:
        messages.error(request, str(e))
        return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))
    messages.success(
        request, _("Drawing of lots recorded; it awaits confirmation by another person.")
    )
    return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))


@office_required
@require_POST
def decider_add(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    """An organizer adds the deciding match the engine asks for (``copa result --decider``)."""
    row = get_object_or_404(Season, slug=season)
    try:
        version = int(request.POST.get("version", "0"))
        f = services.add_decider(
            request.user,
            row.pk,
            request.POST.get("key", ""),
            request.POST.get("home", ""),
            request.POST.get("away", ""),
            request.POST.get("reason", ""),
            version,
        )
    except (services.Conflict, services.Invalid, ValueError) as e:
        messages.error(request, str(e))
        return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))
    messages.success(
        request,
        _("Deciding match %(home)s v %(away)s added: its result is entered and confirmed here.")
        % {"home": f.home.name, "away": f.away.name},
    )
    return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))


def _lots_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from copa.web.models import Lots

    lr = get_object_or_404(Lots.objects.select_related("season", "fixture"), pk=pk)
    back = reverse("office-stage", args=[lr.season.slug, lr.fixture.stage_slug])
    if not request.user.has_perm(perms.VIEW_FIXTURE, lr.fixture):
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", "0"))
        reason = request.POST.get("reason", "")
        if action == "confirm":
            services.confirm_lots(request.user, lr.pk, version)
            messages.success(request, _("Drawing of lots confirmed: the public pages show it now."))
        elif action == "reject":
            services.reject_lots(request.user, lr.pk, version, reason)
            messages.success(request, _("Drawing of lots rejected."))
        else:
            services.revert_lots(request.user, lr.pk, version, reason)
            messages.success(request, _("Drawing of lots reverted."))
    except (services.Conflict, services.Invalid, ValueError) as e:
        messages.error(request, str(e))
        return HttpResponseRedirect(back, status=303)
    return HttpResponseRedirect(back)


@office_required
@require_POST
def lots_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _lots_action(request, pk, "confirm")


@office_required
@require_POST
def lots_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _lots_action(request, pk, "reject")


@office_required
@require_POST
def lots_revert(request: HttpRequest, pk: int) -> HttpResponse:
    return _lots_action(request, pk, "revert")


@office_required
def user_history(request: HttpRequest, pk: int) -> HttpResponse:
    from simple_history.utils import get_history_model_for_model

    who = get_object_or_404(get_user_model(), pk=pk)
    if who.pk != request.user.pk and not request.user.has_perm(perms.SETUP):
        raise PermissionDenied
    hist = get_history_model_for_model(Result)
    rows = (
        hist.objects.filter(history_user=who)
        .select_related("fixture", "fixture__home", "fixture__away")
        .order_by("-history_date")[:500]
    )
    return render(request, "copa_web/office/user_history.html", {"who": who, "history": rows})


class SetupForm(forms.Form):
    """A season file as copa's command line reads it (plain or pyramid)."""

    mode = forms.CharField(widget=forms.HiddenInput, initial="file", required=False)
    slug = forms.SlugField(label=gettext_lazy("Short name (in addresses)"), required=False)
    file = forms.FileField(label=gettext_lazy("Season file (YAML)"))
    replace = forms.BooleanField(
        label=gettext_lazy("Replace a season of that name"), required=False
    )


def _presets() -> list[tuple[str, str]]:
    from copa.spec.pyramid_format import presets

    return [(p, p) for p in presets()] + [("", gettext_lazy("my own format file (below)"))]


class PyramidForm(forms.Form):
    """A pyramid format (a preset or a file) and the clubs, as ``copa new-season`` takes them."""

    mode = forms.CharField(widget=forms.HiddenInput, initial="pyramid")
    slug = forms.SlugField(label=gettext_lazy("Short name (in addresses)"), required=False)
    preset = forms.ChoiceField(label=gettext_lazy("Pyramid format"), required=False, choices=())
    format_file = forms.FileField(label=gettext_lazy("Format file (YAML)"), required=False)
    clubs = forms.FileField(label=gettext_lazy("Clubs (CSV: name, district, province, department)"))
    department = forms.CharField(
        label=gettext_lazy("One department's league only"), required=False, max_length=100
    )
    seed = forms.IntegerField(label=gettext_lazy("Seed of the draws"), initial=0, min_value=0)
    replace = forms.BooleanField(
        label=gettext_lazy("Replace a season of that name"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = _presets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("preset") and not data.get("format_file"):
            raise forms.ValidationError(_("choose a pyramid format or upload a format file"))
        return data


class ImportForm(forms.Form):
    """An article (wikitext), a CSV or football.json, read as ``copa import`` reads it."""

    mode = forms.CharField(widget=forms.HiddenInput, initial="import")
    slug = forms.SlugField(label=gettext_lazy("Short name (in addresses)"), required=False)
    source = forms.FileField(label=gettext_lazy("Source (wikitext, CSV or football.json)"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of source"),
        required=False,
        choices=[
            ("", gettext_lazy("from the file name")),
            ("wiki", "wikitext"),
            ("csv", "CSV"),
            ("footballjson", "football.json"),
            ("footballtxt", "football.txt"),
        ],
    )
    clubs = forms.FileField(
        label=gettext_lazy("Clubs CSV (for CSV and football.json)"), required=False
    )
    format_file = forms.FileField(
        label=gettext_lazy("Format file (rules, places, slots; optional)"), required=False
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace a season of that name"), required=False
    )


def _read(up: Any, limit: int = 5_000_000) -> bytes:
    data: bytes = up.read(limit + 1)
    if len(data) > limit:
        raise services.Invalid(_("%(name)s: larger than 5 MB") % {"name": up.name})
    return data


def _text(up: Any) -> str:
    try:
        return _read(up).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise services.Invalid(_("%(name)s: not UTF-8 text") % {"name": up.name}) from None


@office_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Create a season from a season file, a pyramid format plus clubs, or an import.

    Each way ends in :func:`copa.web.services.load_season` (one transaction): a bad
    upload gives one message naming the file, line and field, and stores nothing."""
    if not request.user.has_perm(perms.SETUP):
        raise PermissionDenied
    mode = request.POST.get("mode") or "file"
    posted = request.method == "POST"
    forms_: dict[str, Any] = {
        "file": SetupForm(
            request.POST if posted and mode == "file" else None,
            request.FILES if posted and mode == "file" else None,
        ),
        "pyramid": PyramidForm(
            request.POST if posted and mode == "pyramid" else None,
            request.FILES if posted and mode == "pyramid" else None,
            initial={"preset": "copa-peru-2019", "seed": 0},
        ),
        "import": ImportForm(
            request.POST if posted and mode == "import" else None,
            request.FILES if posted and mode == "import" else None,
        ),
    }
    status = 200
    if posted:
        form = forms_.get(mode)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            notes: list[str] = []
            field = {"file": "file", "pyramid": "clubs", "import": "source"}[mode]
            try:
                if mode == "file":
                    text, source = _text(d["file"]), d["file"].name
                elif mode == "pyramid":
                    fmt_up = d.get("format_file")
                    text = services.pyramid_season_text(
                        d.get("preset") or "",
                        d["clubs"].name,
                        _read(d["clubs"]),
                        d["seed"] or 0,
                        d.get("department") or None,
                        fmt_up.name if fmt_up else "",
                        _read(fmt_up) if fmt_up else None,
                    )
                    source = d["clubs"].name
                else:
                    clubs_up, fmt_up = d.get("clubs"), d.get("format_file")
                    text, notes = services.imported_season_text(
                        d["source"].name,
                        _read(d["source"]),
                        d.get("kind") or None,
                        clubs_up.name if clubs_up else "",
                        _read(clubs_up) if clubs_up else None,
                        fmt_up.name if fmt_up else "",
                        _read(fmt_up) if fmt_up else None,
                    )
                    source = d["source"].name
                row = services.load_season(text, source, d["slug"] or None, d["replace"])
            except (services.Invalid, ValueError) as e:
                form.add_error(field, str(e))
                status = 422
            else:
                messages.success(request, _("Season %(name)s loaded.") % {"name": row.name})
                for note in notes[:20]:
                    messages.warning(request, note)
                if len(notes) > 20:
                    messages.warning(
                        request, _("... and %(n)d more notes") % {"n": len(notes) - 20}
                    )
                return HttpResponseRedirect(reverse("office-season", args=[row.slug]))
        else:
            status = 422
    return render(
        request,
        "copa_web/office/setup.html",
        {
            "form": forms_["file"],
            "pyramid_form": forms_["pyramid"],
            "import_form": forms_["import"],
        },
        status=status,
    )


__all__ = ["in_scope"]
