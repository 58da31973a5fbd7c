"""Every write of the follow-up: tasks from reports, contact attempts, the zone policy.

Each service runs in one transaction, checks access through the policy, and writes its audit
event; e-mails leave after commit and name only the case reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.access.agency import own_agency_object
from relais.access.followup import (
    may_cancel,
    may_set_policy,
    may_take,
    reaches_assigned_only,
    task_scope,
)
from relais.access.scopes import OWNER_ONLY, Scope
from relais.accounts.models import Agency, Role, Unit, UnitKind, User
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_each
from relais.cases.models import Case, CaseAssignment, CaseStatus, SafeContactInstructions
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.core.texts import choice
from relais.core.versions import EditConflict, record_version, version_check
from relais.followup import notes
from relais.followup.models import (
    CLOSING,
    RESCHEDULING,
    ContactAttempt,
    CouldSpeak,
    Neighbourhood,
    Outcome,
    Priority,
    Task,
    TaskKind,
    TaskStatus,
    ZonePolicy,
)
from relais.followup.notes import Reason
from relais.followup.rules import (
    DAY2_CHECKLIST,
    OpenTask,
    ReportFacts,
    TaskSpec,
    later_same_clock,
    merge_with_open,
    report_tasks,
    within_her_hours,
)
from relais.followup.rules import case_priorities as _case_priorities
from relais.notifications.models import NoticeKind
from relais.notifications.services import mail_notice, notice_send, staff_emails

CASE_CLOSED_REASON = notes.reason("followup.case_closed")  # a task's cancel reason



def policy_for(agency: Agency) -> ZonePolicy:
    """The zone's policy (the defaults until its administrator changes them)."""
    policy = ZonePolicy.objects.select_related("revisit_unit").filter(agency=agency).first()
    if policy is None:
        policy, _created = ZonePolicy.objects.get_or_create(agency=agency)
    return policy


def case_priorities(case_ids: list[int]) -> dict[int, int]:
    from relais.risk.models import RiskAssessment

    rows = (RiskAssessment.objects.filter(case_id__in=case_ids).order_by("-assessed_at", "-id")
            .values("case_id", "instrument_code", "computed_level", "final_level", "lowered",
                    "confirmed_by_id"))
    return _case_priorities(rows)


def _pick_holder(agency_id: int, role: str, unit_id: int | None) -> int | None:
    """For a role that sees only its assigned cases (the neighbourhood officer), someone must
    be named: the active holder with the fewest open tasks."""
    if not role or not reaches_assigned_only(frozenset({role})):
        return None
    holders = User.objects.filter(agency_id=agency_id, is_active=True, roles__role=role)
    if unit_id is not None and holders.filter(unit_id=unit_id).exists():
        holders = holders.filter(unit_id=unit_id)
    chosen = (holders.annotate(load=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN)))
              .order_by("load", "pk").values_list("pk", flat=True).first())
    return chosen


def _let_assignee_see(task: Task) -> None:
    """A person who sees only the cases assigned to her is assigned the task's case."""
    if task.assignee_id is None:
        return
    roles = frozenset(task.assignee.roles.values_list("role", flat=True))
    if reaches_assigned_only(roles):
        CaseAssignment.objects.get_or_create(case_id=task.case_id, user_id=task.assignee_id)


def task_create_from_spec(*, spec: TaskSpec, case: Case, agency: Agency, priority: int,
                          created_by: User | None, source: Any = None,
                          follows: Task | None = None, batch: Any = None,
                          origin_checked: bool = False) -> Task | None:
    """Create the task ``spec`` describes, unless its origin already made one (idempotent;
    callers audit). ``origin_checked``: the caller has just found no task of that origin in
    this transaction (a concurrent one is still caught by the origin key's unique index)."""
    if not origin_checked and Task.objects.filter(origin_key=spec.origin_key).exists():
        return None
    assignee_id = spec.assignee_id or _pick_holder(agency.pk, spec.for_role, spec.unit_id)
    task = Task(kind=spec.kind, case=case, person_id=spec.person_id, agency=agency,
                unit_id=spec.unit_id, for_role=spec.for_role, assignee_id=assignee_id,
                due_at=spec.due_at, priority=priority, checklist=spec.checklist,
                policy=spec.policy, reason=spec.reason, origin_key=spec.origin_key,
                source_type=source._meta.label_lower if source is not None else "",
                source_id=str(source.pk) if source is not None else "",
                follows=follows, batch=batch, created_by=created_by)
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        return None  # made meanwhile by a concurrent run
    _let_assignee_see(task)
    return task


def task_create_for(*, actor: Actor, spec: TaskSpec, case: Case, agency: Agency,
                    source: Any, basis: str, priority: int | None = None) -> Task | None:
    """Create, once, a task another part of Relais asks for (a residence ban's serving, an
    alarm's review...), at the case's priority unless given, and audit it; None if its origin
    already made one."""
    if priority is None:
        priority = case_priorities([case.pk]).get(case.pk, Priority.NORMAL)
    task = task_create_from_spec(spec=spec, case=case, agency=agency, priority=priority,
                                 created_by=actor.user, source=source)
    if task is not None:
        audit_record(actor=actor, action=Action.CREATE, target=task, case_id=case.pk,
                     basis=basis)
    return task


def tasks_open_for_source(source: Any, *, kinds: tuple[str, ...] = ()) -> list[Task]:
    """The open tasks ``source`` made (locked for the caller's transaction)."""
    qs = Task.objects.select_for_update().filter(
        source_type=source._meta.label_lower, source_id=str(source.pk), status=TaskStatus.OPEN)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("pk"))


def task_reschedule(*, actor: Actor, task: Task, due_at: datetime, reason: Reason,
                    basis: str) -> None:
    """Move an open task to a new due time (e.g. a ban's expiry after an extension); its
    overdue reminder is sent again if it becomes late again."""
    task.due_at = due_at
    task.reason = reason
    task.reminded_at = None
    task.save(update_fields=["due_at", "reason", "reminded_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 basis=basis)


def tasks_cancel_for_source(*, actor: Actor, source: Any, reason: Reason, basis: str) -> int:
    """Cancel, with a reason (a text of ``relais.core.texts``), every open task ``source``
    made, whichever agency holds it."""
    tasks = tasks_open_for_source(source)
    for task in tasks:
        _cancel(task, codes=reason, actor=actor)
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                     basis=basis)
    return len(tasks)


def _announce(tasks: list[Task]) -> None:
    """One e-mail per person for the new tasks that concern her (kinds and case only)."""
    kinds_by_email: dict[str, list[str]] = {}
    for task in tasks:
        for email in staff_emails(agency_id=task.agency_id, role=task.for_role,
                                  unit_id=task.unit_id, user_id=task.assignee_id):
            kinds_by_email.setdefault(email, []).append(task.kind)
    for email, kinds in kinds_by_email.items():
        labels = [TaskKind(kind).label for kind in dict.fromkeys(kinds)]
        task = tasks[0]
        mail_notice(
            recipients=[email], agency=task.agency,
            what=format_lazy("{}: " + ", ".join(["{}"] * len(labels)),
                             gettext_lazy("New follow-up"), *labels),
            reference=task.case.reference,
            url=public_url(reverse("followup:queue")))


def _zone_units(agency: Agency) -> dict[str, int]:
    return {kind: pk for kind, pk in Unit.objects.filter(agency=agency)
            .order_by("pk").values_list("kind", "pk")}


def _neighbourhood(agency: Agency, postcode: str) -> Neighbourhood | None:
    if not postcode:
        return None
    for neighbourhood in Neighbourhood.objects.filter(agency=agency):
        if postcode in neighbourhood.postcodes:
            return neighbourhood
    return None


def tasks_for_report(*, actor: Actor, report: Any) -> list[Task]:
    """The follow-up a new report calls for (called by ``report_record``, in its transaction).

    When an official report follows an information report on the same case, the open EVA
    call-back is brought forward to today: the follow-up continues without delay.
    """
    agency = report.agency
    policy = policy_for(agency)
    units = _zone_units(agency)
    neighbourhood = _neighbourhood(agency, report.postcode)
    facts = ReportFacts(
        report_id=report.pk, official=report.is_official, recorded_at=report.created_at,
        victim_id=report.victim_id, day2_agreed=report.day2_contact_agreed,
        victim_assistance_unit_id=units.get(UnitKind.VICTIM_ASSISTANCE),
        eva_available=User.objects.filter(agency=agency, is_active=True,
                                          roles__role=Role.EVA_OFFICER).exists(),
        eva_officer_id=neighbourhood.eva_officer_id if neighbourhood else None,
        neighbourhood_officer_id=neighbourhood.neighbourhood_officer_id if neighbourhood else None,
    )
    priority = case_priorities([report.case_id]).get(report.case_id, Priority.NORMAL)
    specs = report_tasks(facts, policy)
    if Task.objects.filter(origin_key__in=[spec.origin_key for spec in specs]).exists():
        return []  # this report's follow-up was planned already (a retried save, a replay)
    specs, joined = merge_with_open(specs, [
        OpenTask(pk=task.pk, kind=task.kind, person_id=task.person_id, due_at=task.due_at)
        for task in Task.objects.filter(case_id=report.case_id, status=TaskStatus.OPEN,
                                        kind__in=[spec.kind for spec in specs])])
    for held, due_at in joined:
        _join_report(actor=actor, task_id=held.pk, report=report, due_at=due_at)
    created = [task for task in (
        task_create_from_spec(spec=spec, case=report.case, agency=agency, priority=priority,
                              created_by=actor.user, source=report, origin_checked=True)
        for spec in specs) if task is not None]
    audit_record_each(actor=actor, action=Action.CREATE, targets=created,
                      case_id=report.case_id, basis="follow-up of a report")
    _announce(created)
    if report.is_official:
        _bring_forward_callbacks(actor=actor, report=report)
    return created


def _join_report(*, actor: Actor, task_id: int, report: Any, due_at: datetime) -> None:
    """An open task a new report also calls for: it stays one task, says so in its reason,
    and is brought forward when the new report needs it sooner."""
    task = Task.objects.select_for_update().get(pk=task_id)
    mention = notes.reason(
        "joined_report", when=timezone.localtime(report.created_at).strftime("%d/%m/%Y %H:%M"))
    joined = mention[0] in task.reason
    if joined and due_at >= task.due_at:
        return  # joined already (a replay)
    fields = ["reason"]
    if not joined:
        task.reason = [*task.reason, *mention]
    if due_at < task.due_at:
        task.due_at, task.reminded_at = due_at, None
        fields += ["due_at", "reminded_at"]
    task.save(update_fields=fields)
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 basis="follow-up of a report: task already open")


def _bring_forward_callbacks(*, actor: Actor, report: Any) -> None:
    now = timezone.now()
    for task in Task.objects.select_for_update().filter(
            case_id=report.case_id, kind=TaskKind.EVA_CALLBACK, status=TaskStatus.OPEN,
            due_at__gt=now):
        task.due_at = now
        task.reason = notes.reason("now_official")
        task.reminded_at = None
        task.save(update_fields=["due_at", "reason", "reminded_at"])
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                     basis="follow-up of a report")


# --- Working on a task -------------------------------------------------------------------------

def _locked_task(actor: Actor, task_id: int) -> Task:
    task = (task_scope(actor).select_for_update(of=("self",)).select_related("case", "agency")
            .filter(pk=task_id).first())
    if task is None:
        raise Http404
    return task


def closed_error(task: Task) -> ValidationError:
    """What the second person to close a task is told."""
    who = task.completed_by.get_full_name() if task.completed_by_id else _("Relais")
    when = timezone.localtime(task.completed_at or task.created_at).strftime("%d/%m/%Y %H:%M")
    if task.status == TaskStatus.CANCELLED:
        return ValidationError(_("This task was cancelled (%(reason)s): nothing was changed.")
                               % {"reason": task.cancel_text}, code="closed")
    return ValidationError(_("%(who)s already closed this task on %(when)s: nothing was "
                             "changed. Open it again to see what was recorded.")
                           % {"who": who, "when": when}, code="closed")


def _cancel(task: Task, *, actor: Actor | None, reason: str = "",
            codes: Reason | None = None) -> None:
    """Cancel with the words a person typed (``reason``) or Relais's own (``codes``)."""
    task.status = TaskStatus.CANCELLED
    task.cancel_reason = reason[:300]
    task.cancel_codes = codes or []
    task.completed_at = timezone.now()
    task.completed_by = actor.user if actor else None
    task.save(update_fields=["status", "cancel_reason", "cancel_codes", "completed_at",
                             "completed_by"])


TASK_VERSION_FIELDS = ("attempts", "due_at", "assignee_id")


def _open_task(actor: Actor, task_id: int, expected_attempts: int | None,
               version: str | None = None) -> Task:
    """The task, locked, still open and as the user saw it; else a clear error."""
    task = _locked_task(actor, task_id)
    if task.status != TaskStatus.OPEN:
        raise closed_error(task)
    if task.case.status == CaseStatus.CLOSED:
        _cancel(task, codes=CASE_CLOSED_REASON, actor=actor)
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                     basis="case closed")
        raise ValidationError(_("The case is closed: the task was cancelled."), code="closed")
    if expected_attempts is not None and task.attempts != expected_attempts:
        raise ValidationError(_("Someone recorded an attempt on this task while you were on "
                                "it: nothing was changed. Read it again before you go on."),
                              code="changed")
    if version is not None and version != task_version(task):
        raise EditConflict(current={
            "attempts": task.attempts,
            "due_at": timezone.localtime(task.due_at).strftime("%d/%m/%Y %H:%M"),
            "assignee": task.assignee.get_full_name() if task.assignee_id else ""},
            version=task_version(task),
            labels={"attempts": _("Attempts recorded"), "due_at": _("Due"),
                    "assignee": _("In the queue of")})
    return task


def task_version(task: Task) -> str:
    """A task's version (relais.core.versions): a recorded attempt, a new due time or another
    holder changes it (a closed task is refused on its own, ``closed_error``)."""
    return record_version(task, TASK_VERSION_FIELDS)


@dataclass(frozen=True)
class ContactResult:
    task: Task
    attempt: ContactAttempt
    further: Task | None = None

    @property
    def rescheduled(self) -> bool:
        return self.task.status == TaskStatus.OPEN


def _contact_errors(task: Task, *, could_speak: str, outcome: str, note: str,
                    reschedule_to: datetime | None, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose what came of it.")]
    if task.is_contact and could_speak not in CouldSpeak.values:
        errors["could_speak_freely"] = [_("Say first whether she could speak freely.")]
    if could_speak == CouldSpeak.NOT_REACHED and outcome in (Outcome.DONE, Outcome.DECLINED):
        errors["outcome"] = [_("She was not reached: the contact cannot be done or declined.")]
    if outcome == Outcome.WOULD_ENDANGER and not note.strip():
        errors["note"] = [_("Say why contacting her would endanger her.")]
    elif task.kind == TaskKind.CONSULTATION_ACTION and outcome != Outcome.DONE \
            and not note.strip():
        errors["note"] = [_("Say why it was not done: the consultation reads it.")]
    if outcome == Outcome.BLOCKED and task.kind != TaskKind.CONSULTATION_ACTION:
        errors["outcome"] = [_("Choose what came of it.")]
    if outcome == Outcome.CONCERN and task.kind != TaskKind.CHILD_CHECK:
        errors["outcome"] = [_("Choose what came of it.")]
    elif outcome == Outcome.CONCERN and not note.strip():
        errors["note"] = [_("Say what worries you about the child.")]
    if reschedule_to is not None and reschedule_to <= now:
        errors["reschedule_to"] = [_("Choose a time in the future.")]
    return errors


@transaction.atomic
def task_record_contact(
    *,
    actor: Actor,
    task_id: int,
    could_speak_freely: str,
    outcome: str,
    note: str = "",
    reschedule_to: datetime | None = None,
    checklist: list[str] | None = None,
    all_fine: bool = False,
    expected_attempts: int | None = None,
    note_codes: Reason | None = None,
    version: str | None = None,
) -> ContactResult:
    """Record one try at a task (``note``: her words; ``note_codes``: Relais's own, e.g. served
    on the ban, shown in the reader's language).

    "She could not speak freely" always reschedules (the task is never closed on it), and so
    does "unreachable"; the other outcomes close the task. "Everything is fine" on a high-risk
    case closes it with a further contact planned, since it may be said under pressure.
    Two people closing the same task: the first wins, the second gets a clear error.
    """
    task = _open_task(actor, task_id, expected_attempts, version)
    now = timezone.now()
    if could_speak_freely == CouldSpeak.NO:
        outcome = Outcome.NOT_FREE
    elif outcome == Outcome.NOT_FREE:
        could_speak_freely = CouldSpeak.NO
    errors = _contact_errors(task, could_speak=could_speak_freely, outcome=outcome, note=note,
                             reschedule_to=reschedule_to, now=now)
    if errors:
        raise ValidationError(errors)
    policy = policy_for(task.agency)
    attempt = ContactAttempt.objects.create(
        task=task, by=actor.user, could_speak_freely=could_speak_freely, outcome=outcome,
        all_fine=all_fine and outcome == Outcome.DONE, note=note.strip())
    task.attempts += 1
    further = None
    if outcome in RESCHEDULING:
        task.due_at = reschedule_to or _default_retry(task, now, policy)
        task.reminded_at = None
        attempt.rescheduled_to = task.due_at
        attempt.save(update_fields=["rescheduled_to"])
    else:
        task.status, task.outcome = TaskStatus.DONE, outcome
        task.outcome_note = note.strip()
        task.outcome_codes = note_codes or []
        task.completed_at, task.completed_by = now, actor.user
        if checklist is not None and task.checklist:
            task.checklist = {code: code in checklist for code, _label in DAY2_CHECKLIST}
    task.save()
    if outcome == Outcome.DONE and attempt.all_fine and task.priority >= Priority.HIGH:
        further = _further_contact(actor=actor, task=task, attempt=attempt, policy=policy)
    if (task.kind == TaskKind.REVISIT and outcome in CLOSING
            and task.policy.get("notify_sapv")):
        notice_send(actor=actor, agency=task.agency, for_role=Role.VICTIM_ASSISTANCE_WORKER,
                    case=task.case, kind=NoticeKind.REVISIT_DONE, source=task)
    timeline_add(case=task.case, kind="followup_contact", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, source=task,
                 text=notes.reason("followup.contact",
                                   kind=choice("followup.task_kind", task.kind),
                                   outcome=choice("followup.outcome", outcome)))
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 scopes=[Scope.CONTACT], basis=f"follow-up: {outcome}")
    if not task.is_open:
        hooks.run("task_closed", actor=actor, task=task)
    return ContactResult(task=task, attempt=attempt, further=further)


def _default_retry(task: Task, now: datetime, policy: ZonePolicy) -> datetime:
    """The zone's retry delay, moved into the hours she gave for being contacted."""
    retry = now + timedelta(hours=policy.retry_after_hours)
    safe = SafeContactInstructions.objects.filter(person_id=task.person_id).first() \
        if task.person_id else None
    return within_her_hours(retry, safe.hours) if safe else retry


def _further_contact(*, actor: Actor, task: Task, attempt: ContactAttempt,
                     policy: ZonePolicy) -> Task | None:
    spec = TaskSpec(
        kind=TaskKind.FURTHER_CONTACT, origin_key=f"further:{task.pk}:{attempt.pk}",
        due_at=later_same_clock(timezone.now(), days=policy.further_contact_days),
        person_id=task.person_id, for_role=task.for_role, unit_id=task.unit_id,
        assignee_id=task.assignee_id, policy=task.policy,
        reason=notes.reason("all_fine_high_risk"))
    further = task_create_from_spec(spec=spec, case=task.case, agency=task.agency,
                                    priority=task.priority, created_by=actor.user, follows=task)
    if further is not None:
        audit_record(actor=actor, action=Action.CREATE, target=further, case_id=task.case_id,
                     basis="further contact after \"everything is fine\" on a high-risk case")
    return further


@transaction.atomic
def task_take(*, actor: Actor, task_id: int, version: str | None = None) -> Task:
    """Put an open task in the actor's own queue (over ``version``, when the caller read it)."""
    task = _open_task(actor, task_id, None, version)
    if not may_take(actor, task):
        raise Http404
    task.assignee = actor.user
    task.save(update_fields=["assignee"])
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 basis="task taken")
    return task


@transaction.atomic
def task_cancel(*, actor: Actor, task_id: int, reason: str, version: str | None = None) -> Task:
    """A coordinator, or the person the task is assigned to, cancels it with a reason (over
    ``version``, when the caller read it)."""
    task = _open_task(actor, task_id, None, version)
    if not may_cancel(actor, task):
        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the task is cancelled.")]})
    _cancel(task, reason=reason.strip(), actor=actor)
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 basis="task cancelled")
    hooks.run("task_closed", actor=actor, task=task)
    return task


# --- Reacting to the rest of Relais (registered in apps.py) ------------------------------------

def cancel_on_case_closed(*, actor: Actor, case: Case) -> None:
    """A closed case has nothing left to follow up: its open tasks are cancelled, with why."""
    for task in Task.objects.select_for_update().filter(case=case, status=TaskStatus.OPEN):
        _cancel(task, codes=CASE_CLOSED_REASON, actor=actor)
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=case.pk,
                     basis="case closed")


def hand_over_on_transfer(*, actor: Actor, transfer: Any) -> None:
    """A case handed over to another agency (relais.transfers): the former owner's open tasks on
    it go to the new owner's teams, unassigned (its own coordinators assign them), with why."""
    tasks = Task.objects.select_for_update().filter(
        case_id=transfer.case_id, status=TaskStatus.OPEN, agency_id=transfer.from_agency_id)
    for task in tasks:
        task.agency_id = transfer.to_agency_id
        task.unit = None
        task.assignee = None
        task.reason = [*(task.reason or []),
                       *notes.reason("transferred_from", agency=transfer.from_agency.name)]
        task.save(update_fields=["agency", "unit", "assignee", "reason"])
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                     basis="task handed over with the case (transfer)")


@transaction.atomic(savepoint=False)  # a hook inside the assessment's transaction
def reprioritise_on_assessment(*, actor: Actor, assessment: Any) -> None:
    """The open tasks of a case follow its risk level.

    One audit event per task changed (``update`` on ``followup.task``, basis naming the new
    priority and the assessment): whoever reads a task's history, or the case's access log,
    finds why its priority moved without joining anything. A case has a handful of open tasks,
    so the events are few; they are inserted in one statement.
    """
    priority = case_priorities([assessment.case_id]).get(assessment.case_id, Priority.NORMAL)
    changed = list(Task.objects.select_for_update().filter(
        case_id=assessment.case_id, status=TaskStatus.OPEN).exclude(priority=priority)
        .only("pk"))
    if not changed:
        return
    Task.objects.filter(pk__in=[task.pk for task in changed]).update(priority=priority)
    audit_record_each(actor=actor, action=Action.UPDATE, targets=changed,
                      case_id=assessment.case_id,
                      basis=f"priority {Priority(priority).name.lower()} after risk assessment "
                            f"{assessment.pk}")


# --- The zone's policy ---------------------------------------------------------------------

POLICY_FIELDS = ("day_ends_at", "day2_delay_days", "eva_callback_days", "revisit_enabled",
                 "revisit_delay_days", "revisit_format", "revisit_by", "revisit_unit",
                 "notify_sapv_of_revisit", "retry_after_hours", "further_contact_days",
                 "first_contact_target_hours")


def policy_version(policy: ZonePolicy) -> str:
    """The policy's version for its edit form (relais.core.versions)."""
    return record_version(policy, POLICY_FIELDS)


@transaction.atomic
def policy_update(*, actor: Actor, version: str | None = None, **fields: Any) -> ZonePolicy:
    """The zone's administrator sets its follow-up policy; tasks made later follow it.
    ``version``: the policy's version as she read it; saved over since, ``EditConflict``."""
    if not may_set_policy(actor):
        raise Http404
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unexpected policy fields: {sorted(unknown)}")
    policy = ZonePolicy.objects.select_for_update().filter(agency=actor.agency).first() \
        or ZonePolicy(agency=actor.agency)
    version_check(policy, POLICY_FIELDS, version)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean(exclude=["agency", "updated_by"])
    policy.version = (policy.version or 0) + (1 if policy.pk else 0)
    policy.updated_by = actor.user
    policy.save()
    audit_record(actor=actor, action=Action.UPDATE, target=policy,
                 basis=f"follow-up policy v{policy.version}")
    return policy


NEIGHBOURHOOD_FIELDS = ("name", "postcodes", "eva_officer_id", "neighbourhood_officer_id")


def neighbourhood_version(neighbourhood: Neighbourhood) -> str:
    """A neighbourhood's version for its edit form (relais.core.versions)."""
    return record_version(neighbourhood, NEIGHBOURHOOD_FIELDS)


@transaction.atomic
def neighbourhood_save(*, actor: Actor, name: str, postcodes: list[str],
                       eva_officer_id: int | None, neighbourhood_officer_id: int | None,
                       neighbourhood_id: int | None = None,
                       version: str | None = None) -> Neighbourhood:
    """Name a neighbourhood of the zone by its postcodes, with its EVA representative and
    neighbourhood officer (information reports there go to them). ``version``: the
    neighbourhood's as she read it (a change); saved over since, ``EditConflict``."""
    if not may_set_policy(actor):
        raise Http404
    if neighbourhood_id is not None:
        neighbourhood = own_agency_object(Neighbourhood.objects.select_for_update(),
                                          actor=actor, pk=neighbourhood_id, allowed=True)
        version_check(neighbourhood, NEIGHBOURHOOD_FIELDS, version)
    else:
        neighbourhood = Neighbourhood(agency=actor.agency)
    errors: dict[str, list[str]] = {}
    staff = User.objects.filter(agency=actor.agency, is_active=True)
    for field, user_id, role in (("eva_officer", eva_officer_id, Role.EVA_OFFICER),
                                 ("neighbourhood_officer", neighbourhood_officer_id,
                                  Role.NEIGHBOURHOOD_OFFICER)):
        if user_id is not None and not staff.filter(pk=user_id, roles__role=role).exists():
            errors[field] = [_("Choose a member of your zone who holds this role.")]
    if not postcodes:
        errors["postcodes"] = [_("Give at least one postcode.")]
    if errors:
        raise ValidationError(errors)
    neighbourhood.name = name.strip()
    neighbourhood.postcodes = sorted(set(postcodes))
    neighbourhood.eva_officer_id = eva_officer_id
    neighbourhood.neighbourhood_officer_id = neighbourhood_officer_id
    neighbourhood.full_clean(exclude=["agency"])
    neighbourhood.save()
    audit_record(actor=actor, action=Action.UPDATE, target=neighbourhood,
                 basis="follow-up neighbourhoods")
    return neighbourhood
