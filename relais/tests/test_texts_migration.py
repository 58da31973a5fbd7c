"""The data migrations ``<app>/00xx_texts_as_codes``: texts Relais wrote before codes, in the
writer's language, become codes read in the reader's; what no template gives stays as written.
The migrations' functions are called on rows written the old way."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone, translation

from relais.audit.models import AuditEvent
from relais.cases.models import TimelineEntry
from relais.core.texts import choice, text
from relais.family.models import ProceedingKind
from relais.followup.models import Task, TaskStatus
from relais.intake.models import ViolenceForm
from relais.justice.models import Decision, EntryEvent, Measure
from relais.justice.tests.factories import entry_of, family_section, record_report
from relais.measures.models import BreachKind

pytestmark = pytest.mark.django_db

MIGRATIONS = [("cases", None), ("measures", "0002"), ("alarms", "0002"), ("family", "0002"),
              ("programmes", "0002"), ("intake", "0003"), ("risk", "0003"),
              ("justice", "0003"), ("followup", "0010")]


def run_migrations() -> None:
    for app, number in MIGRATIONS:
        if number:
            module = importlib.import_module(f"relais.{app}.migrations.{number}_texts_as_codes")
            module.forwards(apps, None)


def fr(value) -> str:
    with translation.override("fr"):
        return str(value)


def en(value) -> str:
    with translation.override("en"):
        return value() if callable(value) else str(value)


def legacy(cast, kind: str, summary: str) -> TimelineEntry:
    return TimelineEntry.objects.create(case=cast.case, kind=kind, agency=cast.zone_a,
                                        occurred_at=timezone.now(), summary=summary)


def test_timeline_summaries_in_any_language_become_codes(cast):
    rows = {
        "ban": legacy(cast, "ban_ordered",
                      "Interdiction de résidence du 01/03/2026 18:00 au 11/03/2026 18:00"),
        "breach": legacy(cast, "ban_breached", fr(BreachKind.choices[0][1])),
        "alarm": legacy(cast, "alarm_decided", "Stalkingalarm toegekend"),
        "programme": legacy(cast, "programme_status", "Praxis Liège: En cours (groupe)"),
        "family": legacy(cast, "family_decision", fr(ProceedingKind.choices[0][1])),
        "report": legacy(cast, "official_report",
                         f"{fr(ViolenceForm.PHYSICAL.label)}, {fr(ViolenceForm.SEXUAL.label)}"),
        "decision": legacy(cast, "prosecution_decision",
                           f"{fr(Decision.HEARING.label)} — {fr(Measure.NO_CONTACT.label)}, "
                           "Remettre les clés"),
        "merged": legacy(cast, "cases_merged", "REL-1 regrouped into REL-2: same couple"),
        "free": legacy(cast, "ban_ordered", "Quelque chose qu'une personne a écrit"),
        "note": legacy(cast, "note_added", "En cours (groupe)"),  # a person's note: as typed
    }
    run_migrations()
    for row in rows.values():
        row.refresh_from_db()
    assert rows["ban"].summary == "" and rows["ban"].summary_codes == text(
        "measures.ban_ordered", start="01/03/2026 18:00", end="11/03/2026 18:00")
    assert en(lambda: rows["ban"].summary_text) == \
        "Residence ban from 01/03/2026 18:00 until 11/03/2026 18:00"
    assert rows["breach"].summary_codes == choice("measures.breach_kind",
                                                  BreachKind.choices[0][0])
    assert en(lambda: rows["alarm"].summary_text) == "Harassment alarm granted"
    assert en(lambda: rows["programme"].summary_text) == "Praxis Liège: In progress (group)"
    assert rows["family"].summary_codes == choice("family.proceeding_kind",
                                                  ProceedingKind.choices[0][0])
    assert rows["report"].summary_codes == choice("intake.violence_form",
                                                  ["physical", "sexual"])
    assert en(lambda: rows["decision"].summary_text) == \
        "Hearing — No contact, Remettre les clés"
    assert en(lambda: rows["merged"].summary_text) == "REL-1 regrouped into REL-2: same couple"
    for kept in ("free", "note"):
        assert rows[kept].summary_codes == [] and rows[kept].summary != ""
        assert en(lambda kept=kept: rows[kept].summary_text) == rows[kept].summary


def test_cancel_reasons_event_texts_and_older_reasons_become_codes(cast):
    family_section(cast)
    report = record_report(cast)
    entry = entry_of(report)
    tasks = list(Task.objects.filter(case=cast.case).order_by("pk"))
    assert len(tasks) >= 3
    now = timezone.now()
    Task.objects.filter(pk=tasks[0].pk).update(status=TaskStatus.CANCELLED, completed_at=now,
                                               cancel_reason="Le dossier a été clôturé.")
    Task.objects.filter(pk=tasks[1].pk).update(status=TaskStatus.CANCELLED, completed_at=now,
                                               cancel_reason="Elle a déménagé à Namur.")
    Task.objects.filter(pk=tasks[2].pk).update(
        reason=[], note="Nu een proces-verbaal: onverwijld opvolgen.")
    corrected = EntryEvent.objects.create(
        entry=entry, at=now, kind="decided",
        detail=f"Corrigé : {fr(Decision.HEARING.label)} — {fr(Measure.NO_CONTACT.label)}")
    nobody = EntryEvent.objects.create(entry=entry, at=now, kind="reader", detail="personne")
    named = EntryEvent.objects.create(entry=entry, at=now, kind="reader", detail="Ann Fictief")
    audit_before = list(AuditEvent.objects.order_by("pk").values_list("pk", "basis"))

    run_migrations()

    closed, moved, older = (Task.objects.get(pk=t.pk) for t in tasks[:3])
    assert closed.cancel_codes == text("followup.case_closed") and closed.cancel_reason == ""
    assert en(lambda: closed.cancel_text) == "The case was closed."
    assert moved.cancel_codes == [] and moved.cancel_text == "Elle a déménagé à Namur."
    for event in (corrected, nobody, named):
        event.refresh_from_db()
    assert en(lambda: corrected.detail_text) == "Corrected: Hearing — No contact"
    assert en(lambda: nobody.detail_text) == "nobody"
    assert named.detail_codes == [] and named.detail_text == "Ann Fictief"
    # The Dutch "why" of a task made before codes reads in English.
    assert older.note == "" and older.reason == text("now_official")
    assert en(lambda: older.why) == "Now an official report: follow up without delay."
    # The audit trail is left as it was.
    assert list(AuditEvent.objects.order_by("pk").values_list("pk", "basis")) == audit_before


def test_undoing_the_migration_writes_the_texts_back(cast):
    row = legacy(cast, "alarm_decided", "Stalkingalarm toegekend")
    run_migrations()
    module = importlib.import_module("relais.alarms.migrations.0002_texts_as_codes")
    module.backwards(apps, None)
    row.refresh_from_db()
    # Written back in the default language (French).
    assert row.summary_codes == [] and row.summary == "Alarme anti-harcèlement accordée"
