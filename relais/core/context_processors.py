from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from relais.access.scopes import REVIEWER_ROLES, Reach, reach_of
from relais.access.services import may_break_glass
from relais.accounts.models import AgencyKind
from relais.core.actor import actor_from
from relais.followup.selectors import open_task_count
from relais.notifications.selectors import NOTICE_ROLES, notice_open_count
from relais.referrals.selectors import overdue_count as referral_overdue_count


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
        "sees_followup": actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE,
        "overdue_tasks": open_task_count(actor=actor),
    }
