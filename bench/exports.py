#!/usr/bin/env python
"""Benchmark of a big list export (issue 19 §5): the case access log of one case holding
``--rows`` audit events (100,000 by default), exported to CSV the way the export view does it
(``relais.core.exports.csv_chunks`` over ``relais.access.log.case_access_log_rows``, a
server-side iterator read in chunks), against a baseline in the same run: the same rows and
columns built in memory first (the queryset read into a list, the CSV written to one string),
as the older exports did.

    .venv/bin/python bench/exports.py [--rows 100000] [--rounds 5]

It runs on its own SQLite database (``var/bench-exports.sqlite3`` unless ``DATABASE_URL`` says
otherwise): SQLite is enough to compare streaming with building in memory; on PostgreSQL the
iterator is a server-side cursor and reads in ``chunk_size`` rows the same way.

Measured for each way, ``--rounds`` times interleaved after a warm-up: the wall time to produce
every byte (the streamed chunks are consumed and dropped, as a socket would), and once, under
``tracemalloc``, the peak of Python memory. Prints median, p95 and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import platform
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-exports.sqlite3'}")

# benchlib first: it sets up Django on the bench database.
from benchlib import database_label, percentile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from relais.access.log import case_access_log_rows  # noqa: E402
from relais.access.log_columns import LOG_COLUMNS  # noqa: E402
from relais.accounts.models import Agency, AgencyKind, Role, User  # noqa: E402
from relais.accounts.services import user_create  # noqa: E402
from relais.audit.models import Action, AuditEvent  # noqa: E402
from relais.audit.services import audit_record_many, build_event  # noqa: E402
from relais.cases import services as case_services  # noqa: E402
from relais.cases.models import Case  # noqa: E402
from relais.core.actor import Actor  # noqa: E402
from relais.core.exports import csv_cell, csv_chunks, neutralised  # noqa: E402

ZONE = "bench-export-zone"


def staff(username: str, agency: Agency, role: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or user_create(username=username, agency=agency, roles=[role], password=None,
                               first_name="Bench", last_name="Synthétique")


def build(rows: int) -> tuple[Actor, int]:
    """A zone, its officer and reference officer, one case and ``rows`` events on it (once)."""
    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(
        code=ZONE, defaults={"name": "Zone (bench)", "kind": AgencyKind.POLICE_ZONE,
                             "languages": ["fr"]})
    officer = Actor.for_user(staff("bench.export.officer", agency, Role.INTERVENTION_OFFICER),
                             ip="127.0.0.1")
    reviewer = Actor.for_user(staff("bench.export.reference", agency,
                                    Role.IPV_REFERENCE_OFFICER), ip="127.0.0.1")
    case = Case.objects.filter(owner_agency=agency).first()
    if case is None:
        case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    present = AuditEvent.objects.filter(case_id=case.pk).count()
    if present < rows:
        print(f"Writing {rows - present:,} audit events on {case.reference}...", flush=True)
        for start in range(present, rows, 10_000):
            events = []
            for n in range(start, min(rows, start + 10_000)):
                event = build_event(actor=officer, action=Action.READ, case_id=case.pk,
                                    scopes=["contact", "judicial"], basis=f"case page read {n}")
                event.object_type, event.object_id = "cases.person", str(n % 7 + 1)
                events.append(event)
            audit_record_many(events)
    return reviewer, case.pk


def streamed(reviewer: Actor, case_id: int) -> int:
    """The export's way: chunks from the server-side iterator, each dropped once 'sent'."""
    size = 0
    for chunk in csv_chunks(LOG_COLUMNS, case_access_log_rows(actor=reviewer, case_id=case_id)):
        size += len(chunk)
    return size


def in_memory(reviewer: Actor, case_id: int) -> int:
    """The baseline: every row read into a list, then the whole CSV written to one string."""
    events = list(case_access_log_rows(actor=reviewer, case_id=case_id))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(str(c.label)) for c in LOG_COLUMNS])
    writer.writerows([[csv_cell(c.value(event)) for c in LOG_COLUMNS] for event in events])
    return len(("\ufeff" + out.getvalue()).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    translation.activate("en")
    reviewer, case_id = build(args.rows)
    total = AuditEvent.objects.filter(case_id=case_id).count()
    ways = {"built in a list (baseline)": in_memory, "streamed (the export)": streamed}
    sizes = {name: way(reviewer, case_id) for name, way in ways.items()}  # warm-up
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _round in range(args.rounds):
        for name, way in ways.items():
            gc.collect()
            started = time.perf_counter()
            way(reviewer, case_id)
            times[name].append(time.perf_counter() - started)
    peaks: dict[str, float] = {}
    for name, way in ways.items():
        gc.collect()
        tracemalloc.start()
        way(reviewer, case_id)
        peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    base = "built in a list (baseline)"
    base_median = percentile(times[base], 0.5)
    base_p95 = percentile(times[base], 0.95)
    print(f"\n{total:,} events, {sizes[base] / 2**20:.1f} MiB of CSV; {database_label()}; "
          f"Python {platform.python_version()}; {args.rounds} rounds after a warm-up; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| way | median s | p95 s | peak MiB (tracemalloc) | ratio median / p95 / peak |")
    print("|---|---:|---:|---:|---|")
    for name in ways:
        median, p95 = percentile(times[name], 0.5), percentile(times[name], 0.95)
        print(f"| {name} | {median:.2f} | {p95:.2f} | {peaks[name]:.1f} | "
              f"{median / base_median:.2f} / {p95 / base_p95:.2f} / "
              f"{peaks[name] / peaks[base]:.3f} |")
    assert sizes[base] == sizes["streamed (the export)"], sizes  # the same bytes


if __name__ == "__main__":
    main()
