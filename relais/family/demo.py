"""Demo family proceedings (called once by ``seed_demo``), through the services.

In one network: its police zone opens the case that has a residence ban to the network's
family court (the judicial part only), and the court's clerk records parallel parenting and
contact at a neutral meeting place (espace-rencontre). The prosecutor's office and the zone are
told after the commit. Idempotent: nothing is added once the court has a record.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.family import services
from relais.family.models import FamilyProceeding, ProceedingKind


def _actor(agency: Agency, role: str) -> Actor | None:
    user = (User.objects.filter(agency=agency, is_active=True, roles__role=role)
            .order_by("pk").first())
    return Actor.for_user(user, channel="demo") if user else None


def load_demo_family(*, key: str) -> FamilyProceeding | None:
    """The family court of network ``key`` (codes ``demo-<key>-...``) records two decisions on
    the zone's case with a residence ban (else its first case). Returns the first, or None."""
    court = Agency.objects.filter(code=f"demo-{key}-family-court",
                                  kind=AgencyKind.FAMILY_COURT).first()
    zone = Agency.objects.filter(code=f"demo-{key}-police-zone").first()
    if court is None or zone is None or FamilyProceeding.objects.filter(
            recorded_by_agency=court).exists():
        return None
    case = (Case.objects.filter(owner_agency=zone, residence_bans__isnull=False).order_by("pk")
            .first() or Case.objects.filter(owner_agency=zone).order_by("pk").first())
    reference = _actor(zone, Role.IPV_REFERENCE_OFFICER)
    clerk = _actor(court, Role.COURT_CLERK)
    if case is None or reference is None or clerk is None:
        return None
    services.case_open_to_court(actor=reference, case_id=case.pk, court_id=court.pk)
    today = timezone.localdate()
    first = services.proceeding_record(
        actor=clerk, case_id=case.pk, kind=ProceedingKind.PARALLEL_PARENTING,
        decided_on=today - timedelta(days=1), starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=180))
    services.proceeding_record(
        actor=clerk, case_id=case.pk, kind=ProceedingKind.MEETING_PLACE_CONTACT,
        decided_on=today - timedelta(days=1), starts_on=today,
        ends_on=today + timedelta(days=90))
    return first
