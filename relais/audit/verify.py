"""Checking the audit trail: every event against its digest, every seal against the chain, the
chain against the signed checkpoints of the file (outside the database) and of the database.

It reads everything in order, in chunks, keeping only the current link and the next checkpoint
in memory, and names the first bad event. It detects: an edited event or seal, an event deleted
in the middle, a reordering, the newest events cut with every row rewritten (the file's newest
checkpoint counts more than the database holds), and a checkpoint file replaced by an older one
(the database holds newer signed checkpoints). Events not sealed yet are counted, with the age
of the oldest: they are the exposure window (docs/audit.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from relais.audit.hashing import (
    DIGESTED_FIELDS,
    GENESIS,
    checkpoint_mac,
    event_digest,
    same,
    seal_hash,
    timestamp,
)
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, AuditUnsealed
from relais.audit.sealing import checkpoint_path, read_checkpoints

# A file one checkpoint behind the database is the sealer's crash window, if that recent.
CRASH_WINDOW = timedelta(minutes=2)


@dataclass
class ChainReport:
    checked: int = 0  # sealed events checked
    broken_at: int | None = None  # the first bad event's id, when there is one
    position: int | None = None  # its position in the chain
    reason: str = ""
    unsealed: int = 0
    oldest_unsealed: datetime | None = None
    checkpoints: int = 0  # checkpoints of the file checked
    last_checkpoint: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reason

    def fail(self, reason: str, *, event_id: int | None = None,
             position: int | None = None) -> ChainReport:
        self.reason, self.broken_at, self.position = reason, event_id, position
        return self


class _FileCheckpoints:
    """The file's checkpoints one at a time, each checked (mac, chain, growing size)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries = read_checkpoints(path)
        self.count = 0
        self.last: dict | None = None
        self.problem = ""

    def next(self) -> dict | None:
        if self.problem:
            return None
        entry = next(self._entries, None)
        if entry is None:
            return None
        self.count += 1
        where = f"line {self.count} of the checkpoint file {self.path}"
        try:
            size, head, at, prev, mac = (int(entry["size"]), str(entry["head"]),
                                         str(entry["at"]), str(entry["prev"]),
                                         str(entry["mac"]))
        except (KeyError, TypeError, ValueError):
            self.problem = f"{where} is not a checkpoint"
            return None
        if not same(mac, checkpoint_mac(size=size, head=head, at=at, prev=prev)):
            self.problem = f"{where} is not signed by the audit key (edited or forged)"
        elif not same(prev, self.last["mac"] if self.last else ""):
            self.problem = f"{where} does not follow the checkpoint before it"
        elif self.last and size < int(self.last["size"]):
            self.problem = f"{where} counts fewer events than the one before it"
        if self.problem:
            return None
        self.last = entry
        return entry

    def rest(self) -> None:
        while self.next() is not None:
            pass


def _epoch_microseconds(column: str) -> str:
    """SQL for a timestamp column as whole microseconds since 1970 (exact on both databases):
    the digest's own form of the time, without parsing millions of datetimes in Python."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite keeps "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC.
    # (unixepoch of the whole text would round the fraction to the nearest second)
    return (f"(unixepoch(substr({column}, 1, 19)) * 1000000 + "
            f"CAST(substr({column} || '.000000', 21, 6) AS INTEGER))")


def _seals(chunk_size: int) -> Iterator[tuple]:
    """Each seal with its event's digest and digested fields, in chain order (None when the
    event is gone), read with a server-side cursor on PostgreSQL."""
    fields = ", ".join(f"e.{name}" for name in DIGESTED_FIELDS[1:])
    sql = (f"SELECT s.seq, s.event_id, s.prev_hash, s.hash, e.digest, "  # noqa: S608
           f"{_epoch_microseconds('e.occurred_at')}, {fields} "
           f"FROM {AuditSeal._meta.db_table} s LEFT JOIN {AuditEvent._meta.db_table} e "
           f"ON e.id = s.event_id ORDER BY s.seq")
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def _check_chain(report: ChainReport, checkpoints: _FileCheckpoints, chunk_size: int) -> int:
    """Walk the seals; answers the chain's size (the report says where it broke)."""
    head, size = GENESIS, 0
    checkpoint = checkpoints.next()
    while checkpoint is not None and int(checkpoint["size"]) == 0:
        checkpoint = checkpoints.next()
    for seq, event_id, prev_hash, seal, digest, *values in _seals(chunk_size):
        position = size + 1
        if seq != position:
            report.fail(f"position {position} of the chain is missing (seals deleted)",
                        event_id=event_id, position=position)
            return size
        if not same(prev_hash, head):
            report.fail("its seal does not follow the previous one (reordered or replaced)",
                        event_id=event_id, position=seq)
            return size
        if digest is None:  # no event joined: the event row is gone
            report.fail("the event sealed here is missing (deleted)", event_id=event_id,
                        position=seq)
            return size
        if not same(digest, event_digest(dict(zip(DIGESTED_FIELDS, values, strict=True)))):
            report.fail("its content does not match its digest (edited)", event_id=event_id,
                        position=seq)
            return size
        if not same(seal, seal_hash(seq=seq, event_id=event_id, digest=digest,
                                    prev_hash=prev_hash)):
            report.fail("its seal does not match (edited or re-linked)", event_id=event_id,
                        position=seq)
            return size
        head, size = seal, seq
        report.checked = size
        while checkpoint is not None and int(checkpoint["size"]) == size:
            if not same(checkpoint["head"], head):
                report.fail(f"the checkpoint of {checkpoint['at']} signed another chain at "
                            f"this position (rewritten)", event_id=event_id, position=seq)
                return size
            checkpoint = checkpoints.next()
    if checkpoint is not None and int(checkpoint["size"]) > size:
        report.fail(f"the checkpoint of {checkpoint['at']} counts {checkpoint['size']} sealed "
                    f"events, the database has {size}: the newest events were removed",
                    position=size + 1)
    return size


def _check_database_checkpoints(report: ChainReport, checkpoints: _FileCheckpoints) -> None:
    newest, previous_mac = None, ""
    for checkpoint in AuditCheckpoint.objects.order_by("id").iterator(chunk_size=2000):
        mac = checkpoint_mac(size=checkpoint.size, head=checkpoint.head,
                             at=timestamp(checkpoint.at), prev=checkpoint.prev)
        if not same(checkpoint.mac, mac) or not same(checkpoint.prev, previous_mac):
            report.fail(f"the database's checkpoint {checkpoint.pk} is not signed by the audit "
                        "key or does not follow the one before it (edited or forged)")
            return
        newest, previous_mac = checkpoint, checkpoint.mac
    on_file = checkpoints.last
    if newest is None:
        if on_file is not None:
            report.fail("the database holds no checkpoint but the file does (removed)")
        return
    if on_file is None:
        report.fail(f"the checkpoint file {checkpoints.path} is missing or empty, but the "
                    f"database has signed checkpoints up to {timestamp(newest.at)}")
        return
    if same(newest.mac, on_file["mac"]):
        return
    recent = timezone.now() - newest.at < CRASH_WINDOW
    if same(newest.prev, on_file["mac"]) and recent:
        report.notes.append("the newest checkpoint is not in the file yet (the sealer writes it "
                            "next round)")
        return
    if newest.size >= int(on_file["size"]):
        report.fail(f"the checkpoint file ends at {on_file['at']} ({on_file['size']} events), "
                    f"but the database has signed checkpoints up to "
                    f"{timestamp(newest.at)} ({newest.size} events): the file was "
                    "replaced by an older copy or cut")
    else:
        report.fail("the checkpoint file holds checkpoints the database does not (the "
                    "database's newest checkpoints were removed)")


def _check_unsealed(report: ChainReport, chunk_size: int) -> None:
    rows = (AuditEvent.objects.filter(seal__isnull=True).order_by("id")
            .values_list("id", "digest", *DIGESTED_FIELDS).iterator(chunk_size=chunk_size))
    for event_id, digest, *values in rows:
        values = dict(zip(DIGESTED_FIELDS, values, strict=True))
        if not same(digest, event_digest(values)):
            report.fail("its content does not match its digest (edited or forged before it was "
                        "sealed)", event_id=event_id)
            return
        report.unsealed += 1
        if report.oldest_unsealed is None or values["occurred_at"] < report.oldest_unsealed:
            report.oldest_unsealed = values["occurred_at"]
    orphan = (AuditEvent.objects.filter(seal__isnull=True)
              .exclude(id__in=AuditUnsealed.objects.values("event_id")).order_by("id").first())
    if orphan is not None:
        report.fail("it is neither sealed nor queued for sealing (its queue row was deleted)",
                    event_id=orphan.pk)
        return
    lost = (AuditUnsealed.objects.exclude(event_id__in=AuditEvent.objects.values("id"))
            .order_by("event_id").first())
    if lost is not None:
        report.fail("it was queued for sealing but is gone (deleted before it was sealed)",
                    event_id=lost.event_id)


def audit_verify(*, checkpoints: Path | None = None, chunk_size: int = 10_000) -> ChainReport:
    """Check the whole trail; the report names the first bad event, if any."""
    report = ChainReport()
    file_checkpoints = _FileCheckpoints(checkpoints or checkpoint_path())
    _check_chain(report, file_checkpoints, chunk_size)
    if report.ok:
        file_checkpoints.rest()
    report.checkpoints = file_checkpoints.count
    report.last_checkpoint = file_checkpoints.last
    if report.ok and file_checkpoints.problem:
        report.fail(file_checkpoints.problem)
    if report.ok:
        _check_database_checkpoints(report, file_checkpoints)
    if report.ok:
        _check_unsealed(report, chunk_size)
    return report
