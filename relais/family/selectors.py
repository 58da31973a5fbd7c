"""Reads of the family proceedings across the access boundary: the case panel, the lines in
force (for the case page and the dispatcher's alarm summary), one record, a court's list, the
link notices, and the flag of the prosecutor's tracking table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.access import courts as policy
from relais.access.cases import CaseAccess, case_access
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.measures import MeasureLine
from relais.core.actor import Actor
from relais.family.models import FamilyProceeding, LinkNotice, LinkNoticeCode, ProceedingKind

LIST_LIMIT = 200


def in_force_q(day: date | None = None, prefix: str = "") -> Q:
    """Proceedings in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def parallel_proceedings(case_ref: OuterRef) -> Exists:
    """For a list of cases (the prosecutor's tracking table): whether family proceedings are in
    force on the case, as one ``EXISTS`` of the list's query."""
    return Exists(FamilyProceeding.objects.filter(in_force_q(), case=case_ref))


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _midnight(value: date) -> datetime:
    return timezone.make_aware(datetime.combine(value, time.min))


def _line(proceeding: FamilyProceeding) -> MeasureLine:
    label = str(ProceedingKind(proceeding.kind).label)
    if proceeding.ends_on:
        label = _("%(decision)s until %(end)s") % {"decision": label,
                                                   "end": _day(proceeding.ends_on)}
    return MeasureLine(kind=f"family_{proceeding.kind}", label=label,
                       since=_midnight(proceeding.starts_on),
                       until=_midnight(proceeding.ends_on) if proceeding.ends_on else None,
                       detail=proceeding.court_name)


def measure_lines(access: CaseAccess) -> list[MeasureLine]:
    """The family proceedings in force, for ``relais.cases.measures`` (no whereabouts)."""
    if Scope.JUDICIAL not in access.scopes:
        return []
    rows = (FamilyProceeding.objects.filter(in_force_q(), case=access.case)
            .select_related("court"))
    return [_line(p) for p in rows]


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    if Scope.JUDICIAL not in access.scopes:
        return {}
    return {"proceedings": FamilyProceeding.objects.filter(case=access.case)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The case page's family proceedings: the records for the police, justice and the courts;
    the lines in force for others who see the judicial part; nothing otherwise."""
    if not policy.sees_proceedings(access):
        lines = measure_lines(access) if found else []
        return {"lines": lines, "full": False} if lines else None
    proceedings = list(FamilyProceeding.objects.filter(case=access.case)
                       .select_related("court")[:50]) if found else []
    today = timezone.localdate()
    for proceeding in proceedings:
        proceeding.is_in_force = proceeding.in_force_on(today)
    may_record = policy.may_record(access)
    may_open = policy.may_open_to_court(access)
    if not proceedings and not may_record and not may_open:
        return None
    return {"full": True, "proceedings": proceedings, "may_record": may_record,
            "may_open": may_open}


@dataclass(frozen=True)
class ProceedingView:
    proceeding: FamilyProceeding
    access: CaseAccess
    may_change: bool
    in_force: bool


def proceeding_get(*, actor: Actor, proceeding_id: int) -> ProceedingView:
    proceeding = (FamilyProceeding.objects.select_related("case", "court", "recorded_by_agency")
                  .filter(pk=proceeding_id).first())
    if proceeding is None:
        raise Http404
    access = policy.proceedings_access(actor=actor, case_id=proceeding.case_id)
    audit_record(actor=actor, action=Action.READ, target=proceeding, case_id=proceeding.case_id,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    return ProceedingView(proceeding=proceeding, access=access,
                          may_change=policy.may_change(actor, proceeding),
                          in_force=proceeding.in_force_on(timezone.localdate()))


def court_records(*, actor: Actor) -> list[FamilyProceeding]:
    """The records of the actor's court, newest first (its registry's list)."""
    if not policy.is_court(actor):
        raise Http404
    rows = list(policy.proceeding_scope(actor).select_related("case", "court")
                .order_by("-recorded_at", "-pk")[:LIST_LIMIT])
    today = timezone.localdate()
    for row in rows:
        row.is_in_force = row.in_force_on(today)
    return rows


# --- Link notices: codes with parameters, in the reader's language ----------------------------

def _param_day(value: str) -> str:
    day = parse_date(value) if value else None
    return _day(day) if day else _("further decision")


def notice_text(notice: LinkNotice) -> str:
    """What was decided, in the reader's language (the parameters hold no whereabouts)."""
    p = notice.params
    if notice.code == LinkNoticeCode.BAN_ORDERED:
        return _("%(by)s ordered a residence ban from %(start)s until %(end)s.") % {
            "by": p.get("by", ""), "start": _param_day(p.get("starts_on", "")),
            "end": _param_day(p.get("ends_on", ""))}
    if notice.code == LinkNoticeCode.NO_CONTACT_ORDERED:
        return _("%(by)s ordered no contact with the victim, from %(start)s.") % {
            "by": p.get("by", ""), "start": _param_day(p.get("starts_on", ""))}
    labels = dict(ProceedingKind.choices)
    return _("%(court)s decided on %(decided)s: %(decision)s, from %(start)s until "
             "%(end)s.") % {
        "court": p.get("court", ""), "decided": _param_day(p.get("decided_on", "")),
        "decision": str(labels.get(p.get("decision", ""), p.get("decision", ""))),
        "start": _param_day(p.get("starts_on", "")), "end": _param_day(p.get("ends_on", ""))}


@dataclass(frozen=True)
class NoticeView:
    notice: LinkNotice
    text: str


def notice_get(*, actor: Actor, notice_id: int) -> NoticeView:
    """A link notice, for the staff of the agency it was sent to who still see the case."""
    notice = LinkNotice.objects.select_related("case").filter(pk=notice_id).first()
    if notice is None or not policy.may_read_notice(actor, notice.agency_id):
        raise Http404
    access = case_access(actor=actor, case_id=notice.case_id)
    audit_record(actor=actor, action=Action.READ, target=notice, case_id=notice.case_id,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    return NoticeView(notice=notice, text=notice_text(notice))


def court_choices() -> list[tuple[int, str]]:
    """The family and youth courts using Relais, for the forms (no personal data)."""
    return list(policy.court_agencies().order_by("name").values_list("pk", "name"))


def record_form_context(*, actor: Actor, case_id: int) -> CaseAccess:
    """Access to record on a case (404 otherwise)."""
    return policy.record_access(actor=actor, case_id=case_id)


def open_form_context(*, actor: Actor, case_id: int) -> CaseAccess:
    """Access to open a case to a court (404 otherwise)."""
    access = policy.proceedings_access(actor=actor, case_id=case_id)
    if not policy.may_open_to_court(access):
        raise Http404
    return access
