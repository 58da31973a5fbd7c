"""The audit trail: every write in its transaction, append-only, sealed by one sealer, signed
checkpoints outside the database, and every kind of tampering named by audit_verify."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from relais.audit.models import Action, AuditCheckpoint, AuditEvent, AuditSeal, AuditUnsealed
from relais.audit.sealing import audit_seal, audit_seal_all, read_checkpoints
from relais.audit.services import audit_record
from relais.audit.verify import audit_verify
from relais.cases import services as case_services
from relais.conftest import actor

TABLES = ("audit_auditevent", "audit_auditseal", "audit_auditcheckpoint")


def _as_database_holder(sql: str, params: list) -> None:
    """What someone holding the database can do: lift the append-only guards and rewrite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # noqa: S608
            cursor.execute(sql, params)
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")  # noqa: S608
        else:
            for trigger in ("audit_event_no_update", "audit_seal_no_update",
                            "audit_checkpoint_no_update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(sql, params)


def _record_reads(cast, count: int) -> list[AuditEvent]:
    return [audit_record(actor=actor(cast.officer_a), action=Action.READ, target=cast.case,
                         case_id=cast.case.pk, basis=f"read {n}") for n in range(count)]


@pytest.fixture
def sealed(cast):
    """A working day's events, sealed in three rounds (three checkpoints on file)."""
    audit_seal_all()
    _record_reads(cast, 3)
    audit_seal()
    _record_reads(cast, 3)
    audit_seal()
    assert not AuditUnsealed.objects.exists()
    return cast


def test_a_working_day_seals_and_verifies(sealed):
    report = audit_verify()
    assert report.ok, report.reason
    assert report.checked == AuditEvent.objects.count() == AuditSeal.objects.count() >= 16
    assert report.checkpoints == AuditCheckpoint.objects.count() == 3
    assert report.unsealed == 0
    call_command("audit_verify")  # exits 0


def test_writing_an_event_locks_nothing_and_queues_it(cast):
    with transaction.atomic():
        event = _record_reads(cast, 1)[0]
        assert AuditUnsealed.objects.filter(event_id=event.pk).exists()
    assert not AuditSeal.objects.filter(event_id=event.pk).exists()
    audit_seal()
    seal = AuditSeal.objects.get(event_id=event.pk)
    assert seal.seq == AuditSeal.objects.count()
    assert not AuditUnsealed.objects.exists()


def test_event_is_written_in_the_same_transaction_as_the_write(cast):
    before = AuditEvent.objects.count(), AuditUnsealed.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        case_services.case_open(actor=actor(cast.officer_a), situation="couple",
                                municipality="21009")
        raise RuntimeError("the write fails after the service")
    assert (AuditEvent.objects.count(), AuditUnsealed.objects.count()) == before
    assert audit_verify().ok


def test_unsealed_events_are_reported_with_their_age(cast):
    _record_reads(cast, 2)
    report = audit_verify()
    assert report.ok
    assert report.unsealed == AuditUnsealed.objects.count() >= 2
    assert report.oldest_unsealed is not None
    with pytest.raises(CommandError, match="waited"):
        call_command("audit_verify", max_unsealed_seconds=-1)


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditseal",
                                   "audit_auditcheckpoint"])
def test_update_is_refused_by_the_database(sealed, table):
    column = {"audit_auditevent": "basis", "audit_auditseal": "hash",
              "audit_auditcheckpoint": "head"}[table]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s", ["edited"])  # noqa: S608


def test_an_edited_event_is_named(sealed):
    target = AuditEvent.objects.order_by("id")[5]
    _as_database_holder("UPDATE audit_auditevent SET username = %s WHERE id = %s",
                        ["someone_else", target.id])
    report = audit_verify()
    assert (report.ok, report.broken_at) == (False, target.id)
    assert "edited" in report.reason
    with pytest.raises(CommandError, match=f"BROKEN at event {target.id}"):
        call_command("audit_verify")


def test_an_edited_event_with_a_recomputed_unkeyed_hash_is_still_named(sealed):
    target = AuditEvent.objects.order_by("id")[2]
    _as_database_holder("UPDATE audit_auditevent SET basis = %s, digest = %s WHERE id = %s",
                        ["nothing to see", "0" * 64, target.id])
    assert audit_verify().broken_at == target.id


def test_an_event_deleted_in_the_middle_is_named(sealed):
    target = AuditEvent.objects.order_by("id")[4]
    _as_database_holder("DELETE FROM audit_auditevent WHERE id = %s", [target.id])
    report = audit_verify()
    assert report.broken_at == target.id
    assert "deleted" in report.reason


def test_an_event_deleted_with_its_seal_breaks_the_chain_there(sealed):
    seal = AuditSeal.objects.order_by("seq")[6]
    _as_database_holder("DELETE FROM audit_auditevent WHERE id = %s", [seal.event_id])
    _as_database_holder("DELETE FROM audit_auditseal WHERE seq = %s", [seal.seq])
    report = audit_verify()
    assert not report.ok
    assert report.position == seal.seq


def test_reordered_events_are_named(sealed):
    first, second = AuditSeal.objects.order_by("seq")[3:5]
    # Swap the two seals' events: every row still carries a valid digest of its own content.
    _as_database_holder("UPDATE audit_auditseal SET event_id = -1 WHERE seq = %s", [first.seq])
    _as_database_holder("UPDATE audit_auditseal SET event_id = %s WHERE seq = %s",
                        [first.event_id, second.seq])
    _as_database_holder("UPDATE audit_auditseal SET event_id = %s WHERE seq = %s",
                        [second.event_id, first.seq])
    report = audit_verify()
    assert (report.ok, report.position) == (False, first.seq)


def test_the_cut_tail_is_detected_even_with_every_row_rewritten(sealed):
    """Delete the newest events, their seals, their queue rows and the database's newest
    checkpoints: what is left is a perfectly consistent shorter chain, whose head even matches
    an older signed checkpoint. Only the checkpoint file outside the database tells."""
    keep = AuditCheckpoint.objects.order_by("id")[1]
    cut = list(AuditSeal.objects.filter(seq__gt=keep.size).values_list("event_id", flat=True))
    assert cut
    for event_id in cut:
        _as_database_holder("DELETE FROM audit_auditevent WHERE id = %s", [event_id])
    _as_database_holder("DELETE FROM audit_auditseal WHERE seq > %s", [keep.size])
    _as_database_holder("DELETE FROM audit_auditcheckpoint WHERE id > %s", [keep.id])
    report = audit_verify()
    assert not report.ok
    assert report.position == keep.size + 1
    assert "newest events were removed" in report.reason


def test_a_checkpoint_file_replaced_by_an_older_one_is_detected(sealed, tmp_path):
    path = settings.AUDIT_CHECKPOINT_FILE
    lines = path.read_text().splitlines(keepends=True)
    older = tmp_path / "older.jsonl"
    older.write_text(lines[0])  # a backup taken two sealing rounds ago
    shutil.copy(older, path)
    report = audit_verify()
    assert not report.ok
    assert "replaced by an older copy" in report.reason
    # The sealer does not paper over it: the file stays as it is.
    _record_reads(sealed, 1)
    assert "does not end on" in audit_seal().file_problem
    assert path.read_text() == lines[0]


def test_an_edited_checkpoint_line_is_detected(sealed):
    path = settings.AUDIT_CHECKPOINT_FILE
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"size":', '"size":1')
    path.write_text("".join(lines))
    report = audit_verify()
    assert not report.ok
    assert "line 2 of the checkpoint file" in report.reason


def test_an_unsealed_event_edited_before_sealing_is_named(cast):
    event = _record_reads(cast, 1)[0]
    _as_database_holder("UPDATE audit_auditevent SET basis = %s WHERE id = %s",
                        ["forged", event.pk])
    assert audit_verify().broken_at == event.pk


def test_an_unsealed_event_taken_off_the_queue_is_named(cast):
    event = _record_reads(cast, 1)[0]
    AuditUnsealed.objects.filter(event_id=event.pk).delete()
    report = audit_verify()
    assert report.broken_at == event.pk
    assert "neither sealed nor queued" in report.reason


def test_the_sealer_writes_the_checkpoint_a_crash_left_out(sealed):
    path = settings.AUDIT_CHECKPOINT_FILE
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))  # the sealer died after the commit, before the file
    assert audit_verify().ok  # within the crash window: a note, not a break
    _record_reads(sealed, 1)
    report = audit_seal()
    assert report.file_problem == ""
    entries = list(read_checkpoints(path))
    assert [e["size"] for e in entries] == list(
        AuditCheckpoint.objects.order_by("id").values_list("size", flat=True))
    assert audit_verify().ok


def test_a_heartbeat_checkpoint_when_nothing_is_new(sealed):
    before = AuditCheckpoint.objects.count()
    assert audit_seal(heartbeat=timedelta(hours=1)).checkpoint is None
    assert audit_seal(heartbeat=timedelta(0)).checkpoint is not None
    assert AuditCheckpoint.objects.count() == before + 1
    assert audit_verify().ok


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
    assert len(stored.digest) == 64


def test_times_just_before_a_whole_second_verify(cast):
    """The verifier reads the time as microseconds in SQL; .999999 must not round up."""
    from datetime import UTC, datetime

    from relais.audit.services import audit_record_many, build_event

    events = [build_event(actor=None, action=Action.READ, basis=f"edge {n}") for n in range(3)]
    for event, micro in zip(events, (999_999, 999_500, 0), strict=True):
        event.occurred_at = datetime(2026, 12, 7, 3, 44, 44, micro, tzinfo=UTC)
    audit_record_many(events)
    audit_seal_all()
    report = audit_verify()
    assert report.ok, report.reason
