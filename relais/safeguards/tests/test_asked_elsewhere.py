"""Her residence, asked in the police intake and in a referral (relais.core.questions): an
answer records it as from the case page (record, task, timeline, audit) in the same
transaction; no answer, nothing; whoever may not record it is not asked, and gets 404."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from relais.audit.models import AuditEvent
from relais.cases.models import TimelineEntry
from relais.cases.services import case_close
from relais.conftest import Cast, actor, api_client, verified_client
from relais.followup.models import Task, TaskKind
from relais.intake import services as intake
from relais.intake.examples import report_arguments
from relais.intake.models import Report
from relais.intake.tests.test_views import form_data
from relais.referrals import services as referrals
from relais.referrals.models import Referral
from relais.safeguards.models import ResidenceSituation
from relais.safeguards.rules import residence_rules

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def record(cast: Cast, **overrides) -> Report:
    return intake.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id,
                           **overrides))


def refer(cast: Cast, service, *, person_id: int | None = None, **kwargs) -> Referral:
    return referrals.referral_create(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        person_id=person_id or cast.victim_id, service_id=service.pk, basis="consent",
        consent_method="oral_in_person", confirm_mismatches=True, **kwargs)


def situation_events() -> list[str]:
    return list(AuditEvent.objects.filter(object_type="safeguards.residencesituation")
                .values_list("action", flat=True))


# --- The police intake ----------------------------------------------------------------------

def test_an_intake_answer_records_her_residence_task_and_audit(cast: Cast):
    offence = timezone.now() - timedelta(days=2)
    report = record(cast, offence_at=offence, answers={"residence_permit": "card_f"})
    situation = ResidenceSituation.objects.get(case=cast.case, person_id=cast.victim_id)
    assert situation.permit == "card_f" and situation.via == "intake"
    assert situation.facts_on == timezone.localdate(offence)  # the facts of the record
    days = residence_rules().permits["card_f"].apply_within_days
    assert situation.apply_by == situation.facts_on + timedelta(days=days)
    assert situation.agency_id == cast.zone_a.pk
    task = Task.objects.get(kind=TaskKind.RESIDENCE_APPLICATION)
    assert task.agency_id == cast.zone_a.pk and task.person_id == cast.victim_id
    assert "Immigration Office" in task.why
    assert situation_events() == ["create"]
    assert AuditEvent.objects.get(object_type="safeguards.residencesituation").case_id == \
        cast.case.pk
    assert TimelineEntry.objects.filter(kind="residence_recorded", scope="health").exists()
    assert report.pk  # one write: the record and her residence


def test_an_intake_without_the_answer_records_nothing_of_it(cast: Cast):
    record(cast)
    record(cast, answers={"residence_permit": ""})
    assert Report.objects.count() == 2
    assert not ResidenceSituation.objects.exists()
    assert not Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION).exists()
    assert situation_events() == []


def test_a_wrong_answer_is_a_field_error_and_nothing_is_kept(cast: Cast):
    with pytest.raises(ValidationError) as error:
        record(cast, answers={"residence_permit": "card_z"})
    assert "residence_permit" in error.value.message_dict
    assert not Report.objects.exists() and not ResidenceSituation.objects.exists()


def test_a_refused_answer_undoes_the_whole_intake(cast: Cast):
    case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, reason="declined",
               acknowledged=True)  # closed: not recordable
    with pytest.raises(Http404):
        record(cast, answers={"residence_permit": "card_a"})
    assert not Report.objects.exists() and not ResidenceSituation.objects.exists()
    record(cast)  # without the answer, the record itself is allowed
    assert Report.objects.count() == 1 and not ResidenceSituation.objects.exists()


def test_the_intake_form_asks_and_records(cast: Cast):
    client = verified_client(cast.officer_a)
    url = reverse("intake:report_new", args=[cast.case.pk])
    page = client.get(url).content.decode()
    assert "Does her residence permit depend on the partner?" in page
    assert 'name="residence_permit"' in page and "No, or not known" in page
    response = client.post(url, form_data(cast, residence_permit="pending"), follow=True)
    assert response.status_code == 200
    assert b"Safeguards section shows the date to apply" in response.content
    situation = ResidenceSituation.objects.get()
    assert situation.permit == "pending" and situation.via == "intake"
    assert Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION).count() == 1


def test_the_intake_form_without_the_answer_records_nothing_of_it(cast: Cast):
    client = verified_client(cast.officer_a)
    url = reverse("intake:report_new", args=[cast.case.pk])
    response = client.post(url, form_data(cast), follow=True)
    assert response.status_code == 200 and Report.objects.count() == 1
    assert not ResidenceSituation.objects.exists()


def test_the_intake_form_does_not_ask_when_she_may_not_record_it(cast: Cast):
    case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, reason="declined",
               acknowledged=True)
    page = verified_client(cast.officer_a).get(
        reverse("intake:report_new", args=[cast.case.pk])).content.decode()
    assert 'name="residence_permit"' not in page
    assert verified_client(cast.officer_b).get(
        reverse("intake:report_new", args=[cast.case.pk])).status_code == 404


def test_the_intake_api_takes_the_optional_answer(cast: Cast):
    api = api_client(cast.officer_a)
    url = reverse("api:case_reports", args=[cast.case.pk])
    body = json.loads(json.dumps(report_arguments(
        victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id), default=str))
    wrong = api.post(url, body | {"residence_permit": "card_z"}, format="json")
    assert wrong.status_code == 400 and "residence_permit" in wrong.json()
    assert not Report.objects.exists()
    done = api.post(url, body | {"residence_permit": "card_a"}, format="json",
                    headers={"Idempotency-Key": "residence-1"})
    assert done.status_code == 201
    assert ResidenceSituation.objects.get().via == "intake"
    assert situation_events() == ["create"]
    without = api.post(url, body, format="json")
    assert without.status_code == 201 and ResidenceSituation.objects.count() == 1
    assert api_client(cast.officer_b).post(url, body | {"residence_permit": "card_a"},
                                           format="json").status_code == 404


# --- A referral -----------------------------------------------------------------------------

def test_a_referral_answer_records_her_residence_by_the_referring_agency(cast, directory):
    referral = refer(cast, directory.support_fr, answers={"residence_permit": "card_a"})
    situation = ResidenceSituation.objects.get()
    assert situation.via == "referral" and situation.agency_id == cast.zone_a.pk
    assert situation.facts_on == date.today()  # a referral knows no date of the facts
    assert Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION,
                               agency=cast.zone_a).count() == 1
    assert situation_events() == ["create"]
    assert referral.pk


def test_a_referral_keeps_the_date_of_the_facts_already_recorded(cast, directory):
    offence = timezone.now() - timedelta(days=10)
    record(cast, offence_at=offence, answers={"residence_permit": "pending"})
    refer(cast, directory.support_fr, answers={"residence_permit": "card_a"})
    situation = ResidenceSituation.objects.get()
    assert situation.permit == "card_a" and situation.via == "referral"
    assert situation.facts_on == timezone.localdate(offence)
    assert situation_events() == ["create", "update"]
    assert Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION).count() == 1


def test_a_referral_without_the_answer_records_nothing_of_it(cast, directory):
    refer(cast, directory.support_fr)
    refer(cast, directory.legal, answers={"residence_permit": ""})
    assert not ResidenceSituation.objects.exists() and situation_events() == []


def test_who_may_not_record_her_residence_gets_404_and_nothing(cast, directory):
    with pytest.raises(Http404):  # not the victim: the perpetrator referred to a programme
        refer(cast, directory.programme, person_id=cast.perpetrator_id,
              answers={"residence_permit": "card_a"})
    case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, reason="declined",
               acknowledged=True)
    with pytest.raises(Http404):  # a closed case
        refer(cast, directory.support_fr, answers={"residence_permit": "card_a"})
    assert not Referral.objects.exists() and not ResidenceSituation.objects.exists()
    refer(cast, directory.support_fr)  # without the answer, the referral itself is allowed
    assert Referral.objects.count() == 1 and not ResidenceSituation.objects.exists()


def test_the_referral_form_asks_for_the_victim_only(cast, directory):
    client = verified_client(cast.officer_a)
    base = reverse("referrals:new", args=[cast.case.pk])
    victim_url = f"{base}?service={directory.support_fr.pk}&person={cast.victim_id}"
    assert b'name="residence_permit"' in client.get(victim_url).content
    perpetrator = client.get(
        f"{base}?service={directory.programme.pk}&person={cast.perpetrator_id}")
    assert perpetrator.status_code == 200 and b'name="residence_permit"' not in \
        perpetrator.content
    response = client.post(victim_url, {
        "person": cast.victim_id, "service": directory.support_fr.pk, "basis": "consent",
        "consent_method": "oral_in_person", "scopes": ["contact"], "confirm_mismatches": "on",
        "residence_permit": "card_f", "send": "1"}, follow=True)
    assert response.status_code == 200
    assert b"Safeguards section shows the date to apply" in response.content
    assert ResidenceSituation.objects.get().via == "referral"
    assert Referral.objects.count() == 1


def test_the_referral_form_does_not_ask_on_a_closed_case(cast, directory):
    case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, reason="declined",
               acknowledged=True)
    url = (f"{reverse('referrals:new', args=[cast.case.pk])}?service="
           f"{directory.support_fr.pk}&person={cast.victim_id}")
    response = verified_client(cast.officer_a).get(url)
    assert response.status_code == 200 and b'name="residence_permit"' not in response.content
