"""The figures of a consultation body over a period (issue 16 §5): cases heard, emergencies, the
repeat rate, actions done on time by agency, days from referral to the first hearing, the
sectors at the table.

Aggregates only, never a person. ``period_figures`` reads the data of any number of bodies in a
constant number of queries, without access checks: the statistics call it for the bodies their
reader may see. ``body_figures`` is the coordinator's and analysts' panel: it asks the policy and
audits the read.

No law requires these figures: the referrals, hearings and actions of a case that names a person
who declined to be counted (relais.access.figures.refused_cases; docs/figures.md, "Consent to
reporting") are left out, and the tables say how many (``relais.figures.tables.left_out``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import consultation as policy
from relais.access.figures import refused_cases
from relais.accounts.models import AgencyKind
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.consultation.models import (
    Action,
    Attendance,
    Body,
    Hearing,
    Membership,
    Referral,
)
from relais.core.actor import Actor
from relais.figures.rules import round_half_away, share_pct
from relais.figures.tables import Column, Table, left_out
from relais.followup.models import Outcome, TaskStatus

# MARAC practice (SafeLives) considers a repeat rate in this range healthy: lower suggests
# repeats are missed, higher that plans do not hold.
HEALTHY_REPEAT_RATE = (0.28, 0.40)


@dataclass(frozen=True)
class AgencyActions:
    """The actions of one agency due in the period, and how many were done on time."""

    agency_id: int
    agency_name: str
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class Sector:
    """One kind of agency: at how many of the period's meetings it was present."""

    kind: str
    label: str
    meetings: int
    is_member: bool


@dataclass(frozen=True)
class Figures:
    body_id: int
    start: date
    end: date
    cases_heard: int = 0
    referrals: int = 0
    emergencies: int = 0
    repeats: int = 0
    meetings: int = 0
    days_to_first_hearing: float | None = None
    actions: list[AgencyActions] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    # Left out at the persons' request: the referrals received or heard in the period, and the
    # actions due in it, of a case naming a person who declined to be counted.
    referrals_left_out: int = 0
    actions_left_out: int = 0

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats / self.referrals if self.referrals else None

    @property
    def repeat_rate_healthy(self) -> bool | None:
        rate = self.repeat_rate
        if rate is None:
            return None
        low, high = HEALTHY_REPEAT_RATE
        return low <= rate <= high

    @property
    def actions_due(self) -> int:
        return sum(row.due for row in self.actions)

    @property
    def actions_on_time(self) -> int:
        return sum(row.on_time for row in self.actions)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, today included."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return start, today


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes: from the first day's midnight to the midnight after the
    last day (local time)."""
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), zone),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone))


def _end_of_day(day: date) -> datetime:
    return _bounds(day, day)[1]


def period_figures(*, body_ids: Sequence[int], start: date, end: date) -> dict[int, Figures]:
    """The figures of each body over [start, end] (dates included), in nine queries whatever
    the number of bodies, cases or actions. No access check: the caller decides who reads.
    A case naming a person who declined to be counted is left out, and counted apart."""
    ids = list(body_ids)
    since, until = _bounds(start, end)
    data: dict[int, dict] = {pk: {} for pk in ids}
    refused = refused_cases("case_id")

    for row in (Hearing.objects.filter(referral__body_id__in=ids, heard_at__gte=since,
                                       heard_at__lt=until)
                .exclude(refused_cases("referral__case_id"))
                .values("referral__body_id")
                .annotate(cases=Count("referral__case_id", distinct=True))):
        data[row["referral__body_id"]]["cases_heard"] = row["cases"]

    for row in (Referral.objects.filter(body_id__in=ids, referred_at__gte=since,
                                        referred_at__lt=until)
                .exclude(refused)
                .values("body_id")
                .annotate(total=Count("pk"), emergencies=Count("pk", filter=Q(emergency=True)),
                          repeats=Count("pk", filter=Q(is_repeat=True)))):
        data[row["body_id"]].update(referrals=row["total"], emergencies=row["emergencies"],
                                    repeats=row["repeats"])
    for row in (Referral.objects.filter(refused, body_id__in=ids)
                .filter(Q(referred_at__gte=since, referred_at__lt=until)
                        | Q(hearings__heard_at__gte=since, hearings__heard_at__lt=until))
                .values("body_id").annotate(left_out=Count("pk", distinct=True))):
        data[row["body_id"]]["referrals_left_out"] = row["left_out"]

    # Days from referral to the meeting that first heard the case, for cases first heard in
    # the period.
    waits: dict[int, list[float]] = defaultdict(list)
    for row in (Referral.objects.filter(body_id__in=ids)
                .exclude(refused)
                .annotate(first=Min("hearings__meeting__starts_at",
                                    filter=Q(hearings__heard_at__isnull=False)))
                .filter(first__gte=since, first__lt=until)
                .values("body_id", "referred_at", "first")):
        seconds = (row["first"] - row["referred_at"]).total_seconds()
        waits[row["body_id"]].append(max(seconds, 0) / 86400)
    for pk, values in waits.items():
        data[pk]["days_to_first_hearing"] = round(median(values), 1)

    # Actions due in the period; on time: done (outcome "done") by the end of the due day.
    actions: dict[int, dict[int, list]] = defaultdict(dict)
    for row in (Action.objects.filter(plan__body_id__in=ids, due_on__gte=start, due_on__lte=end)
                .annotate(refused=ExpressionWrapper(refused_cases("plan__case_id"),
                                                    output_field=BooleanField()))
                .values("plan__body_id", "agency_id", "agency__name", "due_on", "task__status",
                        "task__outcome", "task__completed_at", "refused")):
        if row["refused"]:
            body = data[row["plan__body_id"]]
            body["actions_left_out"] = body.get("actions_left_out", 0) + 1
            continue
        tally = actions[row["plan__body_id"]].setdefault(
            row["agency_id"], [row["agency__name"], 0, 0])
        tally[1] += 1
        done = (row["task__status"] == TaskStatus.DONE and row["task__outcome"] == Outcome.DONE
                and row["task__completed_at"] is not None)
        if done and row["task__completed_at"] < _end_of_day(row["due_on"]):
            tally[2] += 1
    for pk, by_agency in actions.items():
        data[pk]["actions"] = sorted(
            (AgencyActions(agency_id=agency_id, agency_name=name, due=due, on_time=on_time)
             for agency_id, (name, due, on_time) in by_agency.items()),
            key=lambda row: row.agency_name)

    # The sectors: agency kinds present at the period's meetings, and the members' kinds that
    # never came (health and justice are known to be missing at these tables).
    present = Attendance.objects.filter(meeting__body_id__in=ids, present=True,
                                        meeting__starts_at__gte=since,
                                        meeting__starts_at__lt=until)
    for row in (present.values("meeting__body_id")
                .annotate(meetings=Count("meeting_id", distinct=True))):
        data[row["meeting__body_id"]]["meetings"] = row["meetings"]
    came: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (present.values("meeting__body_id", "agency__kind")
                .annotate(meetings=Count("meeting_id", distinct=True))):
        came[row["meeting__body_id"]][row["agency__kind"]] = row["meetings"]
    members: dict[int, set[str]] = defaultdict(set)
    for row in (Membership.objects.filter(body_id__in=ids, left_at__isnull=True)
                .values("body_id", "agency__kind").distinct()):
        members[row["body_id"]].add(row["agency__kind"])
    for row in Body.objects.filter(pk__in=ids).values("pk", "agency__kind"):
        members[row["pk"]].add(row["agency__kind"])  # the secretariat sits at the table
    for pk in ids:
        kinds = set(came[pk]) | members[pk]
        data[pk]["sectors"] = sorted(
            (Sector(kind=kind, label=str(AgencyKind(kind).label) if kind in AgencyKind.values
                    else kind, meetings=came[pk].get(kind, 0), is_member=kind in members[pk])
             for kind in kinds),
            key=lambda sector: (-sector.meetings, sector.label))

    return {pk: Figures(body_id=pk, start=start, end=end, **values)
            for pk, values in data.items()}


def figures_body(*, actor: Actor, body_id: int) -> Body:
    """The body whose figures the actor may read (its coordinators and analysts), else 404."""
    body = policy.figures_bodies(actor).filter(pk=body_id).first()
    if body is None or not policy.may_see_figures(actor, body):
        raise Http404
    return body


def body_figures(*, actor: Actor, body_id: int, start: date, end: date) -> tuple[Body, Figures]:
    """The panel of one body over a period, for its coordinators and analysts; the read is
    audited (aggregates: no case)."""
    body = figures_body(actor=actor, body_id=body_id)
    figures = period_figures(body_ids=[body.pk], start=start, end=end)[body.pk]
    audit_record(actor=actor, action=Audit.READ, target=body,
                 basis=f"consultation figures {start.isoformat()}/{end.isoformat()}")
    return body, figures


def consultation_tables(figures: Figures) -> list[Table]:
    """What the body's figures screen shows, as tables for the exports
    (relais.figures.exports): the activity, the actions done on time by agency (with the line
    of all agencies) and the sectors at the table."""
    source = _("Relais: the consultation body's records")
    low, high = HEALTHY_REPEAT_RATE
    activity = Table(
        key="consultation-activity", title=_("Activity"),
        columns=(Column("measure", _("Measure"), numeric=False),
                 Column("value", _("Value"))),
        rows=((_("Cases heard"), figures.cases_heard),
              (_("Meetings held"), figures.meetings),
              (_("Referrals received"), figures.referrals),
              (_("Emergency referrals"), figures.emergencies),
              (_("Repeat referrals"), figures.repeats),
              (_("Repeat referrals, share of the referrals received (%)"),
               share_pct(figures.repeats, figures.referrals)),
              (_("Median days from referral to the first hearing"),
               round_half_away(figures.days_to_first_hearing))),
        reference_date=_("each count by the date of its event: hearing, meeting, referral"),
        notes=(_("MARAC practice considers a repeat rate of %(low)s–%(high)s %% healthy: lower "
                 "suggests repeats go unnoticed.") % {"low": round(low * 100),
                                                      "high": round(high * 100)},),
        source=source)
    actions = Table(
        key="consultation-actions", title=_("Actions done on time, by agency"),
        columns=(Column("agency", _("Agency"), numeric=False),
                 Column("due", _("Due in the period")), Column("on_time", _("Done on time")),
                 Column("share_pct", _("Share (%)"))),
        rows=tuple((row.agency_name, row.due, row.on_time, share_pct(row.on_time, row.due))
                   for row in figures.actions)
        + (((_("All agencies"), figures.actions_due, figures.actions_on_time,
             share_pct(figures.actions_on_time, figures.actions_due)),)
           if figures.actions else ()),
        reference_date=_("by deadline"), n=figures.actions_due, n_label=_("actions due"),
        notes=(_("Actions of the joint plans due in the period; on time: done by the end of "
                 "their deadline."),),
        source=source)
    sectors = Table(
        key="consultation-sectors", title=_("Sectors at the table"),
        columns=(Column("sector", _("Sector"), numeric=False),
                 Column("meetings", _("Meetings attended")),
                 Column("member", _("Member or secretariat"), numeric=False)),
        rows=tuple((sector.label, sector.meetings, _("Yes") if sector.is_member else _("No"))
                   for sector in figures.sectors),
        reference_date=_("by date of the meeting"), n=figures.meetings,
        n_label=_("meetings held"), source=source)
    return [left_out(activity, figures.referrals_left_out),
            left_out(actions, figures.actions_left_out), left_out(sectors)]
