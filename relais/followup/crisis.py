"""Crisis re-contact: a revisit for every recent victim of the zone, or for its most
vulnerable households, previewed, and undoable.

During the 2020 lockdown zones re-contacted every victim who had complained in the previous six
months (domain brief §3.2). A coordinator (the IPV reference officer) previews what would be
created — who, how urgent, which team, when — creates it in one go, and can undo it: the tasks
still open are cancelled with a reason; those already done stay, with what was recorded.

Its households come either from the recent reports (``source="recent"``) or from the ranked
list of the most vulnerable households (``source="vulnerable"``, relais.followup.vulnerable):
then the preview shows each household's rank and reasons, and each task says them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.access.followup import may_coordinate
from relais.accounts.models import Unit, UnitKind
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.cases.models import Case, CaseStatus, Person
from relais.core.actor import Actor
from relais.core.jobs import Progress, job_start
from relais.core.models import Job
from relais.followup import notes
from relais.followup.models import (
    CrisisBatch,
    CrisisSource,
    Priority,
    Task,
    TaskKind,
    TaskStatus,
)
from relais.followup.rules import at_local, revisit_spec
from relais.followup.services import (
    case_priorities,
    policy_for,
    task_create_from_spec,
)
from relais.followup.vulnerable import (
    DEFAULT_LIMIT,
    DEFAULT_NO_CONTACT_DAYS,
    VulnerableHousehold,
    rank_households,
)
from relais.followup.vulnerable import _validate as _validate_vulnerable
from relais.intake.models import Report

DEFAULT_MONTHS = 6
# Teams that make contacts (not the desk, not dispatch).
CONTACT_UNITS = (UnitKind.VICTIM_ASSISTANCE, UnitKind.NEIGHBOURHOOD, UnitKind.EVA,
                 UnitKind.INTERVENTION, UnitKind.OTHER)
# Days until due, by priority: the most dangerous situations first.
DAYS_BY_PRIORITY = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.RAISED: 3, Priority.NORMAL: 7}


@dataclass(frozen=True)
class CrisisRow:
    case: Case
    person: Person
    priority: int
    unit: Unit | None
    due_at: datetime
    household: VulnerableHousehold | None = None  # its rank's reasons (vulnerable source)

    @property
    def priority_label(self) -> str:
        return str(Priority(self.priority).label)


@dataclass(frozen=True)
class CrisisPlan:
    months: int | None
    since: date | None
    rows: list[CrisisRow]
    already_planned: int  # victims with an open re-contact or revisit already
    source: str = CrisisSource.RECENT
    no_contact_days: int | None = None
    limit: int | None = None

    @property
    def is_vulnerable(self) -> bool:
        return self.source == CrisisSource.VULNERABLE

    def by_unit(self) -> list[tuple[str, int]]:
        counts = Counter(row.unit.name if row.unit else _("(no team)") for row in self.rows)
        return sorted(counts.items())

    def by_priority(self) -> list[tuple[str, int]]:
        counts = Counter(row.priority for row in self.rows)
        return [(str(Priority(p).label), counts[p]) for p in sorted(counts, reverse=True)]


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, 28))


def _require_coordinator(actor: Actor) -> None:
    if not may_coordinate(actor):
        raise Http404


def _validate_months(months: int) -> None:
    if not 1 <= months <= 24:
        raise ValidationError({"months": [_("Choose between 1 and 24 months.")]})


def _contact_units(agency) -> list[Unit]:
    return list(Unit.objects.filter(agency=agency, kind__in=CONTACT_UNITS,
                                    user__is_active=True).distinct().order_by("name"))


def _already_planned(agency, case_ids: set[int]) -> set[tuple[int, int]]:
    return set(Task.objects.filter(
        agency=agency, status=TaskStatus.OPEN,
        kind__in=[TaskKind.CRISIS_RECONTACT, TaskKind.REVISIT],
        case_id__in=case_ids).values_list("case_id", "person_id"))


def _plan_vulnerable(actor: Actor, no_contact_days: int, limit: int) -> CrisisPlan:
    """The most vulnerable households first (their rank, not only their risk, orders the
    list); each due as its risk level says."""
    households, _looked_at = rank_households(actor=actor, no_contact_days=no_contact_days)
    households = [row for row in households if row.score > 0]
    planned = _already_planned(actor.agency, {row.case.pk for row in households})
    free = [row for row in households if (row.case.pk, row.victim.pk) not in planned]
    todo = free[:limit]
    today = timezone.localdate()
    units = _contact_units(actor.agency)
    policy = policy_for(actor.agency)
    rows = [CrisisRow(case=row.case, person=row.victim, priority=row.priority,
                      unit=units[index % len(units)] if units else None,
                      due_at=at_local(today + timedelta(days=DAYS_BY_PRIORITY[row.priority]),
                                      policy.day_ends_at),
                      household=row)
            for index, row in enumerate(todo)]
    return CrisisPlan(months=None, since=None, rows=rows,
                      already_planned=len(households) - len(free),
                      source=CrisisSource.VULNERABLE, no_contact_days=no_contact_days,
                      limit=limit)


def _plan(actor: Actor, months: int) -> CrisisPlan:
    agency = actor.agency
    today = timezone.localdate()
    since = months_before(today, months)
    pairs = list(dict.fromkeys(
        Report.objects.filter(agency=agency, recorded_on__gte=since,
                              case__status=CaseStatus.OPEN, case__owner_agency=agency)
        .order_by("-created_at").values_list("case_id", "victim_id")))
    planned = _already_planned(agency, {c for c, _p in pairs})
    todo = [pair for pair in pairs if pair not in planned]
    cases = Case.objects.in_bulk({c for c, _p in todo})
    persons = Person.objects.in_bulk({p for _c, p in todo})
    priorities = case_priorities(list(cases))
    units = _contact_units(agency)
    ordered = sorted(todo, key=lambda pair: -priorities.get(pair[0], Priority.NORMAL))
    policy = policy_for(agency)
    rows = []
    for index, (case_id, person_id) in enumerate(ordered):
        priority = priorities.get(case_id, Priority.NORMAL)
        due_day = today + timedelta(days=DAYS_BY_PRIORITY[priority])
        rows.append(CrisisRow(
            case=cases[case_id], person=persons[person_id], priority=priority,
            unit=units[index % len(units)] if units else None,
            due_at=at_local(due_day, policy.day_ends_at)))
    return CrisisPlan(months=months, since=since, rows=rows,
                      already_planned=len(pairs) - len(todo))


def _planned(actor: Actor, *, months: int, source: str, no_contact_days: int,
             limit: int) -> CrisisPlan:
    _require_coordinator(actor)
    if source == CrisisSource.VULNERABLE:
        _validate_vulnerable(no_contact_days, limit)
        return _plan_vulnerable(actor, no_contact_days, limit)
    if source != CrisisSource.RECENT:
        raise Http404
    _validate_months(months)
    return _plan(actor, months)


def crisis_preview(*, actor: Actor, months: int = DEFAULT_MONTHS,
                   source: str = CrisisSource.RECENT,
                   no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
                   limit: int = DEFAULT_LIMIT) -> CrisisPlan:
    """What a crisis re-contact would create now (audited read: it lists victims).
    ``source="vulnerable"``: the most vulnerable households, ranked, with their reasons."""
    plan = _planned(actor, months=months, source=source, no_contact_days=no_contact_days,
                    limit=limit)
    audit_record(actor=actor, action=Action.READ,
                 basis=f"crisis re-contact preview ({len(plan.rows)} victims, {plan.source})")
    return plan


def _task_reason(row: CrisisRow, rank: int) -> list:
    if row.household is None:
        return notes.reason("crisis_recontact")
    return [*notes.reason("crisis_vulnerable", rank=rank), *row.household.reason]


@transaction.atomic
def crisis_create(*, actor: Actor, months: int = DEFAULT_MONTHS,
                  source: str = CrisisSource.RECENT,
                  no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
                  limit: int = DEFAULT_LIMIT) -> CrisisBatch:
    """Create the previewed tasks in one batch (one audit event each)."""
    plan = _planned(actor, months=months, source=source, no_contact_days=no_contact_days,
                    limit=limit)
    if not plan.rows:
        raise ValidationError(_("There is no victim to re-contact in this period."))
    batch = CrisisBatch.objects.create(agency=actor.agency, source=plan.source,
                                       months=plan.months,
                                       no_contact_days=plan.no_contact_days,
                                       created_by=actor.user)
    events = _create_tasks(actor, batch, plan.rows, first_rank=1)
    batch.task_count = len(events)
    batch.save(update_fields=["task_count"])
    audit_record(actor=actor, action=Action.CREATE, target=batch,
                 basis=f"crisis re-contact ({len(events)} tasks, {plan.source})")
    return batch


def _create_tasks(actor: Actor, batch: CrisisBatch, rows: list[CrisisRow], *,
                  first_rank: int) -> list:
    """The re-contact tasks of ``rows`` (ranked from ``first_rank``), one audit event each."""
    policy = policy_for(actor.agency)
    events = []
    for rank, row in enumerate(rows, start=first_rank):
        spec = revisit_spec(
            origin_key=f"crisis:{batch.pk}:{row.case.pk}:{row.person.pk}",
            person_id=row.person.pk, policy=policy, due_at=row.due_at,
            kind=TaskKind.CRISIS_RECONTACT, unit_id=row.unit.pk if row.unit else None)
        spec = replace(spec, for_role="", assignee_id=None, reason=_task_reason(row, rank))
        task = task_create_from_spec(spec=spec, case=row.case, agency=actor.agency,
                                     priority=row.priority, created_by=actor.user, batch=batch)
        if task is not None:
            events.append(build_event(actor=actor, action=Action.CREATE, target=task,
                                      case_id=row.case.pk, basis="crisis re-contact"))
    audit_record_many(events)
    return events


@transaction.atomic
def crisis_undo(*, actor: Actor, batch_id: int) -> int:
    """Cancel the batch's tasks still open; returns how many. Done ones stay as recorded."""
    _require_coordinator(actor)
    batch = CrisisBatch.objects.select_for_update().filter(pk=batch_id,
                                                           agency=actor.agency).first()
    if batch is None:
        raise Http404
    if batch.undone_at is not None:
        raise ValidationError(_("This crisis re-contact was already undone."))
    now = timezone.now()
    open_tasks = list(batch.tasks.filter(status=TaskStatus.OPEN).values_list("pk", "case_id"))
    batch.tasks.filter(status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, completed_at=now, completed_by=actor.user,
        cancel_codes=notes.reason("followup.crisis_undone"))
    audit_record_many([build_event(actor=actor, action=Action.UPDATE, case_id=case_id,
                                   basis=f"crisis re-contact undone: task {pk}")
                       for pk, case_id in open_tasks])
    batch.undone_at, batch.undone_by = now, actor.user
    batch.save(update_fields=["undone_at", "undone_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=batch,
                 basis=f"crisis re-contact undone ({len(open_tasks)} tasks cancelled)")
    return len(open_tasks)


def crisis_batches(*, actor: Actor) -> list[CrisisBatch]:
    _require_coordinator(actor)
    return list(CrisisBatch.objects.filter(agency=actor.agency)
                .select_related("created_by", "undone_by")[:20])


# --- Run out of the request, with its progress (relais.core.jobs) --------------------------

JOB_KIND = "followup.crisis_recontact"
STEP = 20  # tasks per transaction: the progress moves, and a cancel stops between steps


def crisis_start(*, actor: Actor, months: int = DEFAULT_MONTHS,
                 source: str = CrisisSource.RECENT,
                 no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
                 limit: int = DEFAULT_LIMIT) -> Job:
    """Start the crisis re-contact as a job: the coordinator follows it, and may stop it."""
    plan = _planned(actor, months=months, source=source, no_contact_days=no_contact_days,
                    limit=limit)
    if not plan.rows:
        raise ValidationError(_("There is no victim to re-contact in this period."))
    return job_start(actor=actor, kind=JOB_KIND, params={
        "months": months, "source": source, "no_contact_days": no_contact_days,
        "limit": limit})


def crisis_run(*, actor: Actor, job: Job, progress: Progress) -> dict:
    """The job: the plan as it stands now, created STEP tasks per transaction. Cancelled, it
    stops between two steps: the tasks made so far stay in the batch (undoable as a whole)."""
    plan = _planned(actor, **job.params)
    progress.set_total(len(plan.rows))
    if not plan.rows:
        return {"created": 0}
    with transaction.atomic():
        batch = CrisisBatch.objects.create(agency=actor.agency, source=plan.source,
                                           months=plan.months,
                                           no_contact_days=plan.no_contact_days,
                                           created_by=actor.user)
        audit_record(actor=actor, action=Action.CREATE, target=batch,
                     basis=f"crisis re-contact started ({len(plan.rows)} victims, "
                           f"{plan.source})")
    created = 0
    try:
        for start in range(0, len(plan.rows), STEP):
            progress.check()
            with transaction.atomic():
                events = _create_tasks(actor, batch, plan.rows[start:start + STEP],
                                       first_rank=start + 1)
                created += len(events)
                CrisisBatch.objects.filter(pk=batch.pk).update(task_count=created)
            progress.advance(len(plan.rows[start:start + STEP]))
    finally:
        audit_record(actor=actor, action=Action.UPDATE, target=batch,
                     basis=f"crisis re-contact ({created} tasks, {plan.source})")
    return {"created": created, "url": reverse("followup:crisis")}


def crisis_job_summary(result: dict) -> str:
    return ngettext("%(count)d re-contact task was created.",
                    "%(count)d re-contact tasks were created.",
                    result.get("created", 0)) % {"count": result.get("created", 0)}
