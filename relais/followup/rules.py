"""Which tasks a report makes, when each is due, and how urgent a case is. Pure functions.

Due times are computed on the Brussels calendar: "14 days after" is the same wall-clock time
14 days later, whether or not a daylight-saving change falls in between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Role
from relais.followup.models import REVISIT_ROLES, Priority, TaskKind, ZonePolicy
from relais.risk.headline import headlines, row_level
from relais.risk.instruments import instrument_get

# The day-2 proactive contact (domain brief §3.2): what to go through with her.
DAY2_CHECKLIST = (
    ("explain_framework", _("Explain the framework: what the report means, what happens next")),
    ("prepare_hearing", _("Prepare the hearing: how long it takes, who may come with her")),
    ("housing_income", _("Check housing and income")),
)
LAST_MINUTE = time(23, 59)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at_local(day: date, when: time) -> datetime:
    """``day`` at wall-clock ``when`` in Brussels, as an aware datetime."""
    return datetime.combine(day, when, tzinfo=local_zone())


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, local_zone()).date()


def later_same_clock(moment: datetime, *, days: int) -> datetime:
    """``days`` calendar days later at the same Brussels wall-clock time (across a
    daylight-saving change that is 24 hours ± 1 per change, as people expect)."""
    local = timezone.localtime(moment, local_zone())
    return datetime.combine(local.date() + timedelta(days=days), local.time(),
                            tzinfo=local_zone())


HOURS = re.compile(r"(\d{1,2})(?:[:h.](\d{2}))?\s*[-–à]\s*(\d{1,2})(?:[:h.](\d{2}))?")


def within_her_hours(moment: datetime, hours: str) -> datetime:
    """``moment``, or the next start of the hours she gave when they read like "9-12" or
    "14h00–17h30" (the first window written); unreadable hours leave ``moment`` as it is."""
    found = HOURS.search(hours or "")
    if not found:
        return moment
    start_h, start_m, end_h, end_m = (int(part or 0) for part in found.groups())
    if not (0 <= start_h < 24 and 0 <= end_h <= 24) or (end_h, end_m) <= (start_h, start_m):
        return moment
    local = timezone.localtime(moment, local_zone())
    start, end = time(start_h, start_m), time(min(end_h, 23), end_m if end_h < 24 else 59)
    if start <= local.time() < end:
        return moment
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return at_local(day, start)


@dataclass(frozen=True)
class TaskSpec:
    """A task to create; ``origin_key`` makes its creation happen once."""

    kind: str
    origin_key: str
    due_at: datetime
    person_id: int | None
    for_role: str = ""
    unit_id: int | None = None
    assignee_id: int | None = None
    reason: list = field(default_factory=list)  # codes with parameters (followup.notes)
    checklist: dict = field(default_factory=dict)
    policy: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportFacts:
    """What the rules need to know of a report and its zone."""

    report_id: int
    official: bool
    recorded_at: datetime
    victim_id: int
    day2_agreed: bool
    victim_assistance_unit_id: int | None
    eva_available: bool  # the zone has an EVA officer in Relais
    eva_officer_id: int | None  # the EVA representative of the report's neighbourhood
    neighbourhood_officer_id: int | None


def report_tasks(facts: ReportFacts, policy: ZonePolicy) -> list[TaskSpec]:
    """The tasks one report makes under the zone's policy.

    - an official report (complaint): the zone's victim-assistance service (SAPV) the same day;
    - an information report: the EVA representative of the neighbourhood calls back within
      the zone's delay (the SAPV when the zone has no EVA officer in Relais);
    - the day-2 proactive contact, only when she agreed at intake, with its checklist;
    - the revisit of circular COL 20/2020, as the zone's policy says.
    """
    day = local_day(facts.recorded_at)
    ends = policy.day_ends_at
    key = f"report:{facts.report_id}"
    specs: list[TaskSpec] = []
    if facts.official:
        specs.append(TaskSpec(
            kind=TaskKind.VICTIM_ASSISTANCE_CONTACT, origin_key=f"{key}:victim_assistance",
            due_at=at_local(day, LAST_MINUTE), person_id=facts.victim_id,
            for_role=Role.VICTIM_ASSISTANCE_WORKER, unit_id=facts.victim_assistance_unit_id))
    else:
        eva = facts.eva_available or facts.eva_officer_id is not None
        specs.append(TaskSpec(
            kind=TaskKind.EVA_CALLBACK, origin_key=f"{key}:eva_callback",
            due_at=at_local(day + timedelta(days=policy.eva_callback_days), ends),
            person_id=facts.victim_id,
            for_role=Role.EVA_OFFICER if eva else Role.VICTIM_ASSISTANCE_WORKER,
            assignee_id=facts.eva_officer_id,
            unit_id=None if eva else facts.victim_assistance_unit_id))
    if facts.day2_agreed:
        specs.append(TaskSpec(
            kind=TaskKind.DAY2_CONTACT, origin_key=f"{key}:day2_contact",
            due_at=at_local(day + timedelta(days=policy.day2_delay_days), ends),
            person_id=facts.victim_id, for_role=Role.VICTIM_ASSISTANCE_WORKER,
            unit_id=facts.victim_assistance_unit_id,
            checklist={code: False for code, _label in DAY2_CHECKLIST}))
    if policy.revisit_enabled:
        specs.append(revisit_spec(
            origin_key=f"{key}:revisit", person_id=facts.victim_id, policy=policy,
            due_at=at_local(day + timedelta(days=policy.revisit_delay_days), ends),
            neighbourhood_officer_id=facts.neighbourhood_officer_id))
    return specs


@dataclass(frozen=True)
class OpenTask:
    """What the rules need to know of a task already open on the case."""

    pk: int
    kind: str
    person_id: int | None
    due_at: datetime


def merge_with_open(specs: Iterable[TaskSpec], open_tasks: Iterable[OpenTask],
                    ) -> tuple[list[TaskSpec], list[tuple[OpenTask, datetime]]]:
    """A new report on a case makes no task of a kind already open for the same person there.

    Returns the specs to create and, for each open task the new report also calls for, the due
    time it keeps: the earlier of the two (a new report may bring a contact forward, never push
    it back).
    """
    held = {(task.kind, task.person_id): task
            for task in sorted(open_tasks, key=lambda task: task.due_at, reverse=True)}
    to_create: list[TaskSpec] = []
    to_join: list[tuple[OpenTask, datetime]] = []
    for spec in specs:
        task = held.get((spec.kind, spec.person_id))
        if task is None:
            to_create.append(spec)
        else:
            to_join.append((task, min(task.due_at, spec.due_at)))
    return to_create, to_join


def revisit_spec(*, origin_key: str, person_id: int, policy: ZonePolicy, due_at: datetime,
                 neighbourhood_officer_id: int | None = None, kind: str = TaskKind.REVISIT,
                 unit_id: int | None = None) -> TaskSpec:
    """A revisit done by whom the zone's policy names (a unit, a role, or the officer of the
    neighbourhood when the zone mapped its neighbourhoods)."""
    role = REVISIT_ROLES[policy.revisit_by]
    return TaskSpec(
        kind=kind, origin_key=origin_key, due_at=due_at, person_id=person_id, for_role=role,
        unit_id=unit_id or policy.revisit_unit_id,
        assignee_id=neighbourhood_officer_id if role == Role.NEIGHBOURHOOD_OFFICER else None,
        policy=policy.snapshot())


def priority_of(instrument_code: str, level: str) -> int:
    """A level's rank in its instrument, capped at the highest priority."""
    try:
        rank = instrument_get(instrument_code).rank(level)
    except (KeyError, ValueError):
        return Priority.NORMAL
    return min(rank, Priority.URGENT)


def case_priorities(assessments: Iterable[dict]) -> dict[int, int]:
    """Priority per case from assessment rows (``HEADLINE_FIELDS``, newest first): the level
    in force of the case's headline assessment (relais.risk.headline)."""
    return {case_id: priority_of(row["instrument_code"], row_level(row))
            for case_id, row in headlines(assessments).items()}
