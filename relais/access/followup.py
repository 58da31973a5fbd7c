"""Access policy of the follow-up of the victim (relais.followup): tasks, queues, the zone's
policy, crisis re-contact and the first-contact indicator.

- A task is seen by its agency's staff, on the cases the case policy opens to them
  (``task_scope``); a role that reaches only its assigned cases (the neighbourhood officer)
  sees a task once the case is assigned to her.
- A task is taken by someone of the role it is for, or by a coordinator (the zone's IPV
  reference officer); it is cancelled by its assignee or a coordinator.
- The zone's administrator sets the follow-up policy; coordinators run crisis re-contact;
  the indicator is for the zone's analysts, administrators, reference officers and SAPV.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from relais.access.cases import visible_cases
from relais.access.scopes import Reach, reach_of
from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.followup.models import Task

# Roles that organise the zone's follow-up (crisis re-contact, cancelling, all tasks).
COORDINATOR_ROLES = frozenset({Role.IPV_REFERENCE_OFFICER})
INDICATOR_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR, Role.IPV_REFERENCE_OFFICER,
                             Role.VICTIM_ASSISTANCE_WORKER})
# Agencies that receive follow-up tasks: the zones, the prosecutor's offices and houses of
# justice for the protective measures (residence-ban expiry and monitoring), and every agency
# that can sit in a multi-agency consultation, for the actions of its safety plans
# (relais.consultation). Municipalities and helplines hold no case.
FOLLOWUP_AGENCIES = frozenset(AgencyKind.values) - {AgencyKind.MUNICIPALITY,
                                                     AgencyKind.HELPLINE}


def _is_zone(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE


def task_scope(actor: Actor) -> QuerySet[Task]:
    """The tasks the actor may see: her agency's, on cases the access policy opens to her.

    Asked task by task (``EXISTS`` on the task's case) rather than ``case IN (visible cases)``:
    SQLite would list every visible case of the agency first (a scan of all the cases, on
    every page for the menu badge), where the badge needs a few of her own tasks."""
    if actor.agency_id is None:
        return Task.objects.none()
    return Task.objects.filter(Exists(visible_cases(actor).filter(pk=OuterRef("case_id"))),
                               agency_id=actor.agency_id)


def sees_followup(actor: Actor) -> bool:
    """The menu entry "Follow-up"."""
    return actor.agency is not None and actor.agency.kind in FOLLOWUP_AGENCIES


def is_coordinator(actor: Actor) -> bool:
    return bool(actor.roles & COORDINATOR_ROLES)


def may_take(actor: Actor, task: Task) -> bool:
    return not task.for_role or task.for_role in actor.roles or is_coordinator(actor)


def may_cancel(actor: Actor, task: Task) -> bool:
    return task.assignee_id == actor.user_id or is_coordinator(actor)


def may_coordinate(actor: Actor) -> bool:
    """Crisis re-contact of every recent victim of the zone."""
    return _is_zone(actor) and is_coordinator(actor)


def may_set_policy(actor: Actor) -> bool:
    return _is_zone(actor) and actor.has_role(Role.ADMINISTRATOR)


def may_see_indicator(actor: Actor) -> bool:
    return _is_zone(actor) and bool(actor.roles & INDICATOR_ROLES)


def reaches_assigned_only(roles: frozenset[str]) -> bool:
    """A role that sees only the cases assigned to her (she must be named on a task's case)."""
    return reach_of(roles) is Reach.ASSIGNED
