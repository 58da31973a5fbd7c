"""Recording an intervention: the record's rules, forwarding, notices, audit, one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from relais.access.cases import case_access
from relais.access.models import Share, ShareKind
from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import SafeContactInstructions
from relais.conftest import actor, make_agency, make_user, run_mail_queue
from relais.followup.models import Task, TaskKind
from relais.intake import services
from relais.intake.examples import checklist_answers, report_arguments
from relais.intake.models import Report
from relais.risk.models import RiskAssessment


@pytest.fixture(autouse=True)
def in_english():
    """Messages and labels below are asserted in English (the default language is French)."""
    with translation.override("en"):
        yield


def record(cast, user=None, **overrides) -> Report:
    return services.report_record(
        actor=actor(user or cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id,
                           **overrides))


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_official_report_is_forwarded_to_the_prosecutor_of_the_place(cast):
    report = record(cast)

    assert report.forwarded_to == cast.prosecutor
    assert report.district == "brussel"
    share = Share.objects.get(case=cast.case, kind=ShareKind.JUDICIAL_FORWARDING)
    assert share.recipient_agency == cast.prosecutor
    # The prosecutor's office now sees the case and its record.
    access = case_access(actor=actor(cast.legal_advisor), case_id=cast.case.pk)
    assert "judicial" in access.scopes


def test_the_district_is_the_place_of_the_facts_not_the_case(cast):
    liege = make_agency("parquet-lg", AgencyKind.PROSECUTOR, arrondissement="liege")
    report = record(cast, postcode="4000", municipality="62063")

    assert report.district == "liege"
    assert report.forwarded_to == liege


def test_official_report_without_an_office_in_relais_is_kept_and_left_to_forward(cast):
    report = record(cast, postcode="9000", municipality="44021")  # Gent: no office in the cast

    assert report.pk and report.district == "oost-vlaanderen"
    assert report.forwarded_to is None
    assert not Share.objects.filter(case=cast.case, kind=ShareKind.JUDICIAL_FORWARDING).exists()
    # Once the office joins, the report can be forwarded.
    office = make_agency("parquet-gent", AgencyKind.PROSECUTOR, arrondissement="oost-vlaanderen")
    services.report_forward_again(actor=actor(cast.officer_a), report_id=report.pk)
    report.refresh_from_db()
    assert report.forwarded_to == office


def test_official_report_gives_the_zones_victim_assistance_a_same_day_task(
        cast, mailoutbox):
    cast.sapv_a.email = "sapv@zone-a.example"
    cast.sapv_a.save()
    report = record(cast)
    run_mail_queue()

    task = Task.objects.get(case=cast.case, kind=TaskKind.VICTIM_ASSISTANCE_CONTACT)
    assert task.agency == cast.zone_a
    assert task.for_role == Role.VICTIM_ASSISTANCE_WORKER
    assert task.source_id == str(report.pk)
    assert timezone.localdate(task.due_at) == timezone.localdate(report.created_at)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert cast.case.reference in message.subject
    # No personal data in the e-mail: no names, no facts.
    assert "Alice" not in message.body and "Exemple" not in message.body
    assert "kitchen" not in message.body


def test_information_report_asks_the_eva_representative_to_call_back(cast):
    eva = make_user("eva_a", cast.zone_a, Role.EVA_OFFICER)
    record(cast, kind="information", visible_injuries=False, forms=["verbal"])

    task = Task.objects.get(case=cast.case, kind=TaskKind.EVA_CALLBACK)
    assert task.for_role == Role.EVA_OFFICER
    assert task.agency == eva.agency


def test_information_report_is_not_forwarded(cast):
    report = record(cast, official=False)

    assert report.forwarded_to is None
    assert not Share.objects.filter(case=cast.case, kind=ShareKind.JUDICIAL_FORWARDING).exists()


def test_injuries_make_an_official_report_mandatory(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, kind="information", visible_injuries=True)
    assert "official report mandatory" in " ".join(errors_of(excinfo)["kind"])

    with pytest.raises(ValidationError) as excinfo:
        record(cast, kind="information", visible_injuries=False, signs_of_struggle=True)
    assert "kind" in errors_of(excinfo)
    assert not Report.objects.exists()


def test_facts_in_the_future_are_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, offence_at=timezone.now() + timedelta(hours=2))
    assert "future" in " ".join(errors_of(excinfo)["offence_at"])


def test_record_date_cannot_precede_the_facts(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, offence_at=timezone.now() - timedelta(hours=1),
               recorded_on=timezone.localdate() - timedelta(days=3))
    assert "recorded_on" in errors_of(excinfo)


def test_an_official_report_needs_the_place_of_its_district(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, postcode="", municipality="")
    assert "municipality" in errors_of(excinfo)


def test_the_postcode_gives_the_municipality_when_it_names_one(cast):
    report = record(cast, postcode="1060", municipality="")
    assert report.municipality == "21013"  # Saint-Gilles


def test_a_postcode_shared_by_two_municipalities_asks_which(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, postcode="1050", municipality="")  # Ixelles and Brussels
    assert "municipality" in errors_of(excinfo)


def test_a_postcode_of_another_municipality_is_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, postcode="4000", municipality="21009")
    assert "postcode" in errors_of(excinfo)


def test_the_children_section_cannot_be_left_empty(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, children_present="", children_impact="", no_children_concerned=False)
    assert "children_impact" in errors_of(excinfo)

    report = record(cast, children_present="", children_impact="", no_children_concerned=True)
    assert report.no_children_concerned


def test_no_children_concerned_contradicts_children_recorded(cast):
    with pytest.raises(ValidationError) as excinfo:
        record(cast, no_children_concerned=True)
    assert "no_children_concerned" in errors_of(excinfo)


def test_a_checklist_answer_missing_is_named(cast):
    answers = checklist_answers("no")
    del answers["stalking"]
    with pytest.raises(ValidationError) as excinfo:
        record(cast, checklist=answers)
    assert "item_stalking" in errors_of(excinfo)


def test_all_faults_are_reported_together_and_nothing_is_written(cast):
    events = AuditEvent.objects.count()
    answers = checklist_answers("no")
    del answers["children"]
    with pytest.raises(ValidationError) as excinfo:
        record(cast, kind="information", visible_injuries=True, children_impact="",
               forms=[], checklist=answers, offence_at=timezone.now() + timedelta(days=1))
    assert {"kind", "children_impact", "forms", "item_children", "offence_at"} <= set(
        errors_of(excinfo))
    assert not Report.objects.exists() and not RiskAssessment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_intimate_partner_violence_is_derived_from_the_relationship(cast):
    assert record(cast).is_intimate_partner  # the cast's case is a couple
    household = case_services.case_open(actor=actor(cast.officer_a), situation="household",
                                        municipality="21009")
    person = case_services.person_add_to_case(
        actor=actor(cast.officer_a), case_id=household.pk, role="victim", first_name="Zoé",
        last_name="Fictive").person_id
    report = services.report_record(actor=actor(cast.officer_a), case_id=household.pk,
                                    **report_arguments(victim_id=person))
    assert not report.is_intimate_partner


def test_the_victim_must_be_the_cases_victim(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.report_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                               **report_arguments(victim_id=cast.perpetrator_id))
    assert "victim_id" in errors_of(excinfo)


def test_the_counter_checklist_is_scored_with_the_record(cast):
    report = record(cast, checklist=checklist_answers("no", children="yes", stalking="yes"))

    assessment = RiskAssessment.objects.get(report=report)
    assert assessment.instrument_code == "counter_checklist"
    assert assessment.answers["stalking"] == "yes"
    assert assessment.score == 2


def test_safe_contact_instructions_are_captured_on_the_victim(cast):
    record(cast, safe_contact={"channel": "sms", "hours": "after 18:00",
                               "can_speak_freely": "no", "never": ["visit_home"], "notes": ""})

    instructions = SafeContactInstructions.objects.get(person_id=cast.victim_id)
    assert instructions.channel == "sms"
    assert instructions.never == ["visit_home"]


def test_recording_is_audited_with_the_judicial_scope(cast):
    report = record(cast)

    event = AuditEvent.objects.get(object_type="intake.report", object_id=str(report.pk),
                                   action="create")
    assert event.case_id == cast.case.pk
    assert event.scopes == "judicial"
    assert event.user_id == cast.officer_a.pk


def test_the_timeline_shows_the_record_to_judicial_readers_only(cast):
    record(cast)
    entry = cast.case.timeline.get(kind="official_report")
    assert entry.scope == "judicial"
    assert "Physical" in entry.summary_text


def test_only_the_owning_police_zone_records(cast):
    with pytest.raises(Http404):
        record(cast, user=cast.officer_b)
    with pytest.raises(Http404):
        record(cast, user=cast.legal_advisor)


def test_a_share_holder_of_another_kind_cannot_record(cast):
    shelter_case = case_services.case_open(actor=actor(cast.shelter_worker),
                                           situation="couple", municipality="21009")
    person = case_services.person_add_to_case(
        actor=actor(cast.shelter_worker), case_id=shelter_case.pk, role="victim",
        first_name="Yara", last_name="Fictive").person_id
    with pytest.raises(Http404):
        services.report_record(actor=actor(cast.shelter_worker), case_id=shelter_case.pk,
                               **report_arguments(victim_id=person))
