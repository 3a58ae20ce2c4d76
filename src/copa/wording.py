"""The words for what the core returns as data, in the current language (:mod:`copa.i18n`).

The core gives a club's path as places, scores, step names and outcome kinds
(:mod:`copa.core.path`); the command line (``copa team``) and the web app
word them here, so the sentences come from the shared catalogue.

>>> from copa.core.path import GroupPlace, Outcome, OutcomeKind
>>> from copa.i18n import activate
>>> place = GroupPlace("Group A", 1, 4, 13, 4, 1, 1, 10, 4)
>>> lang = activate("en"); group_text(place)
'Group A: 1st of 4, 13 pts (4W 1D 1L, 10-4)'
>>> lang = activate("es"); group_text(place)
'Grupo A: 1.º de 4, 13 pts (4G 1E 1P, 10-4)'
>>> outcome_text(Outcome(OutcomeKind.CHAMPION, destination="First Division"))
'campeón: asciende a Primera División'
>>> lang = activate("en")
"""

from __future__ import annotations

from collections.abc import Callable

from copa.core.path import (
    DeciderPlayed,
    GroupPlace,
    Outcome,
    OutcomeKind,
    Step,
    TiePlayed,
)
from copa.core.tie import LABELS
from copa.i18n import _, language, plural, term


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``23rd``; in Spanish ``1.º``."""
    if language() == "es":
        return f"{n}.º"
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"


def step_label(step: str | None) -> str:
    """The words for a tie-deciding step ("penalties", "away goals"), translated."""
    return _(LABELS.get(step or "", "?"))


def group_text(p: GroupPlace) -> str:
    return _("{group}: {place} of {n}, {points} ({won}W {drawn}D {lost}L, {gf}-{ga})").format(
        group=term(p.group),
        place=ordinal(p.position),
        n=p.of,
        points=plural(p.points, "{n} pt", "{n} pts"),
        won=p.won,
        drawn=p.drawn,
        lost=p.lost,
        gf=p.goals_for,
        ga=p.goals_against,
    )


def tie_text(t: TiePlayed) -> str:
    if t.won is None:
        how = _("undecided")
    elif t.won:
        how = _("won on {step}").format(step=step_label(t.decided_by))
    elif t.best_loser:
        how = _("lost on {step}, went on as a best loser").format(step=step_label(t.decided_by))
    else:
        how = _("lost on {step}").format(step=step_label(t.decided_by))
    return _("v {opponent}: {a}-{b} over {legs}, {how}").format(
        opponent=t.opponent,
        a=t.goals_for,
        b=t.goals_against,
        legs=plural(t.legs, "{n} leg", "{n} legs"),
        how=how,
    )


def decider_text(d: DeciderPlayed) -> str:
    word = _("deciding match: {match} (won)") if d.won else _("deciding match: {match} (lost)")
    return word.format(match=d.match)


def step_text(step: Step) -> str:
    """What happened to the club in one step of its path, in one line."""
    d = step.detail
    if isinstance(d, GroupPlace):
        return group_text(d)
    if isinstance(d, TiePlayed):
        return tie_text(d)
    return decider_text(d)


def status_text(status: str, gettext: Callable[[str], str] = _) -> str:
    """A club's status against a qualification line (:class:`copa.core.progress.Status`).

    The web app passes Django's ``gettext``: its language is the request's, while
    copa.i18n holds one language per process.
    """
    words = {
        "qualified": gettext("qualified"),
        "out": gettext("out"),
        "open": gettext("in contention"),
    }
    return words[status]


def outcome_text(o: Outcome) -> str:
    """How the club's season ended (or where it stands)."""
    if o.kind is OutcomeKind.CHAMPION:
        return _("champion: promoted to {league}").format(league=term(o.destination))
    if o.kind is OutcomeKind.RUNNER_UP:
        return _("runner-up: promoted to {league}").format(league=term(o.destination))
    if o.kind is OutcomeKind.PROMOTED:
        return _("promoted to {league}").format(league=term(o.destination))
    if o.kind is OutcomeKind.ABSENT:
        return _("did not take part in the stages played")
    where = {"stage": term(o.stage), "round": term(o.round)}
    if o.kind is OutcomeKind.ELIMINATED:
        return _("eliminated in {stage}, {round}").format(**where)
    return _("last played in {stage}, {round}").format(**where)
