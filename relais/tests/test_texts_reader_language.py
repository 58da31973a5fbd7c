"""Texts Relais writes are shown in the reader's language, not the writer's (issue 19 §3): each
kind is written by a French-speaking user and read by a Dutch- and an English-speaking one.
The audit trail is not translated: its events stay as they were."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import TimelineEntry
from relais.conftest import actor
from relais.followup.models import Outcome, Task, TaskKind, TaskStatus
from relais.followup.services import task_record_contact
from relais.justice import services as justice_services
from relais.justice.models import Decision, EntryEvent, Measure
from relais.justice.tests.factories import entry_of, family_section, record_report
from relais.measures import services as measure_services
from relais.measures.tests.factories import ban_arguments

pytestmark = pytest.mark.django_db


def read(language: str, value) -> str:
    with translation.override(language):
        return value()


def test_a_decision_written_in_french_reads_in_dutch_and_english(cast):
    family_section(cast)
    entry = entry_of(record_report(cast))
    with translation.override("fr"):
        for measures in ([Measure.NO_CONTACT], [Measure.NO_CONTACT, Measure.OTHER]):
            justice_services.entry_decide(
                actor=actor(cast.magistrate), entry_id=entry.pk, decision=Decision.HEARING,
                measures=measures, other_measure="Remettre les clés")
    first, corrected = TimelineEntry.objects.filter(
        case=cast.case, kind="prosecution_decision").order_by("pk")
    assert read("en", lambda: first.summary_text) == "Hearing — No contact"
    with translation.override("nl"):
        assert first.summary_text == f"{Decision.HEARING.label} — {Measure.NO_CONTACT.label}"
        assert first.summary_text != read("fr", lambda: first.summary_text)
    assert read("en", lambda: corrected.summary_text) == \
        "Hearing — No contact, Remettre les clés"  # the office's own words stay as typed
    event = EntryEvent.objects.filter(entry=entry, kind="decided").last()
    assert read("en", lambda: event.detail_text) == \
        "Corrected: Hearing — No contact, Remettre les clés"
    assert read("nl", lambda: event.detail_text).startswith("Gecorrigeerd: ")
    # The audit trail: one English event per write, whoever wrote it in which language.
    bases = list(AuditEvent.objects.filter(object_type="justice.entry", action="update")
                 .values_list("basis", flat=True))
    assert len(bases) == 2 and all(basis.isascii() for basis in bases)


def test_a_ban_on_the_timeline_and_its_tasks_cancel_reason_follow_the_reader(cast):
    record_report(cast)
    arguments = ban_arguments(cast)
    with translation.override("fr"):
        ban = measure_services.ban_order(actor=actor(cast.legal_advisor), **arguments).ban
        measure_services.ban_lift(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                                  reason="Fictif : elle a déménagé.")
    ordered = TimelineEntry.objects.get(case=cast.case, kind="ban_ordered")
    assert read("en", lambda: ordered.summary_text).startswith("Residence ban from ")
    assert read("nl", lambda: ordered.summary_text).startswith("Huisverbod van ")
    lifted = TimelineEntry.objects.get(case=cast.case, kind="ban_lifted")
    assert read("en", lambda: lifted.summary_text) == "Residence ban lifted early"
    cancelled = Task.objects.filter(source_type="measures.residenceban",
                                    status=TaskStatus.CANCELLED).first()
    assert cancelled is not None and cancelled.cancel_reason == ""
    assert read("en", lambda: cancelled.cancel_text) == "The residence ban was lifted."
    assert read("nl", lambda: cancelled.cancel_text) != "The residence ban was lifted."
    assert AuditEvent.objects.filter(object_type="measures.residenceban").count() >= 2


def test_a_contact_and_a_closed_cases_tasks_follow_the_reader(cast):
    report = record_report(cast)
    task = Task.objects.get(source_type="intake.report", source_id=str(report.pk),
                            kind=TaskKind.DAY2_CONTACT)
    with translation.override("fr"):
        task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                            could_speak_freely="not_reached", outcome="unreachable")
        case_services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                 reason="declined", acknowledged=True)
    contact = TimelineEntry.objects.get(case=cast.case, kind="followup_contact")
    assert read("en", lambda: contact.summary_text) == read(
        "en", lambda: f"{TaskKind.DAY2_CONTACT.label}: Unreachable (retry scheduled)")
    assert read("nl", lambda: contact.summary_text) == read(
        "nl", lambda: f"{TaskKind.DAY2_CONTACT.label}: {Outcome.UNREACHABLE.label}")
    assert "(retry scheduled)" not in read("nl", lambda: contact.summary_text)
    cancelled = Task.objects.filter(case=cast.case, status=TaskStatus.CANCELLED)
    assert {read("en", lambda t=t: t.cancel_text) for t in cancelled} == {"The case was closed."}
    assert {read("nl", lambda t=t: t.cancel_text) for t in cancelled} == \
        {"Het dossier werd afgesloten."}
    assert all(t.cancel_reason == "" for t in cancelled)  # Relais's words are codes only
    # A cancelled task still needs a reason: her words or Relais's codes.
    with pytest.raises(IntegrityError), transaction.atomic():
        cancelled.update(cancel_codes=[])
