from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from relais.access.scopes import REVIEWER_ROLES, Reach, reach_of
from relais.access.services import may_break_glass
from relais.accounts.models import AgencyKind
from relais.core.actor import actor_from
from relais.core.nav import nav_for
from relais.followup.selectors import open_task_count
from relais.notifications.selectors import NOTICE_ROLES, notice_open_count
from relais.referrals.selectors import overdue_count as referral_overdue_count

# Agencies that receive follow-up tasks: the zones, and the prosecutor's offices and houses of
# justice for the protective measures (residence-ban expiry and monitoring).
FOLLOWUP_AGENCIES = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                               AgencyKind.HOUSE_OF_JUSTICE})


def relais(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"RELAIS_DEBUG": settings.DEBUG}
    actor = actor_from(request)
    return {
        "RELAIS_DEBUG": settings.DEBUG,
        "is_reviewer": bool(actor.roles & REVIEWER_ROLES),
        "sees_cases": reach_of(actor.roles) > Reach.NONE,
        "can_break_glass": may_break_glass(actor),
        "receives_notices": bool(actor.roles & NOTICE_ROLES),
        "open_notices": notice_open_count(actor=actor),
        "overdue_referrals": referral_overdue_count(actor=actor),
        "sees_followup": actor.agency is not None and actor.agency.kind in FOLLOWUP_AGENCIES,
        "overdue_tasks": open_task_count(actor=actor),
        "nav_entries": nav_for(actor),
    }
