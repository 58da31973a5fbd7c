"""No lost update (issue 20 §1) on a crisis debrief: two people of the office write it; the
second save over a newer version is refused, shows both and keeps her typing; "Keep mine" then
saves hers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.core.tests.conflict_helpers import refused_without_audit, second_save_refused
from relais.crisis import services
from relais.crisis.models import Debrief
from relais.crisis.tests.test_crisis import brussels, declare  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_two_magistrates_write_the_debrief_the_second_sees_both_and_decides(brussels):  # noqa: F811
    crisis = declare(brussels, starts_on=timezone.localdate() - timedelta(days=5))
    services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    url = reverse("crisis:debrief", args=[crisis.pk])
    base = {"what_failed": "", "what_worked": "", "unreachable_note": ""}
    second = verified_client(make_user("magistrate_two", brussels.prosecutor, Role.MAGISTRATE))
    newer = second_save_refused(
        url=url, first=verified_client(brussels.magistrate), second=second, base=base,
        theirs={"what_failed": "Phones down (theirs)"},
        mine={"what_failed": "The chat line was late (mine)"},
        shown=["Phones down (theirs)", "The chat line was late (mine)"])
    assert Debrief.objects.get(crisis=crisis).what_failed == "Phones down (theirs)"
    assert second.post(url, {**base, "what_failed": "Both (mine)",
                             "version": newer}).status_code == 302
    assert Debrief.objects.get(crisis=crisis).what_failed == "Both (mine)"
    refused_without_audit(lambda: services.debrief_save(
        actor=actor(brussels.magistrate), crisis_id=crisis.pk, what_failed="x", what_worked="",
        unreachable_ids=[], unreachable_note="", version=newer))
