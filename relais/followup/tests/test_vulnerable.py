"""The most vulnerable households: built from data, ranked, explained, and feeding the crisis
re-contact (preview and undo as before)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor
from relais.followup import crisis, services
from relais.followup.models import CrisisBatch, Priority, Task, TaskKind, TaskStatus
from relais.followup.tests.factories import another_case, record_report
from relais.followup.vulnerable import vulnerable_households
from relais.intake.examples import grid_answers
from relais.measures.tests.factories import order_ban
from relais.risk import services as risk_services


def very_high_risk(cast, case, victim_id):
    risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=case.pk, person_id=victim_id,
        instrument_code="police_grid",
        answers=grid_answers("police_grid", threats_to_kill="yes", strangulation="yes"))


@pytest.fixture
def zone(cast):
    """Three households of zone A and one of zone B.

    - the cast case: a child, a residence ban, an interpreter need, never reached;
    - Dana's: very high risk, never reached;
    - Eva's: reached today by the victim-assistance service;
    - zone B's: very high risk, children: not zone A's to see.
    """
    record_report(cast)  # forwards the cast case to the prosecutor's office
    order_ban(cast)
    dana_case, dana = another_case(cast, "Dana")
    very_high_risk(cast, dana_case, dana)
    eva_case, eva = another_case(cast, "Eva")
    report = record_report(cast, case=eva_case, victim_id=eva)
    contact = Task.objects.get(source_id=str(report.pk),
                               kind=TaskKind.VICTIM_ASSISTANCE_CONTACT)
    services.task_record_contact(actor=actor(cast.sapv_a), task_id=contact.pk,
                                 could_speak_freely="yes", outcome="done")
    officer_b = actor(cast.officer_b)
    case_b = case_services.case_open(actor=officer_b, situation="couple", municipality="62063")
    case_services.person_add_to_case(actor=officer_b, case_id=case_b.pk,
                                     role=ParticipantRole.VICTIM, first_name="Olga",
                                     last_name="Ailleurs")
    case_services.person_add_to_case(actor=officer_b, case_id=case_b.pk,
                                     role=ParticipantRole.CHILD, first_name="Oscar",
                                     last_name="Ailleurs")
    Task.objects.filter(kind=TaskKind.REVISIT).update(status=TaskStatus.CANCELLED,
                                                      cancel_reason="test")
    return {"cast": cast.case, "dana": dana_case, "eva": eva_case, "zone_b": case_b}


def codes(row) -> list[str]:
    return [code for code, _params in row.reason]


def test_households_are_ranked_from_the_data_with_their_reasons(cast, zone):
    result = vulnerable_households(actor=actor(cast.reference_a), no_contact_days=14)

    assert [row.case.pk for row in result.rows] == [zone["dana"].pk, zone["cast"].pk,
                                                    zone["eva"].pk]
    dana, alice, eva = result.rows
    assert dana.priority == Priority.URGENT
    assert codes(dana) == ["vh_risk", "vh_never_contacted", "vh_no_support"]
    assert dana.score == 50 + 15 + 10
    # Her report's screening raised the risk; the children, the ban and the isolation add up.
    assert sorted(codes(alice)) == sorted(["vh_children", "vh_never_contacted", "vh_risk",
                                           "vh_measure", "vh_language_need", "vh_no_support"])
    assert alice.score == 15 + 15 + 10 + 10 + 10 + 10
    assert ["vh_measure", {"measure": "residence_ban"}] in alice.reason
    assert ["vh_children", {"count": 1}] in alice.reason
    assert codes(eva) == ["vh_risk", "vh_no_support"]  # reached today: no "no contact"
    texts = [text for text, _points in alice.explained]
    assert "Children on the case: 1." in texts
    assert "Measure in force: a residence ban." in texts
    assert "Isolation: she needs an interpreter." in texts
    assert result.looked_at == 3  # zone B's case is not among those she may see
    assert AuditEvent.objects.filter(user_id=cast.reference_a.pk, action="read",
                                     basis__startswith="vulnerable households (3 of 3").exists()


def test_no_contact_counts_after_the_days_chosen(cast, zone):
    rows = vulnerable_households(actor=actor(cast.reference_a), no_contact_days=1).rows
    eva = next(row for row in rows if row.case.pk == zone["eva"].pk)
    assert "vh_no_contact" not in codes(eva)  # reached today, within one day too


def test_only_the_coordinator_lists_them_and_settings_are_checked(cast, zone):
    for someone in (cast.officer_a, cast.sapv_a, cast.admin_a, cast.officer_b,
                    cast.legal_advisor):
        with pytest.raises(Http404):
            vulnerable_households(actor=actor(someone))
    with pytest.raises(ValidationError):
        vulnerable_households(actor=actor(cast.reference_a), no_contact_days=0)
    with pytest.raises(ValidationError):
        vulnerable_households(actor=actor(cast.reference_a), limit=501)


def test_the_list_takes_a_constant_number_of_queries(cast, zone):
    coordinator = actor(cast.reference_a)
    with CaptureQueriesContext(connection) as few:
        vulnerable_households(actor=coordinator)
    for name in ("Fanny", "Gaëlle", "Hilde"):
        case, victim = another_case(cast, name)
        very_high_risk(cast, case, victim)
        case_services.person_add_to_case(actor=actor(cast.officer_a), case_id=case.pk,
                                         role=ParticipantRole.CHILD, first_name=f"Kid{name}",
                                         last_name="Exemple")
    with CaptureQueriesContext(connection) as many:
        result = vulnerable_households(actor=coordinator)
    assert len(result.rows) == 6
    assert len(many) == len(few) <= 16


def test_the_crisis_re_contact_takes_its_households_from_the_list_and_undoes(cast, zone):
    coordinator = actor(cast.reference_a)
    plan = crisis.crisis_preview(actor=coordinator, source="vulnerable", no_contact_days=14,
                                 limit=2)
    assert [row.case.pk for row in plan.rows] == [zone["dana"].pk, zone["cast"].pk]
    assert plan.rows[0].household.score == 75
    assert not Task.objects.filter(kind=TaskKind.CRISIS_RECONTACT).exists()

    batch = crisis.crisis_create(actor=coordinator, source="vulnerable", no_contact_days=14,
                                 limit=2)
    assert (batch.source, batch.months, batch.no_contact_days) == ("vulnerable", None, 14)
    tasks = list(Task.objects.filter(batch=batch).order_by("due_at", "pk"))
    assert len(tasks) == 2
    first = next(task for task in tasks if task.case_id == zone["dana"].pk)
    assert first.reason[0] == ["crisis_vulnerable", {"rank": 1}]
    assert "rank 1" in first.why and "Risk level in force: Very high risk." in first.why
    assert AuditEvent.objects.filter(object_type="followup.crisisbatch", action="create",
                                     basis__endswith="vulnerable)").exists()
    # Those planned are left out of the next preview; the third household remains.
    assert [row.case.pk for row in crisis.crisis_preview(
        actor=coordinator, source="vulnerable").rows] == [zone["eva"].pk]

    assert crisis.crisis_undo(actor=coordinator, batch_id=batch.pk) == 2
    assert set(Task.objects.filter(batch=batch).values_list("status", flat=True)) == {
        TaskStatus.CANCELLED}
    assert CrisisBatch.objects.get(pk=batch.pk).undone_at is not None


def test_an_unknown_source_is_refused(cast, zone):
    with pytest.raises(Http404):
        crisis.crisis_preview(actor=actor(cast.reference_a), source="everyone")


def test_a_shared_case_is_scored_only_on_what_the_share_opens(cast):
    """Zone B shares a case with zone A on the victim's consent, contact details only: zone
    A's list counts its children and risk, never her health data (the interpreter need)."""
    from relais.access.services import referral_share_grant

    officer_b = actor(cast.officer_b)
    case_b = case_services.case_open(actor=officer_b, situation="couple", municipality="62063")
    olga = case_services.person_add_to_case(actor=officer_b, case_id=case_b.pk,
                                            role=ParticipantRole.VICTIM, first_name="Olga",
                                            last_name="Ailleurs").person_id
    case_services.person_add_to_case(actor=officer_b, case_id=case_b.pk,
                                     role=ParticipantRole.CHILD, first_name="Oscar",
                                     last_name="Ailleurs")
    case_services.need_add(actor=officer_b, person_id=olga, kind="interpreter",
                           detail="Fictitious")
    reference = actor(cast.reference_a)
    assert case_b.pk not in [row.case.pk for row in vulnerable_households(actor=reference).rows]

    referral_share_grant(actor=officer_b, case_id=case_b.pk, person_id=olga,
                         recipient_agency_id=cast.zone_a.pk, scopes=["contact"],
                         method="oral_in_person")
    row = next(row for row in vulnerable_households(actor=reference).rows
               if row.case.pk == case_b.pk)
    assert "vh_children" in codes(row)
    assert "vh_language_need" not in codes(row)
