"""Two helplines around the fixed cast: the one under test (an operator, an analyst) and
another (its operator is the outsider)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.conftest import actor, make_agency, make_user
from relais.helpline.models import Call
from relais.helpline.services import call_record


@dataclass
class Helplines:
    line: Agency
    operator: User
    analyst: User
    other_line: Agency
    other_operator: User


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def helplines(cast) -> Helplines:
    line = make_agency("helpline-test", AgencyKind.HELPLINE, name="Test helpline")
    other = make_agency("helpline-other", AgencyKind.HELPLINE, name="Other helpline")
    return Helplines(line=line, operator=make_user("operator", line, Role.HELPLINE_OPERATOR),
                     analyst=make_user("line_analyst", line, Role.ANALYST),
                     other_line=other,
                     other_operator=make_user("other_operator", other,
                                              Role.HELPLINE_OPERATOR))


def record(user: User, **overrides: Any) -> Call:
    """A call recorded through the service, with plausible answers unless overridden."""
    fields: dict[str, Any] = {
        "started_at": timezone.now(), "duration_minutes": 12, "channel": "phone",
        "language": "fr", "caller_type": "victim", "victim_sex": "F", "victim_age": "25-34",
        "violence_forms": ["psychological"], "children_present": "yes", "danger_now": False,
        "province": "04000", "topics": ["emotional_support"], **overrides}
    return call_record(actor=actor(user), **fields)


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))
