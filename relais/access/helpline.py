"""Access policy of the helpline call log (relais.helpline).

- **Recording and listing calls.** The operators of a helpline (an agency of kind helpline,
  role ``helpline_operator``) record calls and list their own agency's; nobody else does, not
  even another helpline's operators.
- **Figures.** The helpline's analysts read its figures (aggregates only, small counts
  suppressed).
- **No case.** A call is anonymous and linked to no case, so the operators reach none
  (``Reach.NONE`` in relais.access.scopes).

Every refusal is the same 404 (raised by the callers).
"""

from __future__ import annotations

from django.db.models import QuerySet

from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.helpline.models import Call


def _at_a_helpline(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.HELPLINE


def may_record_calls(actor: Actor) -> bool:
    return _at_a_helpline(actor) and actor.has_role(Role.HELPLINE_OPERATOR)


def may_see_figures(actor: Actor) -> bool:
    return _at_a_helpline(actor) and actor.has_role(Role.ANALYST)


def sees_helpline(actor: Actor) -> bool:
    """The menu entry: the call screen's operators, or the figures' analysts."""
    return may_record_calls(actor) or may_see_figures(actor)


def call_scope(actor: Actor) -> QuerySet[Call]:
    """The calls the actor may list: her own helpline's, for its operators."""
    if not may_record_calls(actor):
        return Call.objects.none()
    return Call.objects.filter(agency_id=actor.agency_id)


def figures_scope(actor: Actor) -> QuerySet[Call]:
    """The calls the actor's figures count: her own helpline's, for its analysts."""
    if not may_see_figures(actor):
        return Call.objects.none()
    return Call.objects.filter(agency_id=actor.agency_id)
