"""The organizers' back office under /office/: result entry, confirmation, history, set-up.

Every view checks its permission on the server (:mod:`copa.web.perms`);
every write goes through :mod:`copa.web.services` (one transaction each,
optimistic locking).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    every = list(fixtures)  # before a matchday filter: the scope of the drawings below
    name = every[0].stage
    matchday = request.GET.get("matchday")
    days = sorted({f.matchday or 0 for f in fixtures})
    if matchday and matchday.isdigit():
        fixtures = [f for f in fixtures if (f.matchday or 0) == int(matchday)]
    return render(
        request,
        "copa_web/office/stage.html",
        {
            **_stage_decisions(request, row, name, every),
            "season": row,
            "stage_name": name,
            "stage_slug": stage,
            "rows": _result_rows(fixtures),
            "days": days,
            "matchday": matchday or "",
        },
    )


def _result_rows(fixtures: list[Fixture]) -> list[dict[str, Any]]:
    """Each fixture with its confirmed result and the one awaiting confirmation."""
    states: dict[int, dict[str, Result]] = {}
    for r in Result.objects.filter(
        fixture__in=[f.pk for f in fixtures], state__in=["pending", "confirmed"]
    ):
        states.setdefault(r.fixture_id, {})[r.state] = r
    return [
        {
            "f": f,
            "confirmed": states.get(f.pk, {}).get("confirmed"),
            "pending": states.get(f.pk, {}).get("pending"),
        }
        for f in fixtures
    ]


def _stage_decisions(
    request: HttpRequest, row: Season, name: str, every: list[Fixture]
) -> dict[str, Any]:
    """The drawings of lots and deciding matches the engine asks for in the user's scope of
    the stage, and the drawings recorded there, each with what the user may do with it."""
    from copa.web.models import Lots

    user = request.user
    # the keys of the groups, ties and stage in the user's scope
    scope = {f.key.rsplit("/", 2)[0] for f in every} | {f.key.split("/rounds/")[0] for f in every}
    pending_blocks = set(
        Lots.objects.filter(season=row, state="pending").values_list("key", "block")
    )
    drawings = [
        {
            "need": need,
            "may_record": user.has_perm(perms.RECORD_LOTS, rep),
            "waiting": (need.key, need.block) in pending_blocks,
        }
        for need, rep in _in_scope(services.lots_needed(row, name), every, scope)
    ]
    deciders = [
        {"need": need, "may_add": user.has_perm(perms.ADD_DECIDER, rep)}
        for need, rep in _in_scope(services.deciders_needed(row, name), every, scope)
    ]
    recorded = [
        {
            "l": lr,
            "may_confirm": user.has_perm(perms.CONFIRM_LOTS, lr),
            "may_reject": lr.state == "pending"
            and (lr.entered_by_id == user.pk or user.has_perm(perms.CONFIRM_LOTS, lr)),
            "may_revert": lr.state == "confirmed" and user.has_perm(perms.RECORD_LOTS, lr.fixture),
        }
        for lr in Lots.objects.filter(
            season=row, fixture__stage=name, state__in=["pending", "confirmed"]
        ).select_related("entered_by", "confirmed_by", "fixture", "fixture__home", "fixture__away")
        if lr.key in scope
    ]
    return {"drawings": drawings, "deciders": deciders, "recorded": recorded}


def _in_scope(needs: Any, every: list[Fixture], scope: set[str]) -> Iterator[tuple[Any, Fixture]]:
    """Each need whose group or tie is in ``scope``, with one of its fixtures (the object
    the user's permission is checked against)."""
    for need in needs:
        if need.key in scope:
            yield need, next(f for f in every if f.key.startswith(need.key + "/"))


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
        services.decide("result", action, request.user, r.pk, version, reason)
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
    messages.success(request, str(_DONE["result", action]))
    return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))


_DECISIONS = ("confirm", "reject", "revert")

#: what the back office says once a decision is made
_DONE = {
    ("result", "confirm"): gettext_lazy("Result confirmed: the public pages show it now."),
    ("result", "reject"): gettext_lazy("Result rejected."),
    ("result", "revert"): gettext_lazy("Result reverted."),
    ("lots", "confirm"): gettext_lazy("Drawing of lots confirmed: the public pages show it now."),
    ("lots", "reject"): gettext_lazy("Drawing of lots rejected."),
    ("lots", "revert"): gettext_lazy("Drawing of lots reverted."),
}


def _write(request: HttpRequest, write: Callable[[int], Any]) -> Any:
    """``write(version)`` with the version the form was read at; None when refused
    (a conflict, a rule broken, a bad number), said to the user as one message."""
    try:
        return write(int(request.POST.get("version", "0")))
    except (services.Conflict, services.Invalid, ValueError) as e:
        messages.error(request, str(e))
        return None


def _record_lots(
    request: HttpRequest, row: Season, stage: str, key: str, field: str
) -> HttpResponse:
    """Record the drawing of lots at ``key``: the clubs in the order drawn, posted as
    ``field``1, ``field``2, ..."""
    post = request.POST
    order = [post.get(f"{field}{i}", "") for i in range(1, 41) if post.get(f"{field}{i}")]
    reason = post.get("reason", "")
    done = _write(
        request,
        lambda version: services.record_lots(request.user, row.pk, key, order, reason, version),
    )
    if done is not None:
        messages.success(
            request, _("Drawing of lots recorded; it awaits confirmation by another person.")
        )
    return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))


@office_required
@require_POST
def places(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    """A stage's places drawn by lots (the form of older pages): a drawing like any other,
    recorded here and confirmed by a second person."""
    row = get_object_or_404(Season, slug=season)
    name = row.stage_name(stage)
    if name is None:
        raise PermissionDenied
    index = [s["name"] for s in row.spec["stages"]].index(name)
    return _record_lots(request, row, stage, f"stages/{index}", "place")


@office_required
@require_POST
def lots_record(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    row = get_object_or_404(Season, slug=season)
    return _record_lots(request, row, stage, request.POST.get("key", ""), "lot")


@office_required
@require_POST
def decider_add(request: HttpRequest, season: str, stage: str) -> HttpResponse:
    """An organizer adds the deciding match the engine asks for (``copa result --decider``)."""
    row = get_object_or_404(Season, slug=season)
    post = request.POST
    f = _write(
        request,
        lambda version: services.add_decider(
            request.user,
            row.pk,
            post.get("key", ""),
            post.get("home", ""),
            post.get("away", ""),
            post.get("reason", ""),
            version,
        ),
    )
    if f is None:
        return HttpResponseRedirect(reverse("office-stage", args=[row.slug, stage]))
    messages.success(
        request,
        _("Deciding match %(home)s v %(away)s added: its result is entered and confirmed here.")
        % {"home": f.home.name, "away": f.away.name},
    )
    return HttpResponseRedirect(reverse("office-fixture", args=[f.pk]))


def _decision_view(
    act: Callable[[HttpRequest, int, str], HttpResponse], action: str, name: str
) -> Any:
    """The view ``name`` that makes one decision (confirm, reject, revert) with ``act``."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return act(request, pk, action)

    view.__name__ = view.__qualname__ = name
    return office_required(require_POST(view))


def _lots_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from copa.web.models import Lots

    lr = get_object_or_404(Lots.objects.select_related("season", "fixture"), pk=pk)
    back = reverse("office-stage", args=[lr.season.slug, lr.fixture.stage_slug])
    if not request.user.has_perm(perms.VIEW_FIXTURE, lr.fixture):
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    done = _write(
        request,
        lambda version: services.decide("lots", action, request.user, lr.pk, version, reason),
    )
    if done is None:
        return HttpResponseRedirect(back, status=303)
    messages.success(request, str(_DONE["lots", action]))
    return HttpResponseRedirect(back)


confirm, reject, revert = (_decision_view(_result_action, a, a) for a in _DECISIONS)
lots_confirm, lots_reject, lots_revert = (
    _decision_view(_lots_action, a, f"lots_{a}") for a in _DECISIONS
)


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


def _upload(up: Any) -> tuple[str, bytes | None]:
    """An optional upload's name and bytes ("" and None when there is none)."""
    return (up.name, _read(up)) if up else ("", None)


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

    def sent(way: str) -> tuple[Any, Any]:
        """What was posted, for the form of the way chosen (the others stay unbound)."""
        return (request.POST, request.FILES) if posted and mode == way else (None, None)

    forms_: dict[str, Any] = {
        "file": SetupForm(*sent("file")),
        "pyramid": PyramidForm(*sent("pyramid"), initial={"preset": "copa-peru-2019", "seed": 0}),
        "import": ImportForm(*sent("import")),
    }
    status = 200
    if posted:
        form = forms_.get(mode)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            loaded = _load_setup(request, mode, form)
            if loaded is not None:
                return loaded
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


def _load_setup(request: HttpRequest, mode: str, form: Any) -> HttpResponse | None:
    """Load the season a valid set-up form describes, and go to it; None when refused
    (the reason is then an error of the form's upload field)."""
    d = form.cleaned_data
    try:
        text, source, notes = _setup_text(mode, d)
        row = services.load_season(text, source, d["slug"] or None, d["replace"])
    except (services.Invalid, ValueError) as e:
        form.add_error({"file": "file", "pyramid": "clubs", "import": "source"}[mode], str(e))
        return None
    messages.success(request, _("Season %(name)s loaded.") % {"name": row.name})
    for note in notes[:20]:
        messages.warning(request, note)
    if len(notes) > 20:
        messages.warning(request, _("... and %(n)d more notes") % {"n": len(notes) - 20})
    return HttpResponseRedirect(reverse("office-season", args=[row.slug]))


def _setup_text(mode: str, d: dict[str, Any]) -> tuple[str, str, list[str]]:
    """The season file a set-up form describes, the upload it names, and the import's notes."""
    if mode == "file":
        return _text(d["file"]), d["file"].name, []
    if mode == "pyramid":
        text = services.pyramid_season_text(
            d.get("preset") or "",
            d["clubs"].name,
            _read(d["clubs"]),
            d["seed"] or 0,
            d.get("department") or None,
            *_upload(d.get("format_file")),
        )
        return text, d["clubs"].name, []
    text, notes = services.imported_season_text(
        d["source"].name,
        _read(d["source"]),
        d.get("kind") or None,
        *_upload(d.get("clubs")),
        *_upload(d.get("format_file")),
    )
    return text, d["source"].name, notes


__all__ = ["in_scope"]
