#!/usr/bin/env python
"""Benchmark of the follow-up menu badge (``followup.selectors.open_task_count`` on
``access.followup.task_scope``), computed on every page, at 100,000 cases.

    DATABASE_URL=sqlite:////path/to/a/copy/of/bench.sqlite3 RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/task_badge.py

The data: the cases of ``seed_scale`` (``--cases``, seeded when fewer), and once, follow-up
tasks on ``scale-zone-1``: one done task per case of the zone (the history), 3,000 open tasks
of which 300 for the intervention officer ``bench.officer`` (100 overdue) and 200 for the
neighbourhood officer ``bench.neighbourhood`` (reach: her assigned cases, 50 of them), and
2,000 open tasks of ``scale-parquet-1`` on forwarded cases for its legal advisor
``bench.advisor`` (reach through the forwarding shares).

Measured: the badge's count for each of the three, ``--rounds`` times each after a warm-up,
the readers interleaved; a baseline in the same run: the same count on the task table alone
(the agency's open overdue tasks of the user, without the case policy), the least the badge
must ask the database. Prints medians, p95, p99, and the SQL and plan of each count.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from datetime import timedelta

import django

# benchlib first: it sets up Django on the bench database.
from benchlib import percentile, prepare_database  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.access.models import Share  # noqa: E402
from relais.accounts.models import Agency, Role, User  # noqa: E402
from relais.accounts.services import user_create  # noqa: E402
from relais.cases.models import Case, CaseAssignment  # noqa: E402
from relais.core.actor import Actor  # noqa: E402
from relais.followup.models import Outcome, Task, TaskKind, TaskStatus  # noqa: E402
from relais.followup.selectors import open_task_count  # noqa: E402

ZONE = "scale-zone-1"
OFFICE = "scale-parquet-1"
MARK = "badge-bench:"
TARGET_MS = 5.0


def staff(username: str, agency: Agency, role: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or user_create(username=username, agency=agency, roles=[role], password=None,
                               first_name="Bench", last_name="Synthétique")


def build(seed: int) -> None:
    """The tasks, once (marked by their origin key)."""
    if Task.objects.filter(origin_key__startswith=MARK).exists():
        return
    rng = random.Random(seed)
    zone = Agency.objects.get(code=ZONE)
    office = Agency.objects.get(code=OFFICE)
    officer = staff("bench.officer", zone, Role.INTERVENTION_OFFICER)
    neighbour = staff("bench.neighbourhood", zone, Role.NEIGHBOURHOOD_OFFICER)
    advisor = staff("bench.advisor", office, Role.LEGAL_ADVISOR)
    cases = list(Case.objects.filter(owner_agency=zone).values_list("pk", flat=True))
    forwarded = list(Share.objects.filter(recipient_agency=office).values_list("case_id",
                                                                              flat=True))
    now = timezone.now()
    tasks: list[Task] = []
    n = 0

    def task(case_id: int, agency: Agency, status: str, assignee: User | None, due_days: float):
        nonlocal n
        n += 1
        tasks.append(Task(kind=TaskKind.DAY2_CONTACT, case_id=case_id, agency=agency,
                          status=status, assignee=assignee, origin_key=f"{MARK}{n}",
                          due_at=now + timedelta(days=due_days),
                          completed_at=now if status == TaskStatus.DONE else None,
                          outcome=Outcome.DONE if status == TaskStatus.DONE else ""))

    for pk in cases:
        task(pk, zone, TaskStatus.DONE, rng.choice((officer, None)), -rng.uniform(30, 900))
    assigned = rng.sample(cases, 50)
    CaseAssignment.objects.bulk_create([CaseAssignment(case_id=pk, user=neighbour)
                                        for pk in assigned], ignore_conflicts=True)
    for i in range(3000):
        if i < 300:
            task(rng.choice(cases), zone, TaskStatus.OPEN, officer, -5 if i < 100 else 5)
        elif i < 500:
            task(rng.choice(assigned), zone, TaskStatus.OPEN, neighbour, -5 if i < 400 else 5)
        else:
            task(rng.choice(cases), zone, TaskStatus.OPEN, None, rng.uniform(-10, 10))
    for i in range(2000):
        task(rng.choice(forwarded), office, TaskStatus.OPEN, advisor, -5 if i < 500 else 5)
    with transaction.atomic():
        Task.objects.bulk_create(tasks, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def readers() -> dict[str, Actor]:
    return {name: Actor.for_user(User.objects.select_related("agency").get(username=name))
            for name in ("bench.officer", "bench.neighbourhood", "bench.advisor")}


def bare_count(actor: Actor) -> int:
    return Task.objects.filter(agency_id=actor.agency_id, assignee_id=actor.user_id,
                               status=TaskStatus.OPEN, due_at__lt=timezone.now()).count()


def timed(fn, actor: Actor) -> tuple[float, int]:
    started = time.perf_counter()
    value = fn(actor=actor) if fn is open_task_count else fn(actor)
    return (time.perf_counter() - started) * 1000, value


def plan(sql: str, params) -> list[str]:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def run(args: argparse.Namespace) -> None:
    _seeding, total = prepare_database(args.cases, args.seed)
    build(args.seed)
    actors = readers()
    samples: dict[tuple[str, str], list[float]] = {}
    counts: dict[tuple[str, str], int] = {}
    kinds = {"badge": open_task_count, "bare": bare_count}
    for n in range(args.warmup + args.rounds):
        for name, actor in actors.items():
            order = ("badge", "bare") if n % 2 == 0 else ("bare", "badge")
            for kind in order:
                elapsed, value = timed(kinds[kind], actor)
                counts[(name, kind)] = value
                if n >= args.warmup:
                    samples.setdefault((name, kind), []).append(elapsed)

    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"### Follow-up menu badge, {connection.vendor}, {total:,} cases, "
          f"{Task.objects.count():,} tasks")
    print()
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; {args.rounds} counts per reader and kind after "
          f"{args.warmup} warm-up, interleaved; load average at the end: {load}.")
    print()
    print("| reader | badge median / p95 / p99 (ms) | bare median / p95 / p99 (ms) "
          "| ratio (median) | count |")
    print("|---|---|---|---:|---:|")
    worst = 0.0
    for name in actors:
        b, o = samples[(name, "badge")], samples[(name, "bare")]
        p95 = percentile(b, 0.95)
        worst = max(worst, p95)
        print(f"| {name} | {statistics.median(b):.2f} / {p95:.2f} / {percentile(b, 0.99):.2f} "
              f"| {statistics.median(o):.2f} / {percentile(o, 0.95):.2f} / "
              f"{percentile(o, 0.99):.2f} | {statistics.median(b) / statistics.median(o):.2f} "
              f"| {counts[(name, 'badge')]} |")
    print()
    print(f"Target p95 < {TARGET_MS:.0f} ms: {'met' if worst < TARGET_MS else 'MISSED'}.")
    if args.show_plans:
        from relais.access.followup import task_scope

        for name, actor in actors.items():
            qs = task_scope(actor).filter(assignee_id=actor.user_id, status=TaskStatus.OPEN,
                                          due_at__lt=timezone.now())
            sql, params = qs.query.sql_with_params()
            print(f"\n-- {name}\n{sql}\n" + "\n".join(plan(sql, params)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-plans", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
