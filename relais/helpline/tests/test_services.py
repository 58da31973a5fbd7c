"""Recording a call: who may, what is checked, what is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.directory.tests.factories import make_service
from relais.helpline.models import Call, CallTopic
from relais.helpline.tests.conftest import record


def test_an_operator_records_a_call_of_her_helpline_audited_without_a_case(helplines):
    service = make_service("test-caw", name="CAW test (fictitious)")
    call = record(helplines.operator, topics=["shelter", "legal", "shelter"],
                  violence_forms=["physical", "sexual"], referral_id=service.pk,
                  referral_other="  Fictitious legal aid desk ", police_called=True)
    call.refresh_from_db()
    assert call.agency == helplines.line and call.recorded_by == helplines.operator
    assert sorted(CallTopic.objects.filter(call=call).values_list("topic", flat=True)) == [
        "legal", "shelter"]
    assert call.violence_forms == ["physical", "sexual"]
    assert call.referral == service and call.referral_other == "Fictitious legal aid desk"
    event = AuditEvent.objects.get(object_type="helpline.call", object_id=str(call.pk))
    assert event.action == "create" and event.case_id is None
    assert event.agency_id == helplines.line.pk


def test_only_a_helpline_operator_records(cast, helplines):
    for user in (helplines.analyst, cast.officer_a, cast.support_worker, cast.analyst_a):
        with pytest.raises(Http404):
            record(user)
    assert not Call.objects.exists() and not AuditEvent.objects.filter(
        object_type="helpline.call").exists()


@pytest.mark.parametrize("overrides, field", [
    ({"channel": "pigeon"}, "channel"),
    ({"caller_type": ""}, "caller_type"),
    ({"victim_age": "30"}, "victim_age"),
    ({"province": "21009"}, "province"),  # a municipality, not a province
    ({"topics": ["gossip"]}, "topics"),
    ({"violence_forms": ["unknown-form"]}, "violence_forms"),
    ({"duration_minutes": 601}, "duration_minutes"),
    ({"referral_id": 987654}, "referral"),
])
def test_a_bad_answer_is_refused_and_nothing_is_saved(helplines, overrides, field):
    with pytest.raises(ValidationError) as error:
        record(helplines.operator, **overrides)
    assert field in error.value.message_dict
    assert not Call.objects.exists() and not CallTopic.objects.exists()
    assert not AuditEvent.objects.filter(object_type="helpline.call").exists()


def test_a_call_cannot_start_in_the_future(helplines):
    with pytest.raises(ValidationError) as error:
        record(helplines.operator, started_at=timezone.now() + timedelta(hours=1))
    assert "started_at" in error.value.message_dict
    record(helplines.operator, started_at=timezone.now() + timedelta(minutes=1))  # clock skew


def test_unknown_is_an_answer_everywhere(helplines):
    call = record(helplines.operator, victim_sex="unknown", victim_age="unknown",
                  children_present="unknown", caller_type="other", province="",
                  violence_forms=[], topics=[])
    assert call.pk and call.province_label == ""
