"""Red-list helpers around the fixed cast: zone A's reference officer lists the cast's case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.conftest import actor
from relais.redlist import services

LISTED = {"postcode": "1050", "refnis": "21009", "streets": ["Rue de la Loi", "Wetstraat"],
          "number": "16", "box": "bte 2"}
LISTED_PHONE = "0470 99 88 77"


def place(user, case, **overrides):
    data = dict(case_id=case.pk, kind="address", reason="serious_violence",
                review_on=timezone.localdate() + timedelta(days=90), **LISTED)
    data.update(overrides)
    return services.entry_place(actor=actor(user), **data)


@pytest.fixture
def listed(cast):
    """One address (bilingual street) and one phone, on the cast's case."""
    address = place(cast.reference_a, cast.case)
    phone = place(cast.reference_a, cast.case, kind="phone", phone=LISTED_PHONE, postcode="",
                  refnis="", streets=[], number="", box="")
    return address, phone
