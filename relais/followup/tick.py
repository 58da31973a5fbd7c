"""The periodic pass (``./dev manage followup_tick``): what has become due, and reminders.

Idempotent: run it every few minutes; a second run in a row changes nothing. It
- cancels the open tasks of closed cases (with the reason);
- creates the risk reassessment of each open case whose newest assessment comes due, at the
  date its level set, for the assessor; closes it when a newer assessment is recorded;
- e-mails a reminder once for each task that has become overdue (counts and a link only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.accounts.models import Agency, User
from relais.audit.models import Action
from relais.audit.services import audit_record_many, build_event
from relais.cases.models import CaseStatus
from relais.core.links import public_url
from relais.core.singleton import single_instance
from relais.followup import notes
from relais.followup.models import Outcome, Task, TaskKind, TaskStatus, ZonePolicy
from relais.followup.rules import at_local, priority_of
from relais.followup.services import CASE_CLOSED_REASON
from relais.notifications.mail import mail_queue
from relais.risk.headline import headlines, row_level
from relais.risk.models import RiskAssessment

BATCH = 2000


@dataclass
class TickReport:
    cancelled: int = 0
    reassessments_created: int = 0
    reassessments_closed: int = 0
    reminded: int = 0
    skipped: bool = False  # another tick was running: this one did nothing

    def __str__(self) -> str:
        if self.skipped:
            return "another followup_tick is running: nothing done"
        return (f"cancelled {self.cancelled} task(s) of closed cases, created "
                f"{self.reassessments_created} reassessment(s), closed "
                f"{self.reassessments_closed} superseded, reminded {self.reminded} overdue")


def followup_tick(*, now: datetime | None = None) -> TickReport:
    """One pass; only one runs at a time (on any machine): a second one finds the job taken
    and returns at once, ``skipped``."""
    with single_instance("followup_tick") as mine:
        if not mine:
            return TickReport(skipped=True)
        return _tick(now or timezone.now())


def _tick(now: datetime) -> TickReport:
    report = TickReport()
    with transaction.atomic():
        report.cancelled = _cancel_closed_cases(now)
    with transaction.atomic():
        report.reassessments_created, report.reassessments_closed = _reassessments(now)
    with transaction.atomic():
        report.reminded = _remind(now)
    return report


def _events(rows: list[tuple[Any, int]], basis: str) -> None:
    audit_record_many([build_event(actor=None, action=Action.UPDATE, target=task,
                                   case_id=case_id, basis=basis, username="followup_tick")
                       for task, case_id in rows])


def _cancel_closed_cases(now: datetime) -> int:
    tasks = list(Task.objects.select_for_update(of=("self",)).filter(
        status=TaskStatus.OPEN, case__status=CaseStatus.CLOSED).only("pk", "case_id"))
    if not tasks:
        return 0
    _update([t.pk for t in tasks], status=TaskStatus.CANCELLED,
            cancel_codes=CASE_CLOSED_REASON, completed_at=now)
    _events([(task, task.case_id) for task in tasks], "follow-up tick: case closed")
    return len(tasks)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _update(pks: list[int], **fields: Any) -> None:
    for chunk in _chunks(pks):
        Task.objects.filter(pk__in=chunk).update(**fields)


def _headlines(due_by) -> dict[int, dict]:
    """The headline assessment (the newest full one, else the newest screening) of each open
    case that has an open reassessment task or an assessment due by ``due_by``. Only the
    current assessments are read (``risk_current_due_idx``): the superseded ones can never be
    the headline, so the cost follows the day's work, not the history."""
    base = RiskAssessment.objects.filter(case__status=CaseStatus.OPEN, superseded=False)
    with_task = Task.objects.filter(kind=TaskKind.REASSESSMENT,
                                    status=TaskStatus.OPEN).order_by().values("case_id")
    due_cases = base.filter(next_reassessment__lte=due_by).order_by().values("case_id")
    # One IN over the UNION (PostgreSQL hashes it) rather than IN ... OR IN ..., which it
    # planned as a filter re-running a subquery per assessment at 1,000,000 cases.
    rows = (base.filter(case_id__in=with_task.union(due_cases))
            .order_by("case_id", "-assessed_at", "-id")
            .values("pk", "case_id", "agency_id", "assessor_id", "instrument_code",
                    "computed_level", "final_level", "lowered", "confirmed_by_id",
                    "next_reassessment"))
    return dict(headlines(rows.iterator(chunk_size=BATCH)))


def _reassessments(now: datetime) -> tuple[int, int]:
    today = timezone.localdate(now)
    open_tasks = {int(t["source_id"]): t for t in Task.objects.filter(
        kind=TaskKind.REASSESSMENT, status=TaskStatus.OPEN).values("pk", "case_id", "source_id")}
    headlines = _headlines(today)
    current_ids = {row["pk"] for row in headlines.values()}

    # A newer assessment was recorded: the reassessment is done.
    superseded = [t for source, t in open_tasks.items() if source not in current_ids]
    if superseded:
        _update([t["pk"] for t in superseded], status=TaskStatus.DONE, outcome=Outcome.DONE,
                completed_at=now, outcome_codes=notes.reason("followup.newer_assessment"))
        _events([(Task(pk=t["pk"]), t["case_id"]) for t in superseded],
                "follow-up tick: reassessed")

    due = [row for row in headlines.values() if row["next_reassessment"] <= today]
    keys = {f"reassess:{row['pk']}": row for row in due}
    existing = set()
    for chunk in _chunks(list(keys)):
        existing.update(Task.objects.filter(origin_key__in=chunk)
                        .values_list("origin_key", flat=True))
    policies = {p.agency_id: p for p in ZonePolicy.objects.filter(
        agency_id__in={row["agency_id"] for row in due})}
    active = set(User.objects.filter(is_active=True).values_list("pk", "agency_id"))
    new = []
    for key, row in keys.items():
        if key in existing:
            continue
        policy = policies.get(row["agency_id"]) or ZonePolicy()
        level = row_level(row)
        assessor = row["assessor_id"] if (row["assessor_id"], row["agency_id"]) in active \
            else None
        new.append(Task(
            kind=TaskKind.REASSESSMENT, case_id=row["case_id"], agency_id=row["agency_id"],
            assignee_id=assessor, due_at=at_local(row["next_reassessment"], policy.day_ends_at),
            priority=priority_of(row["instrument_code"], level), origin_key=key,
            source_type="risk.riskassessment", source_id=str(row["pk"])))
    Task.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    made = [task for chunk in _chunks([t.origin_key for t in new])
            for task in Task.objects.filter(origin_key__in=chunk).only("pk", "case_id")]
    audit_record_many([build_event(actor=None, action=Action.CREATE, target=task,
                                   case_id=task.case_id, basis="follow-up tick: reassessment",
                                   username="followup_tick") for task in made])
    return len(made), len(superseded)


def _remind(now: datetime) -> int:
    """One e-mail per person with the number of her tasks newly overdue."""
    tasks = list(Task.objects.select_for_update(skip_locked=True).filter(
        status=TaskStatus.OPEN, due_at__lte=now, reminded_at__isnull=True)
        .values("pk", "agency_id", "assignee_id", "for_role", "unit_id"))
    if not tasks:
        return 0
    by_person: dict[int, int] = defaultdict(int)
    pools: dict[tuple[int, str, int | None], int] = defaultdict(int)
    for task in tasks:
        if task["assignee_id"]:
            by_person[task["assignee_id"]] += 1
        else:
            pools[(task["agency_id"], task["for_role"], task["unit_id"])] += 1
    for (agency_id, role, unit_id), count in pools.items():
        holders = User.objects.filter(agency_id=agency_id, is_active=True)
        if role:
            holders = holders.filter(roles__role=role)
        if unit_id:
            holders = holders.filter(unit_id=unit_id)
        for pk in holders.values_list("pk", flat=True).distinct():
            by_person[pk] += count
    users = User.objects.filter(pk__in=list(by_person)).exclude(email="").select_related(
        "agency")
    url = public_url(reverse("followup:queue"))
    for user in users:
        agency: Agency | None = user.agency
        with translation.override(agency.languages[0] if agency and agency.languages else "fr"):
            count = by_person[user.pk]
            subject = ngettext("Relais: %(count)d follow-up task is overdue",
                               "Relais: %(count)d follow-up tasks are overdue",
                               count) % {"count": count}
            body = _("Open your work queue: %(url)s") % {"url": url}
        mail_queue(subject=subject, message=body, recipients=[user.email])
    _update([t["pk"] for t in tasks], reminded_at=now)
    return len(tasks)
