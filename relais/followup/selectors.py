"""Reading the follow-up: work queues, the calendar, one task with what the caller needs to
call safely, the case's tasks, and the first-contact indicator.

Tasks are seen by the staff of the agency they belong to, on cases the access policy opens to
them (``task_scope``); everything else answers 404.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as When_
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.agency import own_agency_object
from relais.access.cases import CaseAccess, case_access, visible_cases
from relais.access.figures import refused_q
from relais.access.followup import may_cancel, may_see_indicator, may_set_policy, task_scope
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Address, Case, CaseParticipant, Person, PhoneNumber
from relais.core.actor import Actor
from relais.followup.models import (
    FIRST_CONTACT_KINDS,
    Neighbourhood,
    Outcome,
    RevisitBy,
    RevisitFormat,
    Task,
    TaskStatus,
    ZonePolicy,
)
from relais.followup.rules import DAY2_CHECKLIST, at_local, local_day
from relais.followup.services import policy_for
from relais.intake.models import Report

QUEUES = ("mine", "team", "zone")
PER_PAGE = 50


def _queue_filter(actor: Actor, queue: str) -> Q:
    if queue == "mine":
        return Q(assignee_id=actor.user_id)
    if queue == "team":
        team = Q(for_role__in=sorted(actor.roles)) | Q(assignee_id=actor.user_id)
        if actor.user.unit_id:
            team |= Q(unit_id=actor.user.unit_id)
        return team
    return Q()


def _with_overdue(qs: QuerySet[Task], now: datetime) -> QuerySet[Task]:
    return qs.annotate(overdue=When_(When(due_at__lt=now, then=Value(1)), default=Value(0),
                                     output_field=IntegerField()))


@dataclass(frozen=True)
class QueuePage:
    queue: str
    tasks: list[Task]
    total: int
    overdue: int
    page: int
    pages: int


def task_rows(*, actor: Actor, queue: str = "mine",
              status: str = TaskStatus.OPEN) -> QuerySet[Task]:
    """The tasks of one queue (mine, my team's, the zone's) in one status; 404 for another
    queue. Not audited: the queue and the API audit each page they show."""
    if queue not in QUEUES:
        raise Http404
    return task_scope(actor).filter(_queue_filter(actor, queue), status=status)


def task_queue(*, actor: Actor, queue: str = "mine", page: int = 1,
               per_page: int = PER_PAGE) -> QueuePage:
    """Open tasks of one queue: overdue first, then the most dangerous, then the soonest due.

    A constant number of queries whatever the queue's length; audited as one read.
    """
    now = timezone.now()
    qs = task_rows(actor=actor, queue=queue)
    counts = qs.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    total, overdue = counts["total"], counts["overdue"]
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    # The page's ids first (sorted on the task table alone), then those rows with their joins.
    ids = list(_with_overdue(qs, now).order_by("-overdue", "-priority", "due_at", "pk")
               .values_list("pk", flat=True)[(page - 1) * per_page:page * per_page])
    rows = Task.objects.select_related("case", "person", "assignee", "unit").in_bulk(ids)
    tasks = [rows[pk] for pk in ids]
    for task in tasks:
        task.overdue = task.due_at < now
    audit_record(actor=actor, action=Action.READ,
                 basis=f"work queue {queue} ({len(tasks)} of {total} tasks)")
    return QueuePage(queue=queue, tasks=tasks, total=total, overdue=overdue, page=page,
                     pages=pages)


def tasks_due_today(*, actor: Actor, limit: int = PER_PAGE) -> QueuePage:
    """Her agency's open tasks due by the end of today (Brussels time), overdue first, then the
    most dangerous, then the soonest due: the deadlines on the zone's page of the day.

    The same scope as the queues (``task_scope``); a constant number of queries; audited as
    one read."""
    now = timezone.now()
    end = at_local(local_day(now) + timedelta(days=1), datetime.min.time())
    qs = task_scope(actor).filter(status=TaskStatus.OPEN, due_at__lt=end)
    counts = qs.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    ids = list(_with_overdue(qs, now).order_by("-overdue", "-priority", "due_at", "pk")
               .values_list("pk", flat=True)[:limit])
    rows = Task.objects.select_related("case", "person", "assignee", "unit").in_bulk(ids)
    tasks = [rows[pk] for pk in ids]
    for task in tasks:
        task.overdue = task.due_at < now
    audit_record(actor=actor, action=Action.READ,
                 basis=f"deadlines of today ({len(tasks)} of {counts['total']} tasks)")
    return QueuePage(queue="today", tasks=tasks, total=counts["total"],
                     overdue=counts["overdue"], page=1, pages=1)


def task_queue_rows(*, actor: Actor, queue: str = "mine",
                    chunk_size: int = 500) -> Iterator[Task]:
    """Every open task of one queue in the queue's order, read in chunks by a server-side
    cursor (the export; ``relais.core.exports.export_response`` audits it)."""
    if queue not in QUEUES:
        raise Http404
    now = timezone.now()
    qs = (_with_overdue(task_scope(actor).filter(_queue_filter(actor, queue),
                                                 status=TaskStatus.OPEN), now)
          .order_by("-overdue", "-priority", "due_at", "pk")
          .select_related("case", "person", "assignee", "unit"))
    return (task for task in qs.iterator(chunk_size=chunk_size))


def has_own_tasks(*, actor: Actor) -> bool:
    return task_scope(actor).filter(assignee_id=actor.user_id, status=TaskStatus.OPEN).exists()


def open_task_count(*, actor: Actor) -> int:
    """Overdue tasks in the actor's own queue (the menu badge)."""
    if actor.agency_id is None:
        return 0
    return task_scope(actor).filter(assignee_id=actor.user_id, status=TaskStatus.OPEN,
                                    due_at__lt=timezone.now()).count()


@dataclass(frozen=True)
class CalendarWeek:
    monday: date
    days: list[tuple[date, list[Task]]]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def task_calendar(*, actor: Actor, queue: str, day: date) -> CalendarWeek:
    """The tasks due in the week of ``day`` (Monday to Sunday, Brussels time)."""
    if queue not in QUEUES:
        raise Http404
    monday = day - timedelta(days=day.weekday())
    start, end = at_local(monday, datetime.min.time()), \
        at_local(monday + timedelta(days=7), datetime.min.time())
    tasks = list(task_scope(actor).filter(_queue_filter(actor, queue), due_at__gte=start,
                                          due_at__lt=end)
                 .exclude(status=TaskStatus.CANCELLED)
                 .select_related("case", "person", "assignee").order_by("due_at", "pk")[:1000])
    days = [(monday + timedelta(days=i), []) for i in range(7)]
    for task in tasks:
        days[(local_day(task.due_at) - monday).days][1].append(task)
    audit_record(actor=actor, action=Action.READ,
                 basis=f"follow-up calendar {queue} ({len(tasks)} tasks)")
    return CalendarWeek(monday=monday, days=days)


@dataclass(frozen=True)
class HistoryRow:
    case: Case
    linked_by: str  # "person" or "address"
    reports: list[Report]


@dataclass
class TaskView:
    task: Task
    access: CaseAccess
    sees_contact: bool
    safe_contact: object | None = None
    intake: Report | None = None  # the report she was heard in ("could she speak freely?")
    phones: list[PhoneNumber] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    checklist: list[tuple[str, str, bool]] = field(default_factory=list)
    attempts: list = field(default_factory=list)
    policy: ZonePolicy | None = None
    may_cancel: bool = False

    @property
    def overdue(self) -> bool:
        return self.task.is_open and self.task.due_at < timezone.now()

    @property
    def policy_summary(self) -> str:
        """The zone's revisit policy the task was made under, in words."""
        policy = self.task.policy
        if not policy:
            return ""
        parts = [_("version %(version)s") % {"version": policy.get("version", 1)},
                 str(dict(RevisitFormat.choices).get(policy.get("revisit_format"), "")),
                 _("by %(who)s") % {"who": policy.get("revisit_unit")
                                     or str(dict(RevisitBy.choices).get(policy.get("revisit_by"),
                                                                        "")).lower()}]
        if policy.get("notify_sapv"):
            parts.append(_("the victim-assistance service is notified of each revisit"))
        return "; ".join(part for part in parts if part)


def _history(actor: Actor, task: Task, sees_contact: bool) -> list[HistoryRow]:
    """Earlier cases of the same person, and — when the caller sees addresses — of the same
    address, among the cases the actor may open (for the EVA call-back)."""
    if task.person_id is None:
        return []
    person = task.person
    same_person = Q(participants__person_id=person.pk)
    if person.national_number:
        same_person |= Q(participants__person__national_number=person.national_number)
    linked: dict[int, str] = {pk: "person" for pk in visible_cases(actor).filter(same_person)
                              .exclude(pk=task.case_id).values_list("pk", flat=True)}
    if sees_contact:
        places = list(Address.objects.filter(person_id=person.pk, confidential=False)
                      .values_list("street", "postcode"))
        if places:
            at_place = Q()
            for street, postcode in places:
                at_place |= Q(street__iexact=street, postcode=postcode)
            residents = Address.objects.filter(at_place, confidential=False).values("person_id")
            for pk in visible_cases(actor).filter(participants__person_id__in=residents) \
                    .exclude(pk=task.case_id).values_list("pk", flat=True):
                linked.setdefault(pk, "address")
    cases = Case.objects.in_bulk(list(linked))
    reports: dict[int, list[Report]] = {}
    for report in Report.objects.filter(case_id__in=list(linked)).order_by("-created_at"):
        reports.setdefault(report.case_id, []).append(report)
    rows = [HistoryRow(case=cases[pk], linked_by=how, reports=reports.get(pk, []))
            for pk, how in linked.items()]
    rows.sort(key=lambda row: row.case.opened_at, reverse=True)
    return rows


def _intake_of(task: Task) -> Report | None:
    """The report whose interview answers "could she speak freely?" for this task: the one
    that made it, else her newest report on the case."""
    reports = Report.objects.filter(case_id=task.case_id, victim_id=task.person_id)
    if task.source_type == Report._meta.label_lower:
        made_it = reports.filter(pk=task.source_id).first()
        if made_it is not None:
            return made_it
    return reports.order_by("-created_at", "-id").first()


def task_get(*, actor: Actor, task_id: int) -> TaskView:
    """One task with what is needed to contact her safely: her safe-contact instructions and
    safe numbers (contact scope), the zone's policy, the checklist, earlier attempts and the
    history of her person and address. Audited."""
    task = (task_scope(actor).select_related("case", "person", "agency", "assignee", "unit",
                                             "completed_by", "follows")
            .filter(pk=task_id).first())
    if task is None:
        raise Http404
    access = case_access(actor=actor, case_id=task.case_id)
    role = (CaseParticipant.objects.filter(case_id=task.case_id, person_id=task.person_id)
            .values_list("role", flat=True).first()) if task.person_id else None
    sees_contact = bool(role) and Scope.CONTACT in access.person_scopes(role, task.person_id)
    view = TaskView(task=task, access=access, sees_contact=sees_contact,
                    policy=policy_for(task.agency),
                    attempts=list(task.contact_attempts.select_related("by")),
                    may_cancel=may_cancel(actor, task))
    if sees_contact:
        person: Person = task.person
        view.safe_contact = getattr(person, "safe_contact", None)
        view.phones = sorted(person.phones.all(), key=lambda p: not p.safe)
        view.intake = _intake_of(task)
    view.history = _history(actor, task, sees_contact)
    if task.checklist:
        view.checklist = [(code, str(label), bool(task.checklist.get(code)))
                          for code, label in DAY2_CHECKLIST]
    scopes = [Scope.CONTACT] if sees_contact else []
    audit_record(actor=actor, action=Action.READ, target=task, case_id=task.case_id,
                 scopes=scopes,
                 basis=f"{access.basis}; follow-up task ({len(view.history)} linked cases)")
    return view


def case_task_rows(access: CaseAccess) -> QuerySet[Task] | None:
    """The tasks of a case, for its owning agency; None for others."""
    if not access.is_owner:
        return None
    return Task.objects.filter(case=access.case, agency_id=access.actor.agency_id)


def case_tasks(access: CaseAccess) -> list[Task] | None:
    """The follow-up of a case, for its owning agency (part of the audited case read)."""
    rows = case_task_rows(access)
    if rows is None:
        return None
    return list(rows.select_related("assignee", "unit")
                .order_by(When_(When(status=TaskStatus.OPEN, then=Value(0)), default=Value(1),
                                output_field=IntegerField()), "due_at")[:30])


# --- The indicator ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthFigure:
    month: date
    reports: int
    contacted: int
    pending: int  # not contacted yet, and still within the target
    median_hours: float | None
    within_target: int
    left_out: int = 0  # reports naming a person who declined to be counted

    @property
    def share_within_target(self) -> float | None:
        """Of the reports whose target has passed or that were contacted."""
        judged = self.reports - self.pending
        return self.within_target / judged if judged else None


@dataclass(frozen=True)
class Indicator:
    target_hours: int
    months: list[MonthFigure]

    @property
    def left_out(self) -> int:
        """The reports left out at the persons' request (docs/figures.md, "Consent to
        reporting")."""
        return sum(month.left_out for month in self.months)


def first_contact_indicator(*, actor: Actor, months: int = 12,
                            now: datetime | None = None) -> Indicator:
    """Time from a report to the first victim-assistance or EVA contact (the roadmap's second
    indicator), per month of the report: median hours, and the share within the zone's target.
    A report naming a person who declined to be counted, as victim or alleged perpetrator, is
    left out, and counted apart per month. Figures only; audited as one read."""
    if not may_see_indicator(actor):
        raise Http404
    now = now or timezone.now()
    policy = policy_for(actor.agency)
    target = timedelta(hours=policy.first_contact_target_hours)
    today = local_day(now)
    first_month = date(today.year, today.month, 1)
    for _step in range(months - 1):
        first_month = (first_month - timedelta(days=1)).replace(day=1)
    start = at_local(first_month, datetime.min.time())
    reports = list(Report.objects.filter(agency=actor.agency, created_at__gte=start)
                   .annotate(refused=ExpressionWrapper(refused_q("victim_id", "perpetrator_id"),
                                                       output_field=BooleanField()))
                   .values_list("pk", "created_at", "refused"))
    firsts = dict(Task.objects.filter(
        agency=actor.agency, kind__in=sorted(FIRST_CONTACT_KINDS), source_type="intake.report",
        status=TaskStatus.DONE, outcome=Outcome.DONE, completed_at__gte=start)
        .values("source_id").annotate(first=Min("completed_at")).values_list("source_id", "first"))
    by_month: dict[date, list] = {}
    left_out: dict[date, int] = {}
    for pk, created, refused in reports:
        month = local_day(created).replace(day=1)
        if refused:
            left_out[month] = left_out.get(month, 0) + 1
            continue
        by_month.setdefault(month, []).append((created, firsts.get(str(pk))))
    figures = []
    month = first_month
    while month <= today:
        rows = by_month.get(month, [])
        delays = [(first - created) for created, first in rows if first is not None]
        pending = sum(1 for created, first in rows if first is None and now - created < target)
        figures.append(MonthFigure(
            month=month, reports=len(rows), contacted=len(delays), pending=pending,
            median_hours=round(statistics.median(d.total_seconds() / 3600 for d in delays), 1)
            if delays else None,
            within_target=sum(1 for d in delays if d <= target),
            left_out=left_out.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    audit_record(actor=actor, action=Action.READ, basis="first-contact indicator (figures)")
    return Indicator(target_hours=policy.first_contact_target_hours, months=figures)


# --- The zone's neighbourhoods (its policy) ----------------------------------------------------

def neighbourhood_list(*, actor: Actor) -> list[Neighbourhood]:
    if not may_set_policy(actor):
        raise Http404
    return list(Neighbourhood.objects.filter(agency_id=actor.agency_id)
                .select_related("eva_officer", "neighbourhood_officer").order_by("name", "pk"))


def neighbourhood_get(*, actor: Actor, neighbourhood_id: int) -> Neighbourhood:
    return own_agency_object(Neighbourhood.objects.all(), actor=actor, pk=neighbourhood_id,
                             allowed=may_set_policy(actor))


# --- The case page's summary (relais.cases.header) ---------------------------------------------

HEADER_DEADLINES = 3


def header_items(access: CaseAccess) -> list:
    """The case's next open deadlines, for its owning agency (one query); nothing for others."""
    from django.urls import reverse
    from django.utils.formats import date_format

    from relais.cases.header import HeaderItem, HeaderLine

    rows = case_task_rows(access)
    if rows is None:
        return []
    now = timezone.now()
    lines = []
    for task in rows.filter(status=TaskStatus.OPEN).order_by("due_at", "pk")[:HEADER_DEADLINES]:
        due = date_format(timezone.localtime(task.due_at), "SHORT_DATETIME_FORMAT")
        late = task.due_at < now
        text = (_("%(task)s — overdue since %(due)s") if late
                else _("%(task)s — by %(due)s")) % {"task": task.get_kind_display(), "due": due}
        lines.append(HeaderLine(text=text, url=reverse("followup:task", args=[task.pk]),
                                tone="critical" if late else ""))
    return [HeaderItem(key="deadlines", label=_("Next deadlines"), lines=tuple(lines),
                       empty=_("No open task"),
                       tone="critical" if any(line.tone for line in lines) else "")]


def closure_open_items(access: CaseAccess) -> list:
    """The case's open tasks, for the check before its closure (its owning agency; one
    query). Closing cancels them (``cancel_on_case_closed``)."""
    from django.urls import reverse

    from relais.cases.closure import OpenItem

    rows = case_task_rows(access)
    if rows is None:
        return []
    return [OpenItem(kind="task", label=_("Open task: %(task)s") % {
                "task": task.get_kind_display()},
                url=reverse("followup:task", args=[task.pk]))
            for task in rows.filter(status=TaskStatus.OPEN).order_by("due_at", "pk")]


def failed_contact_attempts(access: CaseAccess) -> int:
    """How many times the owning agency tried to reach someone on this case and did not."""
    from relais.followup.models import ContactAttempt, CouldSpeak

    rows = case_task_rows(access)
    if rows is None:
        return 0
    return ContactAttempt.objects.filter(
        Q(outcome=Outcome.UNREACHABLE) | Q(could_speak_freely=CouldSpeak.NOT_REACHED),
        task__in=rows).count()


def no_contact_check(access: CaseAccess) -> str:
    """"No contact possible" needs the required unsuccessful attempts recorded first."""
    from relais.cases.closure import REQUIRED_CONTACT_ATTEMPTS

    done = failed_contact_attempts(access)
    if done >= REQUIRED_CONTACT_ATTEMPTS:
        return ""
    return _("No contact possible needs %(required)s unsuccessful contact attempts recorded "
             "on the follow-up; %(done)s so far.") % {"required": REQUIRED_CONTACT_ATTEMPTS,
                                                        "done": done}
