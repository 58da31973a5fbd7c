"""The demo's red list (fictitious data only): in the Brussels network, the zone's reference
officer lists one address (in French and in Dutch) and one phone number of the zone's
high-risk case, so that the dispatcher's look-up hits it:

    bxl.dispatch → "Red-list look-up": 1050, "Rue de la Démo" (or "Demostraat"), 18, box 2
                   or the number 0470 00 18 18

Called once by ``seed_demo``, through the real services; does nothing if the demo's entries
are there.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from relais.accounts.models import User
from relais.cases.models import Case, CaseStatus, ParticipantRole
from relais.core.actor import Actor
from relais.redlist import services
from relais.redlist.models import RedListEntry

DEMO_ADDRESS = {"postcode": "1050", "refnis": "21009",
                "streets": ["Rue de la Démo", "Demostraat"], "number": "18", "box": "2"}
DEMO_PHONE = "0470 00 18 18"
DEMO_REASON = "Fictitious demo: repeated violence at this address, threats with a knife."


def load_demo_redlist(*, reference_username: str = "bxl.reference") -> list[RedListEntry]:
    reference = User.objects.filter(username=reference_username).select_related("agency").first()
    if reference is None or RedListEntry.objects.filter(placed_by=reference).exists():
        return []
    case = (Case.objects.filter(owner_agency=reference.agency, status=CaseStatus.OPEN)
            .annotate(children=Count("participants",
                                     filter=Q(participants__role=ParticipantRole.CHILD)))
            .order_by("-children", "pk").first())
    if case is None:
        return []
    actor = Actor.for_user(reference, channel="demo")
    review_on = timezone.localdate() + timedelta(days=120)
    common = {"case_id": case.pk, "reason": "weapon_threats", "reason_text": DEMO_REASON,
              "review_on": review_on}
    return [services.entry_place(actor=actor, kind="address", **common, **DEMO_ADDRESS),
            services.entry_place(actor=actor, kind="phone", phone=DEMO_PHONE, **common)]
