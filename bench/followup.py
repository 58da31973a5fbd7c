#!/usr/bin/env python
"""Benchmark of the follow-up: a zone's work queue with 10,000 open tasks, and ``followup_tick``
over 100,000 cases.

    RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench .venv/bin/python bench/followup.py

(SQLite in ``var/bench-followup.sqlite3`` unless DATABASE_URL names another database.)

- "queue page": GET /follow-up/?queue=zone (first page, and page 100) through the whole stack,
  as the IPV reference officer of ``scale-zone-1`` (reach: every case of the zone), signed in
  and OTP-verified: ``relais.followup.views.queue`` → ``selectors.task_queue`` (tasks on the
  cases ``visible_cases`` opens: two counts and 50 rows; an audit event) →
  ``followup/queue.html``. Baseline: a view defined here that reads the same 50 rows in the
  same order from the zone's open tasks, without the access policy and the audit event, and
  renders the same template (the HTML of both is compared). Measured with 100 and with 10,000
  open tasks in the zone: the number of SQL queries must be the same.
- "tick": ``relais.followup.tick.followup_tick(now=<today 08:00 Brussels>)`` twice in a row.
  The first run does the day's work (cancels the open tasks of closed cases, creates the due
  reassessments, closes the superseded ones, reminds the overdue tasks; checked against what
  the data calls for); the second must find nothing to do. Each run starts from the same
  tasks. Baseline: the count of the assessments of open cases due by today, the least the tick
  must ask the database.

The data: the 100,000 cases of ``seed_scale`` (4 zones), one in 33 closed; risk assessments
(counter checklist, police grid) on 80 % of the cases; a history of done tasks; and the day's
open tasks, written again before each part. See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

# A database of its own by default: the tick works on every task and assessment it finds.
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(
    Path(__file__).resolve().parent.parent / "var" / "bench-followup.sqlite3"))

import django  # noqa: E402

# benchlib next: it sets up Django on the bench database.
from benchlib import (  # noqa: E402
    bench_urlconf,
    captured,
    database_label,
    load_average,
    prepare_database,
    prepare_static,
    same_page,
    summary,
    timed,
    verified_client,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.accounts.models import Agency, Role, Unit, UnitKind, User  # noqa: E402
from relais.accounts.services import user_create  # noqa: E402
from relais.cases.models import Case, CaseParticipant, CaseStatus, ParticipantRole  # noqa: E402
from relais.followup import tick, views  # noqa: E402
from relais.followup.models import Outcome, Priority, Task, TaskKind, TaskStatus  # noqa: E402
from relais.followup.rules import DAY2_CHECKLIST, at_local, priority_of  # noqa: E402
from relais.followup.selectors import PER_PAGE, QueuePage  # noqa: E402
from relais.followup.selectors import _with_overdue as with_overdue  # noqa: E402
from relais.risk.instruments import instrument_get  # noqa: E402
from relais.risk.models import RiskAssessment  # noqa: E402

QUEUE_ZONE = "scale-zone-1"
ZONES = ("scale-zone-1", "scale-zone-2", "scale-zone-3", "scale-zone-4")
STAFF = "bench.followup."  # user names of the bench staff (and assessors)
HISTORY = "bench-hist:"  # origin keys of the done tasks kept between the parts
QUEUE_URL = "/follow-up/?queue=zone"
BARE_URL = "/bench/bare-queue/?queue=zone"
MIDDLE_PAGE = 100
TASK_LINK = b'href="/follow-up/tasks/'
TICK_AT = clock(8, 0)  # the tick runs "this morning": today at 08:00, Brussels time
DAY_ENDS_AT = clock(18, 0)  # ZonePolicy's default (the seeded zones have no policy row)
CLOSED_EVERY = 33  # one case in 33 is closed
SCREENING, GRID = "counter_checklist", "police_grid"
# Assessment histories (oldest first) and the share of cases with each; the others have none.
HISTORIES = ((0.16, (SCREENING,)), (0.24, (GRID,)), (0.30, (SCREENING, GRID)),
             (0.06, (SCREENING, GRID, GRID)), (0.04, (GRID, SCREENING)))
# When the headline assessment (the newest full one, else the newest screening) comes due.
DUE_PAST, DUE_TODAY = 0.10, 0.06
# Since the last tick, a new assessment superseded the one an open reassessment task is for
# (share of the cases with several assessments); a case with open tasks was closed (share of
# the closed cases of the other zones).
SUPERSEDED, CLOSED_WITH_TASKS = 0.02, 0.20
CONTACT_KINDS = ((TaskKind.VICTIM_ASSISTANCE_CONTACT, 20), (TaskKind.DAY2_CONTACT, 20),
                 (TaskKind.EVA_CALLBACK, 15), (TaskKind.REVISIT, 30),
                 (TaskKind.FURTHER_CONTACT, 10), (TaskKind.CRISIS_RECONTACT, 5))


# -- the bare view: the same rows and template, no access policy, no audit ------------------
@login_required
def bare_queue(request: HttpRequest) -> HttpResponse:
    """The zone queue read straight from the zone's open tasks, counted, ordered and paged as
    ``selectors.task_queue`` does, rendered with the real view's template and menu."""
    # Mounted as an instance of the "followup" app (the menu marks the app's pages); its links
    # must still reverse to the real instance.
    request.current_app = "followup"
    now = timezone.now()
    tasks = Task.objects.filter(agency_id=request.user.agency_id, status=TaskStatus.OPEN)
    total = tasks.count()
    overdue = tasks.filter(due_at__lt=now).count() if total else 0
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(views._page(request), 1), pages)
    rows = list(with_overdue(tasks, now).select_related("case", "person", "assignee", "unit")
                .order_by("-overdue", "-priority", "due_at", "pk")
                [(number - 1) * PER_PAGE:number * PER_PAGE])
    page = QueuePage(queue="zone", tasks=rows, total=total, overdue=overdue, page=number,
                     pages=pages)
    return render(request, "followup/queue.html", {
        **views._menu(request), "page": page, "queue": "zone", "now": now,
        "urgent": Priority.HIGH})


# -- staff -----------------------------------------------------------------------------------
@dataclass
class Zone:
    agency: Agency
    reference: User  # IPV reference officer: reads the queue
    assessor: User
    former: User  # an assessor who has left (inactive): her reassessments go to no one
    sapv_unit: Unit
    workers: list[tuple[User, str]]  # (user, role): whom contact tasks are assigned to


def staff(username: str, agency: Agency, role: str, *, unit: Unit | None = None,
          active: bool = True) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, agency=agency, roles=[role], password=None,
                           first_name="Agent", last_name="Synthétique",
                           email=f"{username}@example.invalid")
    if user.unit_id != (unit.pk if unit else None) or user.is_active != active:
        user.unit, user.is_active = unit, active
        user.save(update_fields=["unit", "is_active"])
    return user


@transaction.atomic
def zones() -> dict[int, Zone]:
    """The seeded zones with a victim-assistance unit and bench staff, by agency id."""
    out = {}
    for number, code in enumerate(ZONES, start=1):
        agency = Agency.objects.get(code=code)
        unit, _created = Unit.objects.get_or_create(
            agency=agency, name="Assistance policière aux victimes (synthétique)",
            defaults={"kind": UnitKind.VICTIM_ASSISTANCE})
        prefix = f"{STAFF}z{number}."
        workers = [(prefix + "sapv1", Role.VICTIM_ASSISTANCE_WORKER, unit),
                   (prefix + "sapv2", Role.VICTIM_ASSISTANCE_WORKER, unit),
                   (prefix + "eva", Role.EVA_OFFICER, None),
                   (prefix + "neighbourhood", Role.NEIGHBOURHOOD_OFFICER, None)]
        out[agency.pk] = Zone(
            agency=agency,
            reference=staff(prefix + "reference", agency, Role.IPV_REFERENCE_OFFICER),
            assessor=staff(prefix + "intervention", agency, Role.INTERVENTION_OFFICER),
            former=staff(prefix + "former", agency, Role.INTERVENTION_OFFICER, active=False),
            sapv_unit=unit,
            workers=[(staff(name, agency, role, unit=team), role)
                     for name, role, team in workers])
    return out


# -- the stored data: closed cases, assessments, history -------------------------------------
@contextmanager
def explicit(model: type, field_name: str) -> Iterator[None]:
    """Let ``bulk_create`` keep the value we set in an ``auto_now_add`` field."""
    model_field = model._meta.get_field(field_name)
    saved = model_field.auto_now_add
    model_field.auto_now_add = False
    try:
        yield
    finally:
        model_field.auto_now_add = saved


def answer_pool(code: str, rng: random.Random, count: int = 400) -> list[dict]:
    """Random complete answer sets of an instrument, scored by the instrument itself."""
    instrument = instrument_get(code)
    pool = []
    for _n in range(count):
        answers = {item.code: rng.choices(("yes", "no", "unknown"), (15, 70, 15))[0]
                   for item in instrument.items}
        evaluation = instrument.evaluate(answers)
        pool.append({"answers": answers, "score": evaluation.score,
                     "max_score": evaluation.max_score, "computed_level": evaluation.level,
                     "critical_signals": list(evaluation.critical),
                     "unknown_items": list(evaluation.unknown)})
    return pool


def case_rows(zone_of: dict[int, Zone]) -> list[tuple[int, int]]:
    return list(Case.objects.filter(owner_agency_id__in=list(zone_of)).order_by("pk")
                .values_list("pk", "owner_agency_id"))


def victims() -> dict[int, int]:
    return dict(CaseParticipant.objects.filter(role=ParticipantRole.VICTIM)
                .values_list("case_id", "person_id"))


def assessments_of(pk: int, zone: Zone, victim: int, rng: random.Random, pools: dict,
                   today: date, older: int = 0) -> list[RiskAssessment]:
    """One case's assessments (or none), dated so that its headline comes due in the past
    (10 %), today (6 %) or later; ``older`` full assessments before them (the history: all
    superseded, long due)."""
    draw, history = rng.random(), None
    for share, sequence in HISTORIES:
        if draw < share:
            history = sequence
            break
        draw -= share
    if history is None:
        return []
    history = (GRID,) * older + history
    fulls = [i for i, code in enumerate(history) if code == GRID]
    head = fulls[-1] if fulls else len(history) - 1
    rows = []
    for i, code in enumerate(history):
        instrument = instrument_get(code)
        scored = dict(rng.choice(pools[code]))
        rank = instrument.rank(scored["computed_level"])
        lowered = i == head and rank > 0 and rng.random() < 0.02
        rows.append(RiskAssessment(
            case_id=pk, person_id=victim, instrument_code=code,
            instrument_version=instrument.version, scope=instrument.scope,
            assessor=zone.former if rng.random() < 0.1 else zone.assessor,
            agency_id=zone.agency.pk, **scored, lowered=lowered,
            # A lower final level waits for a second person's confirmation.
            final_level=instrument.levels[rank - 1].code if lowered else scored["computed_level"],
            justification="Appréciation synthétique (banc d'essai)." if lowered else ""))
    # The headline's due date by its draw; the others dated around it.
    days = instrument_get(history[head]).level(rows[head].computed_level).reassess_days
    draw = rng.random()
    due = today - timedelta(days=rng.randint(1, 30)) if draw < DUE_PAST else today \
        if draw < DUE_PAST + DUE_TODAY else today + timedelta(days=rng.randint(1, days))
    day_of = {head: due - timedelta(days=days)}
    for i in range(head - 1, -1, -1):
        day_of[i] = day_of[i + 1] - timedelta(days=rng.randint(0, 60))
    for i in range(head + 1, len(rows)):  # a newer screening after the grid
        day_of[i] = day_of[head] + timedelta(days=rng.randint(0, max(0, (today - day_of[head])
                                                                     .days)))
    for i, row in enumerate(rows):
        row.assessed_at = at_local(day_of[i], clock(9 + i, rng.randint(0, 59)))
        row.next_reassessment = day_of[i] + timedelta(days=instrument_get(
            row.instrument_code).level(row.computed_level).reassess_days)
    return rows


def mark_superseded(zone_ids: list[int]) -> int:
    """Since issue 14 the superseded assessments are flagged when the next one is recorded;
    ``bulk_create`` does not, so flag them here (no-op on code without the flag)."""
    if "superseded" not in {f.name for f in RiskAssessment._meta.get_fields()}:
        return 0
    from relais.risk.headline import superseded_ids

    rows = (RiskAssessment.objects.filter(agency_id__in=zone_ids)
            .order_by("case_id", "-assessed_at", "-id")
            .values("pk", "case_id", "instrument_code").iterator(chunk_size=5000))
    ids = superseded_ids(rows)
    for start in range(0, len(ids), 5000):
        RiskAssessment.objects.filter(pk__in=ids[start:start + 5000]).update(superseded=True)
    return len(ids)


def build(zone_of: dict[int, Zone], seed: int, today: date, older: int = 0) -> Counter:
    """Close one case in 33; write the assessments and a history of done tasks."""
    rng = random.Random(seed)
    now = at_local(today, TICK_AT)
    cases = case_rows(zone_of)
    victim_of = victims()
    closed = [pk for index, (pk, _agency) in enumerate(cases) if index % CLOSED_EVERY == 0]
    pools = {code: answer_pool(code, rng) for code in (SCREENING, GRID)}
    assessments = [row for pk, agency_id in cases for row in assessments_of(
        pk, zone_of[agency_id], victim_of[pk], rng, pools, today, older)]
    kinds, weights = zip(*CONTACT_KINDS, strict=True)
    history = []
    for pk, agency_id in cases:
        for _n in range(rng.choice((0, 0, 1, 1, 2))):
            due = now - timedelta(days=rng.uniform(20, 700))
            history.append(Task(
                kind=rng.choices(kinds, weights)[0], case_id=pk, person_id=victim_of[pk],
                agency_id=agency_id, due_at=due, status=TaskStatus.DONE, outcome=Outcome.DONE,
                completed_at=due - timedelta(hours=rng.uniform(0, 48)),
                reminded_at=due if rng.random() < 0.2 else None,
                origin_key=f"{HISTORY}{len(history)}", attempts=rng.randint(1, 3)))
    with transaction.atomic():
        for start in range(0, len(closed), 500):
            Case.objects.filter(pk__in=closed[start:start + 500]).update(
                status=CaseStatus.CLOSED, closed_at=now - timedelta(days=3))
        with explicit(RiskAssessment, "assessed_at"):
            RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
        Task.objects.bulk_create(history, batch_size=2000)
        superseded = mark_superseded(list(zone_of))
    return Counter({"closed cases": len(closed), "assessments": len(assessments),
                    "flagged superseded": superseded, "done tasks (history)": len(history)})


def prepare_followup(zone_of: dict[int, Zone], seed: int, rebuild: bool, today: date,
                     older: int = 0) -> tuple[float | None, Counter]:
    """Build the stored data unless it was built today (its due dates are relative to the
    day it was built). (seconds spent or None, sizes)."""
    zone_ids = list(zone_of)
    bench = RiskAssessment.objects.filter(agency_id__in=zone_ids,
                                          assessor__username__startswith=STAFF)
    newest = bench.aggregate(newest=Max("assessed_at"))["newest"]
    if newest is not None and timezone.localdate(newest) == today and not rebuild:
        return None, Counter()
    print("Building the closed cases, the assessments and the task history...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        Task.objects.filter(agency_id__in=zone_ids).delete()
        bench.delete()
        Case.objects.filter(owner_agency_id__in=zone_ids, status=CaseStatus.CLOSED).update(
            status=CaseStatus.OPEN, closed_at=None)
    sizes = build(zone_of, seed, today, older)
    analyze()
    return time.perf_counter() - started, sizes


def analyze(table: str = "") -> None:
    """On PostgreSQL, what autovacuum would do after a bulk change (the planner's
    statistics); SQLite in production has none, so neither here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}".strip())


# -- the day's open tasks, and what the first tick must do with them --------------------------
@dataclass
class Plan:
    live: list[dict] = field(default_factory=list)  # Task fields
    queue_zone: list[int] = field(default_factory=list)  # indexes in ``live``
    expected: Counter = field(default_factory=Counter)
    sizes: Counter = field(default_factory=Counter)


def headlines(rows: list[dict]) -> dict[int, dict]:
    """The newest full assessment of each case, else its newest screening (the rule of the
    case page; written out again here to check the tick, not taken from it)."""
    best: dict[int, dict] = {}
    for row in sorted(rows, key=lambda r: (r["assessed_at"], r["pk"]), reverse=True):
        current = best.get(row["case_id"])
        screening = row["instrument_code"] == SCREENING
        if current is None or (current["instrument_code"] == SCREENING and not screening):
            best[row["case_id"]] = row
    return best


def plan_tasks(zone_of: dict[int, Zone], seed: int, today: date, queue_tasks: int,
               other_zone_tasks: int) -> Plan:
    """From the stored assessments: open reassessment tasks for most past-due headlines and a
    third of today's, an open task on an older assessment for 2 % of the cases with several
    (superseded), open tasks on a fifth of the closed cases of the other zones, and contact
    tasks: ``other_zone_tasks`` in each other zone, and in the queue zone as many as make
    ``queue_tasks`` open tasks with its reassessments."""
    rng = random.Random(seed + 1)
    now = at_local(today, TICK_AT)
    plan = Plan()
    cases = case_rows(zone_of)
    victim_of = victims()
    closed = set(Case.objects.filter(owner_agency_id__in=list(zone_of),
                                     status=CaseStatus.CLOSED).values_list("pk", flat=True))
    rows = list(RiskAssessment.objects.filter(agency_id__in=list(zone_of)).values(
        "pk", "case_id", "agency_id", "assessor_id", "instrument_code", "computed_level",
        "final_level", "lowered", "confirmed_by_id", "next_reassessment", "assessed_at"))
    head_of = headlines(rows)
    older_of: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if head_of[row["case_id"]]["pk"] != row["pk"]:
            older_of[row["case_id"]].append(row)
    queue_zone = next(pk for pk, zone in zone_of.items() if zone.agency.code == QUEUE_ZONE)

    def add(fields: dict) -> None:
        if fields["agency_id"] == queue_zone:
            plan.queue_zone.append(len(plan.live))
        plan.live.append(fields)

    def level(row: dict) -> str:
        awaiting = row["lowered"] and row["confirmed_by_id"] is None
        return row["computed_level"] if awaiting else row["final_level"]

    def reassessment(row: dict, *, reminded: bool) -> dict:
        due = at_local(row["next_reassessment"], DAY_ENDS_AT)
        active = row["assessor_id"] != zone_of[row["agency_id"]].former.pk
        return {"kind": TaskKind.REASSESSMENT, "case_id": row["case_id"],
                "agency_id": row["agency_id"],
                "assignee_id": row["assessor_id"] if active else None, "due_at": due,
                "priority": priority_of(row["instrument_code"], level(row)),
                "origin_key": f"reassess:{row['pk']}", "source_type": "risk.riskassessment",
                "source_id": str(row["pk"]),
                "reminded_at": due + timedelta(minutes=5) if reminded else None}

    case_priority = {pk: priority_of(row["instrument_code"], level(row))
                     for pk, row in head_of.items()}
    for pk, head in sorted(head_of.items()):
        due = head["next_reassessment"]
        when = "past" if due < today else "today" if due == today else "future"
        plan.sizes[f"headline due {when}" + (" (closed case)" if pk in closed else "")] += 1
        if pk in closed:
            continue
        if (when == "past" and rng.random() < 0.85) or (when == "today"
                                                         and rng.random() < 1 / 3):
            add(reassessment(head, reminded=when == "past" and rng.random() < 0.9))
        elif when != "future":
            plan.expected["created"] += 1
            if at_local(due, DAY_ENDS_AT) <= now:
                plan.expected["reminded"] += 1
        if older_of[pk] and rng.random() < SUPERSEDED:
            add(reassessment(rng.choice(older_of[pk]), reminded=True))
            plan.expected["superseded"] += 1

    kinds, weights = zip(*CONTACT_KINDS, strict=True)

    def contact(pk: int, agency_id: int) -> dict:
        zone = zone_of[agency_id]
        kind = rng.choices(kinds, weights)[0]
        due = now + timedelta(days=rng.uniform(-10, 30))  # a quarter overdue
        draw = rng.random()
        assignee, for_role, unit = None, "", None
        if draw < 0.40:
            assignee, for_role = rng.choice(zone.workers)
        elif draw < 0.75:
            for_role, unit = Role.VICTIM_ASSISTANCE_WORKER, zone.sapv_unit.pk
        else:
            for_role = rng.choice((Role.EVA_OFFICER, Role.NEIGHBOURHOOD_OFFICER))
        return {"kind": kind, "case_id": pk, "person_id": victim_of[pk],
                "agency_id": agency_id, "assignee_id": assignee.pk if assignee else None,
                "for_role": for_role, "unit_id": unit, "due_at": due,
                "priority": case_priority[pk] if pk in case_priority
                else rng.choices((0, 1, 2, 3), (55, 25, 15, 5))[0],
                "attempts": rng.choice((0, 0, 0, 1, 1, 2)),
                "checklist": {code: False for code, _label in DAY2_CHECKLIST}
                if kind == TaskKind.DAY2_CONTACT else {},
                "origin_key": f"bench:{len(plan.live)}", "source_type": "intake.report",
                "reminded_at": due + timedelta(minutes=5)
                if due <= now and rng.random() < 0.8 else None}

    open_of: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in cases:
        if pk not in closed:
            open_of[agency_id].append(pk)
    for agency_id, pks in open_of.items():
        count = other_zone_tasks
        if agency_id == queue_zone:  # up to queue_tasks with its reassessments
            count = queue_tasks - sum(1 for fields in plan.live if fields["agency_id"] == agency_id)
        for _n in range(count):
            add(contact(rng.choice(pks), agency_id))
    for pk, agency_id in cases:  # some closed cases of the other zones have open tasks
        if pk in closed and agency_id != queue_zone and rng.random() < CLOSED_WITH_TASKS:
            for _n in range(rng.choice((1, 2))):
                add(contact(pk, agency_id))
                plan.expected["cancelled"] += 1

    superseded = {f"reassess:{row['pk']}" for rows_ in older_of.values() for row in rows_}
    for fields in plan.live:
        if fields["case_id"] in closed or fields["origin_key"] in superseded:
            continue
        if fields["due_at"] <= now and fields["reminded_at"] is None:
            plan.expected["reminded"] += 1
    plan.sizes["assessments"] = len(rows)
    plan.sizes["open tasks of the day"] = len(plan.live)
    plan.sizes[f"of which in {QUEUE_ZONE}"] = len(plan.queue_zone)
    plan.sizes["of which overdue (at the tick)"] = sum(f["due_at"] <= now for f in plan.live)
    return plan


def reset_tasks(plan: Plan, zone_of: dict[int, Zone], *, queue_tasks: int, seed: int
                ) -> float:
    """Delete the zones' tasks but the history, and write the day's tasks, keeping a random
    ``queue_tasks`` of the queue zone's. Seconds spent."""
    started = time.perf_counter()
    drop: set[int] = set()
    if queue_tasks < len(plan.queue_zone):
        kept = set(random.Random(seed).sample(plan.queue_zone, queue_tasks))
        drop = set(plan.queue_zone) - kept
    with transaction.atomic():
        Task.objects.filter(agency_id__in=list(zone_of)).exclude(
            origin_key__startswith=HISTORY).delete()
        Task.objects.bulk_create([Task(**fields) for i, fields in enumerate(plan.live)
                                  if i not in drop], batch_size=2000)
    analyze(Task._meta.db_table)
    return time.perf_counter() - started


# -- measuring the queue ---------------------------------------------------------------------
def get(client: Client, url: str) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response.content


QUEUE_REQUESTS = {
    "queue, page 1": QUEUE_URL,
    f"queue, page {MIDDLE_PAGE}": f"{QUEUE_URL}&page={MIDDLE_PAGE}",
    "bare, page 1": BARE_URL,
    f"bare, page {MIDDLE_PAGE}": f"{BARE_URL}&page={MIDDLE_PAGE}",
}


def measure_queue(client: Client, rounds: int, warmup: int, show: bool) -> dict:
    """Queries, rows shown, HTML check, and timings of the four requests, in a rotating
    order."""
    names = list(QUEUE_REQUESTS)
    out: dict = {"queries": {}, "rows": {}, "same": {}}
    for name, url in QUEUE_REQUESTS.items():
        out["queries"][name], html = captured(lambda u=url: get(client, u),
                                              f"GET {url}" if show else "")
        out["rows"][name] = html.count(TASK_LINK)
        out.setdefault("html", {})[name] = html
    for page in ("1", str(MIDDLE_PAGE)):
        out["same"][page] = same_page(out["html"][f"queue, page {page}"],
                                      out["html"][f"bare, page {page}"])
    samples: dict[str, list[float]] = {name: [] for name in names}
    for n in range(warmup + rounds):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, _html = timed(lambda u=QUEUE_REQUESTS[name]: get(client, u))
            if n >= warmup:
                samples[name].append(elapsed)
    out["stats"] = {name: summary(values) for name, values in samples.items()}
    return out


# -- measuring the tick ----------------------------------------------------------------------
STEPS = ("_cancel_closed_cases", "_reassessments", "_headlines", "_remind",
         "audit_record_many")


@contextmanager
def step_timers() -> Iterator[Counter]:
    """Milliseconds spent in each step of the tick (module functions wrapped while inside)."""
    spent: Counter = Counter()
    originals = {name: getattr(tick, name) for name in STEPS}

    def wrapped(name: str, function: Callable) -> Callable:
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += (time.perf_counter() - started) * 1000
        return call

    for name, function in originals.items():
        setattr(tick, name, wrapped(name, function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(tick, name, function)


def due_count(today: date) -> int:
    """The baseline: assessments of open cases due by today (one COUNT)."""
    return RiskAssessment.objects.filter(case__status=CaseStatus.OPEN,
                                         next_reassessment__lte=today).count()


def tick_once(now: datetime, spent: Counter, count_queries: bool) -> dict:
    spent.clear()
    mail.outbox = []
    if count_queries:
        started = time.perf_counter()
        queries, report = captured(lambda: tick.followup_tick(now=now))
        elapsed = (time.perf_counter() - started) * 1000
    else:
        elapsed, report = timed(lambda: tick.followup_tick(now=now))
        queries = None
    return {"ms": elapsed, "report": report, "steps": dict(spent), "mails": len(mail.outbox),
            "queries": queries}


def measure_tick(plan: Plan, zone_of: dict[int, Zone], today: date, runs: int,
                 baseline_calls: int, seed: int, queue_tasks: int) -> dict:
    """One untimed run that counts the queries, then ``runs`` timed runs, each from the same
    tasks: tick, tick again, baseline."""
    now = at_local(today, TICK_AT)
    results = []
    baseline: list[float] = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            step_timers() as spent:
        for run in range(runs + 1):
            reset = reset_tasks(plan, zone_of, queue_tasks=queue_tasks, seed=seed)
            first = tick_once(now, spent, count_queries=run == 0)
            second = tick_once(now, spent, count_queries=run == 0)
            done = second["report"]
            if (done.cancelled, done.reassessments_created, done.reassessments_closed,
                    done.reminded) != (0, 0, 0, 0):
                raise SystemExit(f"The second tick did something: {done}")
            if run > 0:
                baseline.extend(timed(lambda: due_count(today))[0]
                                for _n in range(baseline_calls))
            results.append({"reset_s": reset, "first": first, "second": second})
    return {"counting": results[0], "runs": results[1:], "baseline": summary(baseline),
            "due": due_count(today)}


# -- the run ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    seeding, total = prepare_database(args.cases, args.seed)
    static_root = prepare_static()
    zone_of = zones()
    today = timezone.localdate()
    building, built = prepare_followup(zone_of, args.seed, args.rebuild, today, args.history)
    started = time.perf_counter()
    plan = plan_tasks(zone_of, args.seed, today, args.queue_tasks, args.other_zone_tasks)
    planning = time.perf_counter() - started
    reader = next(zone.reference for zone in zone_of.values() if zone.agency.code == QUEUE_ZONE)

    bare = ([path("bare-queue/", bare_queue, name="queue")], "followup")
    overrides = {"ROOT_URLCONF": bench_urlconf("relais_bench_followup_urls", [
        path("bench/", include(bare, namespace="bench"))]).__name__}
    if static_root:
        overrides["STATIC_ROOT"] = static_root
    queue: dict[int, dict] = {}
    resets: dict[int, float] = {}
    with override_settings(**overrides):
        client = verified_client(reader)
        for size in () if args.tick_only else (args.small_queue, args.queue_tasks):
            resets[size] = reset_tasks(plan, zone_of, queue_tasks=size, seed=args.seed)
            open_now = Task.objects.filter(agency=reader.agency, status=TaskStatus.OPEN).count()
            print(f"Timing the queue page with {open_now:,} open tasks in {QUEUE_ZONE}: "
                  f"{args.requests} rounds of 4 requests after {args.warmup}...", flush=True)
            queue[size] = measure_queue(client, args.requests, args.warmup, args.show_queries)
            queue[size]["open"] = open_now

    print(f"Timing followup_tick: 1 run counting queries, then {args.tick_runs} runs...",
          flush=True)
    ticks = measure_tick(plan, zone_of, today, args.tick_runs, args.baseline_calls, args.seed,
                         args.queue_tasks)
    volume = {"cases": Case.objects.count(),
              "closed": Case.objects.filter(status=CaseStatus.CLOSED).count(),
              "assessments": RiskAssessment.objects.count(), "tasks": Task.objects.count(),
              "open tasks": Task.objects.filter(status=TaskStatus.OPEN).count()}
    report(args, total, seeding, building, built, planning, plan, resets, queue, ticks,
           volume, today)


def report(args, total, seeding, building, built, planning, plan, resets, queue, ticks,
           volume, today) -> None:
    print()
    print(f"### Follow-up, {database_label()}, {total:,} cases")
    print()
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; run at {timezone.localtime():%Y-%m-%d %H:%M %Z}; "
          f"load average at the end (1, 5, 15 min): {load_average()}.")
    seeded = f"{seeding:.0f} s" if seeding is not None else "already present"
    stored = (f"built in {building:.0f} s ({', '.join(f'{k} {v:,}' for k, v in built.items())})"
              if building is not None else "reused (built today)")
    print(f"Cases (seed_scale): {seeded}. Closed cases, assessments and history: {stored}. "
          f"Planning the day's tasks: {planning:.1f} s. Writing them: "
          + ", ".join(f"{s:.1f} s (queue zone at {size:,})" for size, s in resets.items())
          + ".")
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in volume.items()) + "; "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(plan.sizes.items())) + ".")
    print()
    if queue:  # not with --tick-only
        print("| request | open tasks in the zone | median (ms) | p95 (ms) | mean (ms) | max (ms) "
              "| queries | rows shown |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for result in queue.values():
            for name in QUEUE_REQUESTS:
                s = result["stats"][name]
                print(f"| {name} | {result['open']:,} | {s['median']:.1f} | {s['p95']:.1f} | "
                      f"{s['mean']:.1f} | {s['max']:.0f} | {result['queries'][name]} | "
                      f"{result['rows'][name]} |")
        print()
        print("| ratio queue / bare | open tasks | median | p95 |")
        print("|---|---:|---:|---:|")
        for result in queue.values():
            for page in ("1", str(MIDDLE_PAGE)):
                real, bare = result["stats"][f"queue, page {page}"], \
                    result["stats"][f"bare, page {page}"]
                print(f"| page {page} | {result['open']:,} | {real['median'] / bare['median']:.2f}"
                      f" | {real['p95'] / bare['p95']:.2f} |")
        print()
        sizes = list(queue)
        same_html = all(all(result["same"].values()) for result in queue.values())
        constant = all(queue[sizes[0]]["queries"][name] == queue[sizes[-1]]["queries"][name]
                       for name in QUEUE_REQUESTS)
        print(f"Same HTML from the queue and the bare view (CSRF tokens and own path masked): "
              f"{'yes' if same_html else 'NO'}. Queries with {queue[sizes[0]]['open']:,} and "
              f"{queue[sizes[-1]]['open']:,} open tasks: "
              f"{'the same' if constant else 'DIFFERENT'}.")
        print()

    runs = ticks["runs"]
    first = [r["first"] for r in runs]
    second = [r["second"] for r in runs]
    base = ticks["baseline"]
    print(f"followup_tick at {at_local(today, TICK_AT):%Y-%m-%d %H:%M %Z}; {len(runs)} timed "
          f"run(s), each from the same tasks; baseline: COUNT of the {ticks['due']:,} "
          f"assessments of open cases due by today, median of {len(runs) * args.baseline_calls}"
          f" calls {base['median']:.1f} ms (p95 {base['p95']:.1f}).")
    print()
    print("| run | writing the tasks (s) | tick 1 (ms) | tick 2 (ms) | cancelled | created | "
          "closed (superseded) | reminded | e-mails |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, result in enumerate(runs, start=1):
        a, b = result["first"], result["second"]
        r = a["report"]
        print(f"| {n} | {result['reset_s']:.1f} | {a['ms']:.0f} | {b['ms']:.0f} | {r.cancelled:,} "
              f"| {r.reassessments_created:,} | {r.reassessments_closed:,} | {r.reminded:,} | "
              f"{a['mails']} |")
    expected = plan.expected
    got = first[0]["report"]
    checks = {"cancelled": got.cancelled, "created": got.reassessments_created,
              "superseded": got.reassessments_closed, "reminded": got.reminded}
    print("| expected from the data | | | | " + " | ".join(
        f"{expected[k]:,}" for k in ("cancelled", "created", "superseded", "reminded")) + " | |")
    print()
    t1 = summary([a["ms"] for a in first])
    t2 = summary([b["ms"] for b in second])
    print("| | median (ms) | min (ms) | max (ms) | ratio to the baseline (medians) | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    counting = ticks["counting"]
    for label, stats, values, queries in (
            ("tick 1 (the day's work)", t1, first, counting["first"]["queries"]),
            ("tick 2 (nothing to do)", t2, second, counting["second"]["queries"])):
        print(f"| {label} | {stats['median']:.0f} | {min(v['ms'] for v in values):.0f} | "
              f"{stats['max']:.0f} | {stats['median'] / base['median']:.0f} | {queries} |")
    print(f"| baseline (COUNT of due assessments) | {base['median']:.1f} | | "
          f"{base['max']:.1f} | 1 | 1 |")
    print()
    print("Where the time goes (median ms per step; `_headlines` is inside `_reassessments`, "
          "`audit_record_many` inside the first three):")
    print()
    print("| step | tick 1 | tick 2 |")
    print("|---|---:|---:|")
    for step in STEPS:
        m1 = summary([a["steps"].get(step, 0.0) for a in first])["median"]
        m2 = summary([b["steps"].get(step, 0.0) for b in second])["median"]
        print(f"| `{step}` | {m1:.0f} | {m2:.0f} |")
    ok = all(checks[k] == expected[k] for k in checks)
    print()
    print(f"First tick against the data: {'as expected' if ok else 'MISMATCH'} "
          f"({', '.join(f'{k} {v:,}' for k, v in checks.items())}); the second tick did "
          "nothing (asserted).")


def main() -> None:
    global_defaults = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=global_defaults)
    parser.add_argument("--cases", type=int, default=100_000,
                        help="cases the database must hold; seeded when fewer")
    parser.add_argument("--queue-tasks", type=int, default=10_000,
                        help=f"open tasks in {QUEUE_ZONE} for the queue page and the tick")
    parser.add_argument("--small-queue", type=int, default=100,
                        help="open tasks in the zone for the first measurement")
    parser.add_argument("--other-zone-tasks", type=int, default=1500,
                        help="open contact tasks in each other zone")
    parser.add_argument("--requests", type=int, default=200,
                        help="timed rounds of the four queue requests")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up rounds")
    parser.add_argument("--tick-runs", type=int, default=3, help="timed runs of the tick pair")
    parser.add_argument("--baseline-calls", type=int, default=7,
                        help="baseline COUNTs after each tick pair")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic data")
    parser.add_argument("--history", type=int, default=0,
                        help="older full assessments before each case's own (superseded, "
                             "long due), when the data is built")
    parser.add_argument("--tick-only", action="store_true", help="time the tick only")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the assessments and history even if built today")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of each queue request once")
    args = parser.parse_args()
    if min(args.requests, args.tick_runs, args.baseline_calls, args.small_queue) < 1 \
            or args.queue_tasks < args.small_queue:
        parser.error("counts must be >= 1 and --queue-tasks >= --small-queue")
    run(args)


if __name__ == "__main__":
    main()
