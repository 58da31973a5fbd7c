"""Addenda: the correction keeps who, when, why and each field before and after, is audited in
the same transaction, shows in the timeline, and a new risk level re-runs the follow-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.amendments import services
from relais.amendments.models import Addendum
from relais.amendments.selectors import corrections_of, timeline_addenda
from relais.amendments.tests.factories import add_pv_number, police_grid
from relais.audit.models import Action, AuditEvent
from relais.cases.models import TimelineEntry
from relais.conftest import actor
from relais.followup.models import Priority, Task, TaskStatus
from relais.followup.tests.factories import record_report
from relais.notifications.models import Notice


def events(target, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type=target._meta.label_lower,
                                          object_id=str(target.pk)))


def test_the_pv_number_is_added_later_by_an_addendum(cast):
    report = record_report(cast, pv_number="")
    addendum = add_pv_number(cast, report)

    report.refresh_from_db()
    assert report.pv_number == "BR.21.L3.012345/2026"
    assert addendum.author == cast.officer_a and addendum.agency == cast.zone_a
    assert addendum.reason == "The prosecutor's office gave the PV number."
    assert addendum.changes == [{"field": "pv_number", "before": "",
                                 "after": "BR.21.L3.012345/2026"}]
    assert events(addendum, Action.CREATE) and events(report, Action.UPDATE)
    entry = TimelineEntry.objects.get(case=cast.case, kind="report_amended")
    assert entry.source_id == str(addendum.pk) and entry.summary == ""  # parameters, no text
    line = timeline_addenda([entry.source_id])[entry.source_id].lines[0]
    assert (line.before, line.after) == ("—", "BR.21.L3.012345/2026")


def test_a_correction_keeps_each_field_before_and_after(cast):
    report = record_report(cast)
    first_words = report.facts_words
    addendum = services.report_amend(
        actor=actor(cast.officer_a), report_id=report.pk, reason="Misheard at the desk.",
        changes={"facts_words": "He said: 'You will never leave.'", "source": "walk_in",
                 "seen_alone": "no"})

    # The unchanged field (source) is not part of the addendum.
    assert [c["field"] for c in addendum.changes] == ["facts_words", "seen_alone"]
    assert addendum.changes[0]["before"] == first_words
    with translation.override("en"):
        corrections = corrections_of(report)
    assert "facts_words" in corrections and "source" not in corrections
    assert corrections.addenda[0].lines[1].before == "Yes"


def test_a_correction_needs_a_reason_and_a_change_and_checks_the_record(cast):
    report = record_report(cast)
    with pytest.raises(ValidationError) as error:
        services.report_amend(actor=actor(cast.officer_a), report_id=report.pk, reason=" ",
                              changes={"source": report.source})
    assert {"reason", "__all__"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.report_amend(actor=actor(cast.officer_a), report_id=report.pk,
                              reason="Typo", changes={"facts_context": "", "facts_words": "",
                                                      "facts_actions": ""})
    assert "facts_actions" in error.value.message_dict
    assert not Addendum.objects.exists()
    report.refresh_from_db()
    assert report.facts_context


def test_an_information_report_gets_no_pv_number(cast):
    report = record_report(cast, official=False)
    with pytest.raises(ValidationError) as error:
        add_pv_number(cast, report)
    assert "pv_number" in error.value.message_dict


def test_only_the_recording_zone_amends_a_report(cast):
    report = record_report(cast)
    for user in (cast.officer_b, cast.legal_advisor, cast.analyst_a, cast.shelter_worker):
        with pytest.raises(Http404):
            services.report_amend(actor=actor(user), report_id=report.pk, reason="x",
                                  changes={"pv_number": "X"})
    with pytest.raises(Http404):
        services.report_amend(actor=actor(cast.officer_a), report_id=999999, reason="x",
                              changes={})


def test_a_risk_correction_rescores_and_reruns_the_follow_up_rules(cast):
    record_report(cast)
    assessment = police_grid(cast)
    open_tasks = Task.objects.filter(case=cast.case, status=TaskStatus.OPEN)
    assert open_tasks.exists()
    assert set(open_tasks.values_list("priority", flat=True)) == {Priority.NORMAL}

    addendum = services.assessment_amend(
        actor=actor(cast.officer_a), assessment_id=assessment.pk,
        reason="She told the SAPV he threatened to kill her.",
        answers={"threats_to_kill": "yes"})

    assessment.refresh_from_db()
    assert assessment.computed_level == assessment.final_level == "high"
    assert assessment.critical_signals == ["threats_to_kill"]
    fields = [c["field"] for c in addendum.changes]
    assert fields == ["answer:threats_to_kill", "computed_level", "final_level"]
    assert addendum.changes[1] == {"field": "computed_level", "before": "low", "after": "high"}
    assert set(open_tasks.values_list("priority", flat=True)) == {Priority.HIGH}
    # The follow-up audited each task it moved, naming the assessment.
    assert AuditEvent.objects.filter(
        object_type="followup.task", basis__endswith=f"risk assessment {assessment.pk}").exists()
    assert events(addendum, Action.CREATE) and events(assessment, Action.UPDATE)
    assert TimelineEntry.objects.filter(kind="assessment_amended",
                                        source_id=str(addendum.pk)).exists()


def test_a_lowered_level_by_addendum_waits_again_for_a_second_person(cast):
    assessment = police_grid(cast, threats_to_kill="yes")
    services.assessment_amend(actor=actor(cast.officer_a), assessment_id=assessment.pk,
                              reason="Level set after the hearing.", answers={},
                              final_level="low", justification="Threat retracted in detail.")
    assessment.refresh_from_db()
    assert assessment.awaiting_confirmation and assessment.level_in_force == "high"
    assert Notice.objects.filter(case=cast.case, kind="risk_lowered").exists()


def test_a_risk_correction_needs_a_reason_a_change_and_the_assessing_agency(cast):
    assessment = police_grid(cast)
    with pytest.raises(ValidationError) as error:
        services.assessment_amend(actor=actor(cast.officer_a), assessment_id=assessment.pk,
                                  reason="", answers={"weapons": "maybe"})
    assert {"reason", "item_weapons"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.assessment_amend(actor=actor(cast.officer_a), assessment_id=assessment.pk,
                                  reason="No change", answers={})
    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker):
        with pytest.raises(Http404):
            services.assessment_amend(actor=actor(user), assessment_id=assessment.pk,
                                      reason="x", answers={"weapons": "yes"})
    assert not Addendum.objects.exists()
