"""Family and youth courts around the fixed cast, built with the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.conftest import Cast, actor, make_agency, make_user
from relais.family import services
from relais.family.models import FamilyProceeding, ProceedingKind


@dataclass
class Courts:
    family: Agency  # the Brussels family court (tribunal de la famille)
    judge: User
    clerk: User
    youth: Agency  # the Liège youth court: never shared with
    youth_clerk: User


@pytest.fixture
def courts(cast: Cast) -> Courts:
    family = make_agency("family-bxl", AgencyKind.FAMILY_COURT, arrondissement="brussel",
                         name="Family court (test)")
    youth = make_agency("youth-liege", AgencyKind.YOUTH_COURT, arrondissement="liege",
                        name="Youth court (test)")
    return Courts(family=family, judge=make_user("judge_family", family, Role.MAGISTRATE),
                  clerk=make_user("clerk_family", family, Role.COURT_CLERK), youth=youth,
                  youth_clerk=make_user("clerk_youth", youth, Role.COURT_CLERK))


def open_to_court(cast: Cast, courts: Courts, *, by: User | None = None):
    """Zone A opens its case to the family court (a judicial share, judicial part only)."""
    return services.case_open_to_court(actor=actor(by or cast.officer_a), case_id=cast.case.pk,
                                       court_id=courts.family.pk)


def record(cast: Cast, courts: Courts, *, kind: str = ProceedingKind.PARALLEL_PARENTING,
           by: User | None = None, **overrides: Any) -> FamilyProceeding:
    today = timezone.localdate()
    data: dict[str, Any] = {"case_id": cast.case.pk, "kind": kind,
                            "decided_on": today - timedelta(days=2),
                            "starts_on": today - timedelta(days=1),
                            "ends_on": today + timedelta(days=180)}
    data.update(overrides)
    return services.proceeding_record(actor=actor(by or courts.clerk), **data)
