"""The audit trail without a global lock: events get an id from the database's sequence and a
digest of their own; a sealer links them into the chain (``AuditSeal``) and signs checkpoints.

The events written under the old chain are checked first (the old algorithm, the old chain
head): a broken old chain stops the migration. Then each gets its digest and its seal, in the
old order. The sealer's first round signs the first checkpoint, in the database and in the
checkpoint file.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from relais.audit.hashing import DIGESTED_FIELDS, GENESIS, event_digest, seal_hash

OLD_HASHED = ("id", "occurred_at", "user_id", "username", "agency_id", "roles", "action",
              "object_type", "object_id", "case_id", "scopes", "basis", "ip", "channel",
              "prev_hash")
BATCH = 5000

PG_TRIGGERS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_auditseal;
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
"""
# SQLite: UPDATE refused; DELETE is left to audit_verify (the test suite's flush deletes rows).
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal "
    "BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END",
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_seal_no_update",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
]


def _old_hash(row: dict) -> str:
    data = {}
    for name in OLD_HASHED:
        value = row[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data[name] = value
    message = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only "
                              "ON audit_auditevent")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def check_and_digest_old_events(apps, schema_editor):
    """Verify the old chain, then store each old event's new digest (old order kept)."""
    event_model = apps.get_model("audit", "AuditEvent")
    head = apps.get_model("audit", "ChainHead").objects.filter(pk=1).first()
    connection = schema_editor.connection
    previous, expected, updates = GENESIS, 1, []
    rows = (event_model.objects.order_by("id")
            .values(*OLD_HASHED, "hash").iterator(chunk_size=BATCH))
    with connection.cursor() as cursor:
        for row in rows:
            if row["id"] != expected or row["prev_hash"] != previous \
                    or not hmac.compare_digest(row["hash"], _old_hash(row)):
                raise RuntimeError(
                    f"The audit chain is broken at event {expected}: run the previous version's "
                    "audit_verify and investigate before migrating.")
            previous, expected = row["hash"], expected + 1
            updates.append((event_digest({name: row[name] for name in DIGESTED_FIELDS}),
                            row["id"]))
            if len(updates) >= BATCH:
                cursor.executemany("UPDATE audit_auditevent SET digest = %s WHERE id = %s",
                                   updates)
                updates = []
        if updates:
            cursor.executemany("UPDATE audit_auditevent SET digest = %s WHERE id = %s", updates)
    length = head.length if head else 0
    if length != expected - 1 or (head and head.last_hash != previous):
        raise RuntimeError(f"The audit chain head expects {length} events, the table has "
                           f"{expected - 1}: investigate before migrating.")


def seal_old_events(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    seal_model = apps.get_model("audit", "AuditSeal")
    connection = schema_editor.connection
    now = datetime.now(UTC)
    head, size, seals = GENESIS, 0, []
    for event_id, digest in (event_model.objects.order_by("id").values_list("id", "digest")
                             .iterator(chunk_size=BATCH)):
        size += 1
        seal = seal_hash(seq=size, event_id=event_id, digest=digest, prev_hash=head)
        seals.append(seal_model(seq=size, event_id=event_id, sealed_at=now, prev_hash=head,
                                hash=seal))
        head = seal
        if len(seals) >= BATCH:
            seal_model.objects.bulk_create(seals)
            seals = []
    seal_model.objects.bulk_create(seals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), "
                           "COALESCE(MAX(id), 0) + 1, false) FROM audit_auditevent")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TRIGGERS)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("audit", "0003_denied_read")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditevent", name="digest",
            field=models.CharField(default="", max_length=64), preserve_default=False),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("sealed_at", models.DateTimeField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                ("event", models.OneToOneField(
                    db_constraint=False, null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="seal",
                    to="audit.auditevent")),
            ],
            options={"ordering": ["seq"]},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("size", models.BigIntegerField()),
                ("head", models.CharField(max_length=64)),
                ("at", models.DateTimeField()),
                ("prev", models.CharField(blank=True, max_length=64)),
                ("mac", models.CharField(max_length=64, unique=True)),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="AuditUnsealed",
            fields=[("event_id", models.BigIntegerField(primary_key=True, serialize=False))],
        ),
        migrations.RunPython(check_and_digest_old_events, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.DeleteModel(name="ChainHead"),
        migrations.AlterField(
            model_name="auditevent", name="id",
            field=models.BigAutoField(primary_key=True, serialize=False)),
        migrations.RunPython(seal_old_events, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, remove_triggers),
    ]
