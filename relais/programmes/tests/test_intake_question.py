"""The police report asks whether the alleged perpetrator was told about the perpetrator
programmes, and why not (domain brief §3.5: today only "sometimes" in most zones)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relais.conftest import verified_client
from relais.followup.tests.factories import record_report
from relais.intake.models import Report


@pytest.mark.parametrize(("answer", "field", "message"), [
    ({"perpetrator_informed": "no"}, "perpetrator_not_informed_reason",
     "Say why the alleged perpetrator was not told about the programmes."),
    ({"perpetrator_informed": "no", "perpetrator_not_informed_reason": "other"},
     "perpetrator_not_informed_detail", "Describe the other reason."),
    ({"perpetrator_informed": "yes", "perpetrator_not_informed_reason": "refused"},
     "perpetrator_not_informed_reason", "A reason is given only when he was not told"),
    ({"perpetrator_informed": "maybe"}, "perpetrator_informed", "is not a valid choice"),
])
def test_a_no_needs_its_reason(cast, answer, field, message):
    with pytest.raises(ValidationError) as error:
        record_report(cast, perpetrator_id=cast.perpetrator_id, **answer)
    assert message in " ".join(error.value.message_dict[field])
    assert not Report.objects.exists()


@pytest.mark.parametrize("answer", [
    {"perpetrator_informed": "yes"},
    {"perpetrator_informed": "not_applicable"},
    {"perpetrator_informed": ""},  # not recorded
    {"perpetrator_informed": "no", "perpetrator_not_informed_reason": "language"},
    {"perpetrator_informed": "no", "perpetrator_not_informed_reason": "other",
     "perpetrator_not_informed_detail": "He was taken to hospital."},
])
def test_the_answers_that_are_complete(cast, answer):
    report = record_report(cast, perpetrator_id=cast.perpetrator_id, **answer)
    assert report.perpetrator_informed == answer["perpetrator_informed"]


def test_the_question_is_on_the_form_and_the_report_page(cast):
    client = verified_client(cast.officer_a)
    form = client.get(reverse("intake:report_new", args=[cast.case.pk])).content.decode()
    assert "Was the alleged perpetrator told about the perpetrator programmes?" in form
    assert 'name="perpetrator_not_informed_reason"' in form
    report = record_report(cast, perpetrator_id=cast.perpetrator_id, perpetrator_informed="no",
                           perpetrator_not_informed_reason="refused")
    page = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()
    assert ("The alleged perpetrator was told about the perpetrator programmes:</strong> No — "
            "He refused to listen") in page


def test_the_form_explains_a_missing_reason_and_keeps_the_input(cast):
    from relais.intake.tests.test_views import form_data

    client = verified_client(cast.officer_a)
    response = client.post(reverse("intake:report_new", args=[cast.case.pk]),
                           form_data(cast, perpetrator_informed="no"))
    page = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert "Say why the alleged perpetrator was not told about the programmes." in page
    assert "He grabbed her wrist; red marks visible." in page
