"""What an answer keeps: its zone, its week, the questions' version and the answers. Nothing
that tells who answered, from where, or at what moment; no audit event of the visitor."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.utils import translation

from relais.audit.models import AuditEvent
from relais.feedback.models import CODE_ALPHABET, CODE_LENGTH, FeedbackCode, FeedbackResponse
from relais.feedback.services import (
    current_week,
    feedback_code_get_or_create,
    feedback_submit,
    normalise_code,
    week_of,
    zone_for_code,
)

pytestmark = pytest.mark.django_db


def test_an_answer_has_only_its_zone_week_version_and_answers():
    fields = {f.name: f for f in FeedbackResponse._meta.get_fields()}
    assert set(fields) == {"id", "zone", "week", "questions_version", "answers"}
    assert not any(isinstance(f, models.DateTimeField | models.TimeField |
                              models.GenericIPAddressField) for f in fields.values())
    assert not any(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                   for f in fields.values())
    # The only link is to the zone (an agency): never to a case, a report, a person or a user.
    related = {f.name: f.related_model._meta.label for f in fields.values() if f.is_relation}
    assert related == {"zone": "accounts.Agency"}
    # A random key: the order of the keys says nothing about when an answer came in.
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].default is uuid.uuid4
    assert FeedbackResponse._meta.ordering == []


def test_sending_the_form_stores_one_answer_with_zone_and_week_only(cast):
    code = feedback_code_get_or_create(zone=cast.zone_a).code
    events = AuditEvent.objects.count()
    response = Client().post(f"/feedback/{code}/en/", {
        "flyer_reassuring": "yes", "overall_help": "fairly_good", "children_support": ""},
        HTTP_USER_AGENT="Fictitious browser", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    assert b"Thank you" in response.content
    stored = FeedbackResponse.objects.get()
    assert stored.zone_id == cast.zone_a.pk
    assert stored.week == current_week() and stored.week.weekday() == 0
    assert stored.questions_version == 1
    assert stored.answers == {"flyer_reassuring": "yes", "overall_help": "fairly_good"}
    # No audit event of the visitor: neither her address nor the moment is kept anywhere.
    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(ip="192.0.2.44").exists()


def test_the_week_is_the_monday_of_the_iso_week():
    assert week_of(date(2026, 3, 1)) == date(2026, 2, 23)  # a Sunday
    assert week_of(date(2026, 3, 2)) == date(2026, 3, 2)  # a Monday
    assert week_of(date(2027, 1, 1)) == date(2026, 12, 28)  # across the year


def test_a_week_that_is_not_a_monday_is_refused(cast):
    answer = FeedbackResponse(zone=cast.zone_a, week=current_week() + timedelta(days=2),
                              questions_version=1, answers={"flyer_reassuring": "yes"})
    with translation.override("en"), pytest.raises(ValidationError, match="Monday"):
        answer.full_clean()


def test_a_zone_gets_one_short_unambiguous_code(cast):
    first = feedback_code_get_or_create(zone=cast.zone_a)
    assert len(first.code) == CODE_LENGTH and set(first.code) <= set(CODE_ALPHABET)
    assert not set(first.code) & set("0O1I")
    assert feedback_code_get_or_create(zone=cast.zone_a) == first
    other = feedback_code_get_or_create(zone=cast.zone_b)
    assert other.code != first.code
    assert FeedbackCode.objects.count() == 2
    with pytest.raises(ValidationError):
        feedback_code_get_or_create(zone=cast.shelter)


def test_a_typed_code_ignores_case_spaces_and_dashes(cast):
    code = feedback_code_get_or_create(zone=cast.zone_a).code
    typed = f" {code[:3].lower()} - {code[3:]} "
    assert normalise_code(typed) == code
    assert zone_for_code(typed) == cast.zone_a
    assert zone_for_code("ZZZZZZ") is None and zone_for_code("") is None


def test_a_wrong_answer_stores_nothing(cast):
    with pytest.raises(ValidationError) as error:
        feedback_submit(zone=cast.zone_a, answers={"flyer_reassuring": "maybe",
                                                  "overall_help": "poor"})
    assert "flyer_reassuring" in error.value.message_dict
    with pytest.raises(ValidationError):
        feedback_submit(zone=cast.zone_a, answers={"flyer_reassuring": ""})
    assert not FeedbackResponse.objects.exists()
