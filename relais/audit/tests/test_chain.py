"""The audit trail: every write in its transaction, append-only, tampering detected."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from relais.audit.models import Action, AuditEvent, ChainHead
from relais.audit.services import audit_record, audit_verify
from relais.cases import services as case_services
from relais.conftest import actor


def _without_append_only_guard(sql: str, params: list) -> None:
    """What someone with direct database rights could do: lift the guard and edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute(sql, params)


def test_chain_of_a_working_day_verifies(cast):
    report = audit_verify()
    assert report.ok
    assert report.checked == AuditEvent.objects.count() >= 10
    call_command("audit_verify")  # exits 0


def test_event_is_written_in_the_same_transaction_as_the_write(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        case_services.case_open(actor=actor(cast.officer_a), situation="couple",
                                municipality="21009")
        raise RuntimeError("the write fails after the service")
    assert AuditEvent.objects.count() == before
    assert audit_verify().ok


def test_update_of_an_event_is_refused_by_the_database(cast):
    event = AuditEvent.objects.order_by("id")[3]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET basis = %s WHERE id = %s", ["edited", event.id])
    assert AuditEvent.objects.get(id=event.id).basis != "edited"


def test_edited_event_is_named_as_the_first_broken_link(cast):
    target = AuditEvent.objects.order_by("id")[5]
    _without_append_only_guard("UPDATE audit_auditevent SET username = %s WHERE id = %s",
                               ["someone_else", target.id])
    report = audit_verify()
    assert not report.ok
    assert report.broken_at == target.id
    with pytest.raises(CommandError, match=f"BROKEN at event {target.id}"):
        call_command("audit_verify")


def test_deleted_event_in_the_middle_is_detected(cast):
    target = AuditEvent.objects.order_by("id")[4]
    _without_append_only_guard("DELETE FROM audit_auditevent WHERE id = %s", [target.id])
    report = audit_verify()
    assert report.broken_at == target.id
    assert "missing" in report.reason


def test_deleted_events_at_the_end_are_detected_by_the_chain_head(cast):
    last = ChainHead.objects.get().last_event_id
    _without_append_only_guard("DELETE FROM audit_auditevent WHERE id = %s", [last])
    report = audit_verify()
    assert report.broken_at == last


def test_event_records_who_what_where_and_why(cast):
    event = audit_record(actor=actor(cast.officer_a), action=Action.READ, target=cast.case,
                         case_id=cast.case.pk, scopes=["contact", "judicial"],
                         basis="owning agency")
    stored = AuditEvent.objects.get(id=event.id)
    assert (stored.user_id, stored.username, stored.agency_id) == (
        cast.officer_a.pk, "officer_a", cast.zone_a.pk)
    assert stored.roles == "intervention_officer"
    assert (stored.object_type, stored.object_id) == ("cases.case", str(cast.case.pk))
    assert stored.scopes == "contact,judicial"
    assert stored.ip == "127.0.0.1"
    assert stored.prev_hash == AuditEvent.objects.get(id=event.id - 1).hash
