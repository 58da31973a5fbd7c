"""The sealer: links the queued events into the chain and publishes signed checkpoints.

One sealer runs at a time (``manage.py audit_seal --loop``, holding ``single_instance``). Each
round, in one transaction: take up to ``batch_size`` queued events in id order, give each the
next position (``AuditSeal.seq``), link it to the previous seal, empty them from the queue and
record a checkpoint (the new size and head, signed, chained to the previous checkpoint). After
the commit, the checkpoint is appended to the checkpoint file, outside the database.

The file is append-only and written only after the database: if the sealer dies between the
two, the database holds one checkpoint more than the file, and the next round writes it first.
Any other difference (the file ends on a checkpoint the database does not know, or lacks more
than the last one) is refused: the sealer keeps sealing but does not touch the file, and
``audit_verify`` reports it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from relais.audit.hashing import GENESIS, checkpoint_mac, seal_hash, timestamp
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, AuditUnsealed
from relais.core.singleton import lock_key

log = logging.getLogger(__name__)

SEALER = "audit_seal"


@dataclass(frozen=True)
class SealReport:
    sealed: int
    size: int
    checkpoint: AuditCheckpoint | None
    missing: int  # queued events whose row is gone (deleted before they were sealed)
    file_problem: str

    def __str__(self) -> str:
        text = f"sealed {self.sealed}, chain size {self.size}"
        if self.missing:
            text += f", {self.missing} queued events missing"
        if self.file_problem:
            text += f"; checkpoint file NOT written: {self.file_problem}"
        return text


# The checkpoint file --------------------------------------------------------------------------

def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def checkpoint_line(checkpoint: AuditCheckpoint) -> str:
    return json.dumps({"size": checkpoint.size, "head": checkpoint.head,
                       "at": timestamp(checkpoint.at), "prev": checkpoint.prev,
                       "mac": checkpoint.mac}, separators=(",", ":"))


def read_checkpoints(path: Path | None = None) -> Iterator[dict | None]:
    """The checkpoints of the file in order, one at a time (None for a line that is not one)."""
    path = path or checkpoint_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                yield None
                continue
            yield entry if isinstance(entry, dict) else None


def last_line(path: Path) -> dict | None:
    """The file's last checkpoint, read from its end (the file grows for years)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        position = handle.tell()
        block = b""
        while position > 0 and block.count(b"\n") < 2:
            step = min(4096, position)
            position -= step
            handle.seek(position)
            block = handle.read(step) + block
    for raw in reversed(block.splitlines()):
        if raw.strip():
            try:
                entry = json.loads(raw)
            except ValueError:
                return {}
            return entry if isinstance(entry, dict) else {}
    return None


def _append(path: Path, checkpoints: list[AuditCheckpoint]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, "".join(checkpoint_line(c) + "\n" for c in checkpoints).encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(checkpoint: AuditCheckpoint) -> str:
    """Append ``checkpoint`` (and the one before it, if a crash left it out) to the file.

    Answers "" when written, else why not (the file then stays as it is)."""
    path = checkpoint_path()
    last = last_line(path)
    previous = (AuditCheckpoint.objects.filter(id__lt=checkpoint.id).order_by("-id").first())
    if last is None:
        if previous is None:
            _append(path, [checkpoint])
            return ""
        return (f"the file {path} is empty or missing, but the database holds earlier "
                "checkpoints")
    mac = last.get("mac", "")
    if previous is not None and mac == previous.mac:
        _append(path, [checkpoint])
        return ""
    if mac == checkpoint.mac:
        return ""  # already there
    before = (AuditCheckpoint.objects.filter(id__lt=previous.id).order_by("-id").first()
              if previous is not None else None)
    if before is not None and mac == before.mac:
        _append(path, [previous, checkpoint])  # the sealer died between database and file
        return ""
    return f"the file {path} does not end on the database's previous checkpoint"


# Sealing ---------------------------------------------------------------------------------------

def _serialise_sealers() -> None:
    """Two sealers never interleave (a PostgreSQL transaction lock; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(SEALER) ^ 1])


def _checkpoint(*, size: int, head: str) -> AuditCheckpoint:
    previous = AuditCheckpoint.objects.order_by("-id").first()
    at = timezone.now()
    prev = previous.mac if previous else ""
    return AuditCheckpoint.objects.create(
        size=size, head=head, at=at, prev=prev,
        mac=checkpoint_mac(size=size, head=head, at=timestamp(at), prev=prev))


def audit_seal(*, batch_size: int = 5000, heartbeat: timedelta | None = None) -> SealReport:
    """One sealing round. With ``heartbeat``, a checkpoint is also written when nothing new was
    sealed and the newest checkpoint is older than it (so that a stale file shows)."""
    with transaction.atomic():
        _serialise_sealers()
        queued = list(AuditUnsealed.objects.order_by("event_id")
                      .values_list("event_id", flat=True)[:batch_size])
        last = AuditSeal.objects.order_by("-seq").first()
        size, head = (last.seq, last.hash) if last else (0, GENESIS)
        digests = dict(AuditEvent.objects.filter(id__in=queued).values_list("id", "digest"))
        now = timezone.now()
        seals = []
        for event_id in queued:
            if event_id not in digests:
                continue  # deleted before it was sealed: nothing to seal (see the report)
            size += 1
            digest = digests[event_id]
            seal = AuditSeal(seq=size, event_id=event_id, sealed_at=now, prev_hash=head,
                             hash=seal_hash(seq=size, event_id=event_id, digest=digest,
                                            prev_hash=head))
            head = seal.hash
            seals.append(seal)
        AuditSeal.objects.bulk_create(seals, batch_size=batch_size)
        if queued:
            AuditUnsealed.objects.filter(event_id__in=queued).delete()
        newest = AuditCheckpoint.objects.order_by("-id").first()
        stale = newest is None or (heartbeat is not None and now - newest.at >= heartbeat)
        checkpoint = _checkpoint(size=size, head=head) if seals or stale else None
    problem = publish(checkpoint) if checkpoint else ""
    if problem:
        log.error("audit checkpoint not written: %s", problem)
    missing = len(queued) - len(seals)
    if missing:
        log.error("audit: %s queued events were missing when sealed", missing)
    return SealReport(sealed=len(seals), size=size, checkpoint=checkpoint, missing=missing,
                      file_problem=problem)


def audit_seal_all(*, batch_size: int = 5000) -> int:
    """Seal everything queued (rounds until the queue is empty); answers how many."""
    total = 0
    while True:
        report = audit_seal(batch_size=batch_size)
        total += report.sealed
        if report.sealed + report.missing < batch_size:
            return total
