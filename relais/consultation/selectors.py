"""Reads of the consultation, within relais.access.consultation: the bodies, the referrals
waiting, a meeting's agenda and record, a plan with its actions, the coordinator's board.

Lists read in a constant number of queries whatever their length (bench/consultation.py), and
every read of personal data is audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from relais.access import consultation as policy
from relais.access.cases import CaseAccess, visible_cases
from relais.accounts.models import municipality_name
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.consultation.models import (
    Action,
    Attendance,
    Body,
    Contribution,
    Hearing,
    Meeting,
    Membership,
    Plan,
    PlanStatus,
    Referral,
    ReferralStatus,
)
from relais.consultation.services import agenda_order_key
from relais.core.actor import Actor
from relais.followup.models import Outcome, TaskStatus
from relais.followup.notes import render


class State:
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    NOT_DONE = "not_done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


# The order of the coordinator's board: what needs her first.
STATE_ORDER = {State.OVERDUE: 0, State.BLOCKED: 1, State.NOT_DONE: 2, State.OPEN: 3,
               State.DONE: 4, State.CANCELLED: 5}


def action_state(action: Action, now: datetime | None = None) -> str:
    task = action.task
    now = now or timezone.now()
    if task is None or task.status == TaskStatus.OPEN:
        due = task.due_at if task is not None else None
        return State.OVERDUE if due is not None and due < now else State.OPEN
    if task.status == TaskStatus.CANCELLED:
        return State.CANCELLED
    if task.outcome == Outcome.DONE:
        return State.DONE
    return State.BLOCKED if task.outcome == Outcome.BLOCKED else State.NOT_DONE


def _audit_cases(actor: Actor, case_ids: list[int], basis: str) -> None:
    audit_record_many([build_event(actor=actor, action=Audit.READ, case_id=case_id, basis=basis)
                       for case_id in dict.fromkeys(case_ids)])


# --- Bodies ------------------------------------------------------------------------------------

def body_list(*, actor: Actor) -> list[Body]:
    return list(policy.member_bodies(actor).select_related("agency").order_by("name"))


def body_get(*, actor: Actor, body_id: int) -> Body:
    body = policy.member_bodies(actor).select_related("agency", "coordinator").filter(
        pk=body_id).first()
    if body is None:
        raise Http404
    return body


def body_admin(*, actor: Actor, body_id: int) -> dict:
    """The coordinator's administration screen: the protocol, the members, the criteria."""
    body = policy.coordinated_bodies(actor).select_related("agency", "coordinator").filter(
        pk=body_id).first()
    if body is None:
        raise Http404
    from relais.consultation.services import criteria_current

    members = list(Membership.objects.filter(body=body, left_at__isnull=True)
                   .select_related("agency", "representative", "deputy")
                   .order_by("agency__kind", "agency__name"))
    return {"body": body, "members": members, "criteria": criteria_current(body),
            "versions": list(body.criteria_versions.select_related("created_by")
                             .order_by("-version"))}


# --- Referrals ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    criteria: list[str]
    waiting_days: int


def _criteria_text(referral: Referral) -> list[str]:
    return [render([part]) for part in referral.criteria_met]


def waiting_referrals(*, actor: Actor, body: Body) -> list[ReferralRow]:
    """Referrals waiting for a meeting, in the agenda's order: emergencies, risk, wait."""
    if not policy.coordinates(actor, body):
        return []
    now = timezone.now()
    rows = list(Referral.objects.filter(body=body, status=ReferralStatus.WAITING)
                .select_related("case", "agency"))
    rows.sort(key=lambda r: agenda_order_key(r, now))
    _audit_cases(actor, [r.case_id for r in rows], "consultation: referrals waiting")
    return [ReferralRow(referral=r, criteria=_criteria_text(r),
                        waiting_days=(now - r.referred_at).days) for r in rows]


def plans_due(*, actor: Actor, body: Body, by: date) -> list[Plan]:
    """Open plans whose review falls before ``by`` (to put on the next agenda)."""
    if not policy.coordinates(actor, body):
        return []
    return list(Plan.objects.filter(body=body, status=PlanStatus.OPEN, next_review_on__lte=by)
                .select_related("case", "referral").order_by("next_review_on"))


def referral_get(*, actor: Actor, referral_id: int) -> dict:
    referral = (policy.referral_scope(actor).select_related("body", "case", "agency",
                                                           "referred_by", "criteria")
                .filter(pk=referral_id).first())
    if referral is None:
        raise Http404
    audit_record(actor=actor, action=Audit.READ, target=referral, case_id=referral.case_id,
                 basis="consultation referral")
    return {"referral": referral, "criteria": _criteria_text(referral),
            "coordinates": policy.coordinates(actor, referral.body),
            "hearings": list(referral.hearings.select_related("meeting").order_by("pk"))}


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    """What the case panel may show, probed in the case page's one query."""
    return {"bodies": policy.referable_bodies(access),
            "referrals": policy.referral_scope(access.actor).filter(case=access.case),
            "plans": policy.participant_plans(access.actor).filter(case=access.case)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The case panel: bodies the reader may refer to, and the case's referrals and plans she
    may open; hidden when there is none of them."""
    if not found:
        return None
    rows = case_panel_rows(access)
    return {
        "case": access.case,
        "bodies": list(rows["bodies"].order_by("name")) if "bodies" in found else [],
        "referrals": list(rows["referrals"].select_related("body").order_by("-referred_at"))
        if "referrals" in found else [],
        "plans": list(rows["plans"].select_related("body").order_by("-opened_at"))
        if "plans" in found else []}


# --- The agenda --------------------------------------------------------------------------------

@dataclass
class AgendaRow:
    hearing: Hearing
    identification: dict = field(default_factory=dict)
    known: bool = False  # the reader's agency sees the case through its own access
    contributed: bool = False
    criteria: list[str] = field(default_factory=list)


def _meeting_for(actor: Actor, meeting_id: int) -> Meeting:
    meeting = (Meeting.objects.select_related("body", "body__agency")
               .filter(pk=meeting_id, body__in=policy.member_bodies(actor)).first())
    if meeting is None:
        raise Http404
    return meeting


def _identification(fields: frozenset[str], case, people: list[CaseParticipant]) -> dict:
    out: dict = {}
    victim = next((p for p in people if p.role == ParticipantRole.VICTIM), None)
    perpetrator = next((p for p in people if p.role == ParticipantRole.ALLEGED_PERPETRATOR),
                       None)
    for label, person in (("victim", victim), ("perpetrator", perpetrator)):
        if person is None:
            continue
        entry = {"name": f"{person.person.first_name} {person.person.last_name}".strip()}
        if "birth_dates" in fields and person.person.birth_date:
            entry["born"] = person.person.birth_date
        out[label] = entry
    if "children" in fields:
        out["children"] = [p.person.birth_date.year if p.person.birth_date else None
                           for p in people if p.role == ParticipantRole.CHILD]
    if "municipality" in fields:
        out["municipality"] = municipality_name(case.municipality,
                                                (get_language() or "en")[:2])
    return out


def agenda(*, actor: Actor, meeting_id: int) -> dict:
    """A meeting's agenda as the reader may see it: each case with the protocol's minimal
    identification, whether her agency already knows it (through its own access) and whether
    it has contributed. Constant queries."""
    meeting = _meeting_for(actor, meeting_id)
    body = meeting.body
    hearings = list(meeting.hearings.select_related("referral", "referral__case",
                                                    "referral__agency", "plan"))
    hearings.sort(key=lambda h: (h.position, h.pk))
    case_ids = [h.referral.case_id for h in hearings]
    people: dict[int, list[CaseParticipant]] = {}
    for row in (CaseParticipant.objects.filter(case_id__in=case_ids, role__in=(
            ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR, ParticipantRole.CHILD))
            .select_related("person").order_by("pk")):
        people.setdefault(row.case_id, []).append(row)
    known = set(visible_cases(actor).filter(pk__in=case_ids).values_list("pk", flat=True))
    contributed = set(Contribution.objects.filter(hearing__meeting=meeting,
                                                  agency_id=actor.agency_id)
                      .values_list("hearing_id", flat=True))
    fields = policy.agenda_fields(actor, body)
    rows = [AgendaRow(hearing=h, identification=_identification(
        fields, h.referral.case, people.get(h.referral.case_id, [])),
        known=h.referral.case_id in known, contributed=h.pk in contributed,
        criteria=_criteria_text(h.referral)) for h in hearings]
    _audit_cases(actor, case_ids, "consultation agenda (minimal identification)")
    return {"meeting": meeting, "body": body, "rows": rows,
            "coordinates": policy.coordinates(actor, body), "fields": fields}


def meeting_list(*, actor: Actor, body: Body) -> list[Meeting]:
    return list(Meeting.objects.filter(body=body).order_by("-starts_at")[:50])


# --- The record of a meeting ---------------------------------------------------------------------

@dataclass
class ContributionView:
    contribution: Contribution
    fields: list[str]

    @property
    def items(self) -> list[tuple[str, str]]:
        """(label, text) of the fields the reader sees and the agency filled in."""
        return [(str(Contribution._meta.get_field(name).verbose_name),
                 getattr(self.contribution, name)) for name in self.fields
                if getattr(self.contribution, name)]


@dataclass
class HearingRecord:
    hearing: Hearing
    visible: bool
    contributions: list[ContributionView]


def meeting_record(*, actor: Actor, meeting_id: int) -> dict:
    """Attendance, and for each case what each agency shared and the decisions, as far as the
    reader may read them (the plan's participants and the coordinators)."""
    data = agenda(actor=actor, meeting_id=meeting_id)
    meeting = data["meeting"]
    attendance = list(Attendance.objects.filter(meeting=meeting)
                      .select_related("agency", "attendee").order_by("agency__name"))
    hearings = [row.hearing for row in data["rows"]]
    contributions: dict[int, list[Contribution]] = {}
    for c in (Contribution.objects.filter(hearing__in=hearings)
              .select_related("agency").order_by("agency__name")):
        contributions.setdefault(c.hearing_id, []).append(c)
    readable_plans = set(policy.participant_plans(actor).filter(
        pk__in=[h.plan_id for h in hearings if h.plan_id]).values_list("pk", flat=True))
    coordinates = data["coordinates"]
    accesses = _accesses(actor, [h.referral.case_id for h in hearings])
    records = []
    for hearing in hearings:
        visible = coordinates or hearing.plan_id in readable_plans
        access = accesses.get(hearing.referral.case_id)
        shown = [ContributionView(c, policy.contribution_fields(actor, c, access,
                                                                coordinator=coordinates))
                 for c in contributions.get(hearing.pk, [])
                 if visible or c.agency_id == actor.agency_id]
        records.append(HearingRecord(hearing=hearing, visible=visible, contributions=shown))
    members = {m.agency_id: m for m in Membership.objects.filter(
        body=meeting.body, left_at__isnull=True).select_related("representative", "deputy")}
    for row in attendance:
        member = members.get(row.agency_id)
        row.candidates = [u for u in (member.representative, member.deputy) if u] \
            if member else []
    return {**data, "attendance": attendance, "records": records,
            "records_by_hearing": {r.hearing.pk: r for r in records}}


def _accesses(actor: Actor, case_ids: list[int]) -> dict[int, CaseAccess]:
    """The reader's access to each case (scopes for the contributions' fields)."""
    from relais.access.cases import accesses_for_cases

    cases = list(visible_cases(actor).select_related("owner_agency").filter(pk__in=case_ids))
    return accesses_for_cases(actor=actor, cases=cases)


# --- A plan ------------------------------------------------------------------------------------

@dataclass
class ActionRow:
    action: Action
    state: str
    detail: bool  # the reader sees the details (her agency's action, or she coordinates)

    @property
    def why_not(self) -> str:
        task = self.action.task
        if task is None:
            return ""
        return task.outcome_text or task.cancel_text


def _action_rows(actor: Actor, plan: Plan, actions: list[Action]) -> list[ActionRow]:
    now = timezone.now()
    rows = [ActionRow(action=a, state=action_state(a, now),
                      detail=policy.sees_action_detail(actor, a, plan)) for a in actions]
    rows.sort(key=lambda r: (STATE_ORDER[r.state], r.action.due_on, r.action.pk))
    return rows


def plan_get(*, actor: Actor, plan_id: int) -> dict:
    plan = (policy.participant_plans(actor).select_related("body", "body__agency", "case",
                                                          "referral")
            .filter(pk=plan_id).first())
    if plan is None:
        raise Http404
    actions = list(plan.actions.filter(policy.actions_visible(actor, plan))
                   .select_related("agency", "owner", "task"))
    hearings = list(plan.hearings.filter(heard_at__isnull=False).select_related("meeting")
                    .order_by("meeting__starts_at"))
    audit_record(actor=actor, action=Audit.READ, target=plan, case_id=plan.case_id,
                 basis="joint safety plan (art. 458ter)")
    return {"plan": plan, "actions": _action_rows(actor, plan, actions), "hearings": hearings,
            "coordinates": policy.coordinates(actor, plan.body),
            "members": list(Membership.objects.filter(body=plan.body, left_at__isnull=True)
                            .select_related("agency").order_by("agency__name"))}


def plan_pdf_actions(*, actor: Actor, plan_id: int, agency_id: int | None = None) -> dict:
    """One agency's plan: its own actions only (a coordinator picks the agency)."""
    data = plan_get(actor=actor, plan_id=plan_id)
    plan = data["plan"]
    wanted = actor.agency_id
    if agency_id is not None and data["coordinates"]:
        wanted = agency_id
    rows = [row for row in data["actions"] if row.action.agency_id == wanted]
    return {**data, "actions": rows, "agency_id": wanted, "plan": plan}


def action_board(*, actor: Actor, body: Body) -> list[ActionRow]:
    """Every action of the body's open plans, overdue first (the coordinator's glance)."""
    if not policy.coordinates(actor, body):
        raise Http404
    actions = list(Action.objects.filter(plan__body=body, plan__status=PlanStatus.OPEN)
                   .select_related("agency", "owner", "task", "plan", "plan__case"))
    now = timezone.now()
    rows = [ActionRow(action=a, state=action_state(a, now), detail=True) for a in actions]
    rows.sort(key=lambda r: (STATE_ORDER[r.state], r.action.due_on, r.action.pk))
    _audit_cases(actor, [a.plan.case_id for a in actions], "consultation: the plans' actions")
    return rows


def open_plans(*, actor: Actor, body: Body) -> QuerySet[Plan]:
    return (policy.participant_plans(actor).filter(body=body, status=PlanStatus.OPEN)
            .select_related("case").order_by("next_review_on"))


def inbox_badge(actor: Actor) -> int:
    """The menu badge: referrals waiting in the bodies she coordinates."""
    if not policy.is_coordinator(actor):
        return 0
    return Referral.objects.filter(body__in=policy.coordinated_bodies(actor),
                                   status=ReferralStatus.WAITING).count()




# --- The case page's summary (relais.cases.header) ---------------------------------------------

def header_items(access: CaseAccess) -> list:
    """An open consultation of the case the reader may open: a referral waiting or on an
    agenda, or a plan in the consultation (two queries); nothing when she sees none."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from relais.cases.header import HeaderItem, HeaderLine
    from relais.consultation.models import PlanStatus, ReferralStatus

    lines = []
    for plan in (policy.participant_plans(access.actor)
                 .filter(case=access.case, status=PlanStatus.OPEN).select_related("body")
                 .order_by("-opened_at")[:2]):
        lines.append(HeaderLine(
            text=_("%(body)s: in the consultation since %(date)s") % {
                "body": plan.body.name, "date": date_format(
                    timezone.localtime(plan.opened_at), "SHORT_DATE_FORMAT")},
            url=reverse("consultation:plan", args=[plan.pk])))
    if not lines:
        for referral in (policy.referral_scope(access.actor)
                         .filter(case=access.case, status__in=[ReferralStatus.WAITING,
                                                               ReferralStatus.SCHEDULED])
                         .select_related("body").order_by("-referred_at")[:2]):
            lines.append(HeaderLine(
                text=f"{referral.body.name}: {referral.get_status_display()}",
                url=reverse("consultation:referral", args=[referral.pk])))
    if not lines:
        return []
    return [HeaderItem(key="consultation", label=_("Open consultation"), lines=tuple(lines))]


def closure_open_items(access: CaseAccess) -> list:
    """An open consultation of the case, for the check before its closure (the lines of the
    case summary: closing the case takes it out of the consultation, ``close_on_case_closed``)."""
    from relais.cases.closure import OpenItem

    return [OpenItem(kind="consultation", label=line.text, url=line.url)
            for item in header_items(access) for line in item.lines]
