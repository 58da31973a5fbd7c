#!/usr/bin/env python
"""Benchmark of ``audit_verify`` at 10,000,000 events (PostgreSQL), in bounded memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:54331/relais_audit10m RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench RELAIS_AUDIT_CHECKPOINTS=/tmp/audit10m.jsonl \\
        .venv/bin/python bench/audit_verify.py --events 10000000

Fills the audit tables (if they hold fewer events than ``--events``) with synthetic sealed
events, exactly as the sealer would have written them: one event per read of a case (ids in
order, a digest each), its seal, and a checkpoint every 5,000 events (the sealer's round), in
the database and in the checkpoint file. It writes with COPY, not through the services: the
digests, seals and macs are the real ones (``relais.audit.hashing``). Then it runs
``audit_verify`` in a fresh process, ``--rounds`` times, and prints the time, the rate and the
process's peak memory (``ru_maxrss``) of each. Run it with ``--events 1000000`` first, then
``--events 10000000`` on the same database (it adds the missing events): the time should grow
tenfold and the memory not at all.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

ROUND = 5000


def fill(target: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from relais.audit.hashing import (
        DIGESTED_FIELDS,
        GENESIS,
        checkpoint_mac,
        event_digest,
        seal_hash,
        timestamp,
    )
    from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal
    from relais.audit.sealing import checkpoint_line

    call_command("migrate", verbosity=0)
    have = AuditSeal.objects.count()
    if have >= target:
        print(f"{have:,} sealed events already there")
        return
    if AuditEvent.objects.count() != have or (have and AuditCheckpoint.objects.count() == 0):
        raise SystemExit("the database holds other audit data: use an empty one")
    last = AuditSeal.objects.order_by("-seq").first()
    head = last.hash if last else GENESIS
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    prev_mac = checkpoint.mac if checkpoint else ""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    raw = connection.cursor().cursor
    event_columns = "id, digest, " + ", ".join(DIGESTED_FIELDS)
    with path.open("a") as file, connection.cursor():
        seq = have
        while seq < target:
            count = min(ROUND, target - seq)
            events, seals = [], []
            for n in range(seq + 1, seq + count + 1):
                values = {
                    "occurred_at": start + timedelta(seconds=n // 20, microseconds=n % 997),
                    "user_id": 1 + n % 400, "username": f"bench.user{n % 400:03d}",
                    "agency_id": 1 + n % 40, "roles": "intervention_officer",
                    "action": "read", "object_type": "cases.case",
                    "object_id": str(1 + n % 1_000_000), "case_id": 1 + n % 1_000_000,
                    "scopes": "contact,judicial", "basis": "owning agency",
                    "ip": f"10.0.{n % 250}.{n % 200 + 1}", "channel": "web",
                }
                digest = event_digest(values)
                events.append((n, digest, *(values[name] for name in DIGESTED_FIELDS)))
                seal = seal_hash(seq=n, event_id=n, digest=digest, prev_hash=head)
                seals.append((n, n, values["occurred_at"], head, seal))
                head = seal
            seq += count
            at = start + timedelta(seconds=seq // 20 + 1)
            mac = checkpoint_mac(size=seq, head=head, at=timestamp(at), prev=prev_mac)
            with raw.copy(f"COPY audit_auditevent ({event_columns}) FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
            with raw.copy("COPY audit_auditseal (seq, event_id, sealed_at, prev_hash, hash) "
                          "FROM STDIN") as copy:
                for row in seals:
                    copy.write_row(row)
            saved = AuditCheckpoint.objects.create(size=seq, head=head, at=at, prev=prev_mac,
                                                   mac=mac)
            file.write(checkpoint_line(saved) + "\n")
            prev_mac = mac
            if seq % 500_000 < ROUND:
                print(f"  {seq:,} events ({time.perf_counter() - began:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), "
                       "COALESCE(MAX(id), 0) + 1, false) FROM audit_auditevent")
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("ANALYZE audit_auditseal")
    print(f"filled to {target:,} events in {time.perf_counter() - began:.0f} s")


def verify_once(checkpoints: str | None) -> None:
    """In a fresh process: run audit_verify, print seconds, events and peak memory."""
    import django

    django.setup()
    from relais.audit.verify import audit_verify

    began = time.perf_counter()
    report = audit_verify(checkpoints=Path(checkpoints) if checkpoints else None)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {seconds:.2f} {report.checked} {peak:.1f} {report.ok} {report.reason!r}")


def run_verify(checkpoints: str | None = None) -> tuple[float, int, float, str]:
    args = [sys.executable, __file__, "--verify-once"]
    if checkpoints:
        args += ["--checkpoint-file", checkpoints]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    _, seconds, checked, peak, ok, reason = line.split(" ", 5)
    return float(seconds), int(checked), float(peak), f"{ok} {reason}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--verify-once", action="store_true")
    parser.add_argument("--checkpoint-file", default=None)
    args = parser.parse_args()
    if args.verify_once:
        verify_once(args.checkpoint_file)
        return
    fill(args.events)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    print("| events checked | time | rate | peak memory | result |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for _ in range(args.rounds):
        seconds, checked, peak, result = run_verify()
        print(f"| {checked:,} | {seconds:.1f} s | {checked / seconds:,.0f} /s | {peak:.0f} MB "
              f"| {result} |", flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
