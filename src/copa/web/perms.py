"""Who may do what in the back office: predicates registered with ``rules``.

Roles are scoped to a season (or every season) and within it to a stage or
region (``Region VIII``) or a department (``Cusco``). Every view and API
call asks ``user.has_perm(name, obj)``; nothing is checked only in a template.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

ENTER = "copa_web.enter_result"
CONFIRM = "copa_web.confirm_result"
REVERT = "copa_web.revert_result"
SETUP = "copa_web.setup_season"
OFFICE = "copa_web.use_office"
VIEW_FIXTURE = "copa_web.view_fixture"
RECORD_LOTS = "copa_web.record_lots"
CONFIRM_LOTS = "copa_web.confirm_lots"
ADD_DECIDER = "copa_web.add_decider"

ENTER_KINDS = frozenset({"admin", "organizer", "clerk"})
CONFIRM_KINDS = frozenset({"admin", "organizer", "confirmer"})
REVERT_KINDS = frozenset({"admin", "organizer"})


def _roles(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_copa_roles", None)
    if cached is None:
        cached = list(user.roles.all())
        user._copa_roles = cached
    return cached


def in_scope(role: Any, fixture: Any) -> bool:
    if role.season_id is not None and role.season_id != fixture.season_id:
        return False
    if role.stage and role.stage not in (fixture.stage, fixture.region):
        return False
    return not (
        role.department
        and role.department not in (fixture.home.department, fixture.away.department)
    )


def has_role_for(user: Any, fixture: Any, kinds: frozenset[str]) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(r.kind in kinds and in_scope(r, fixture) for r in _roles(user))


@predicate
def may_use_office(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or _roles(user))


@predicate
def is_federation_admin(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(r.kind == "admin" and r.season_id is None and not r.stage for r in _roles(user))


@predicate
def may_view_fixture(user: Any, fixture: Any) -> bool:
    if fixture is None:
        return False
    return has_role_for(user, fixture, ENTER_KINDS | CONFIRM_KINDS)


@predicate
def may_enter(user: Any, fixture: Any) -> bool:
    return fixture is not None and has_role_for(user, fixture, ENTER_KINDS)


def _confirmable(user: Any, row: Any) -> bool:
    """A pending result or drawing, recorded by someone else, within the user's scope."""
    if row is None or row.state != "pending":
        return False
    if row.entered_by_id == getattr(user, "pk", None):
        return False
    return has_role_for(user, row.fixture, CONFIRM_KINDS)


@predicate
def may_confirm(user: Any, result: Any) -> bool:
    """A pending result, entered by someone else, within the user's scope."""
    return _confirmable(user, result)


@predicate
def may_revert(user: Any, result: Any) -> bool:
    if result is None or result.state != "confirmed":
        return False
    return has_role_for(user, result.fixture, REVERT_KINDS)


@predicate
def may_record_lots(user: Any, fixture: Any) -> bool:
    """An organizer of the group's or tie's stage (``fixture``: one of its matches)."""
    return fixture is not None and has_role_for(user, fixture, REVERT_KINDS)


@predicate
def may_confirm_lots(user: Any, lots: Any) -> bool:
    """A pending drawing, recorded by someone else, within the user's scope."""
    return _confirmable(user, lots)


add_perm(OFFICE, may_use_office)
add_perm(RECORD_LOTS, may_record_lots)
add_perm(CONFIRM_LOTS, may_confirm_lots)
# adding the deciding match the engine asks for: who may record its drawing of lots
add_perm(ADD_DECIDER, may_record_lots)
add_perm(SETUP, is_federation_admin)
add_perm(VIEW_FIXTURE, may_view_fixture)
add_perm(ENTER, may_enter)
add_perm(CONFIRM, may_confirm)
add_perm(REVERT, may_revert)
