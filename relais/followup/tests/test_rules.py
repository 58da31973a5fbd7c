"""Deadlines on the Brussels calendar, across daylight-saving changes, and the zone policy."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from relais.accounts.models import Role
from relais.followup.models import Priority, RevisitBy, TaskKind, ZonePolicy
from relais.followup.rules import (
    ReportFacts,
    at_local,
    case_priorities,
    later_same_clock,
    report_tasks,
    within_her_hours,
)


def facts(recorded_at: datetime, *, official: bool = True, day2: bool = True,
          eva: bool = True) -> ReportFacts:
    return ReportFacts(report_id=1, official=official, recorded_at=recorded_at, victim_id=7,
                       day2_agreed=day2, victim_assistance_unit_id=3, eva_available=eva,
                       eva_officer_id=None, neighbourhood_officer_id=None)


def by_kind(specs):
    return {spec.kind: spec for spec in specs}


def local(spec_due: datetime) -> tuple:
    brussels = spec_due.astimezone(at_local(spec_due.date(), time()).tzinfo)
    return brussels.date().isoformat(), brussels.strftime("%H:%M"), brussels.utcoffset()


def test_an_official_report_on_the_eve_of_the_autumn_change_keeps_wall_clock_deadlines():
    # Saturday 24 October 2026, 22:30 in Brussels (summer time, UTC+2); the clocks go back
    # on Sunday 25 October at 03:00.
    recorded = datetime(2026, 10, 24, 20, 30, tzinfo=UTC)
    specs = by_kind(report_tasks(facts(recorded), ZonePolicy(day_ends_at=time(18, 0))))

    same_day = specs[TaskKind.VICTIM_ASSISTANCE_CONTACT]
    assert local(same_day.due_at)[:2] == ("2026-10-24", "23:59")
    assert same_day.for_role == Role.VICTIM_ASSISTANCE_WORKER and same_day.unit_id == 3
    day2 = specs[TaskKind.DAY2_CONTACT]
    # Two days later at 18:00 local, now in winter time (UTC+1): 17:00 UTC, not 16:00.
    assert local(day2.due_at)[:2] == ("2026-10-26", "18:00")
    assert day2.due_at.astimezone(UTC).hour == 17
    assert set(day2.checklist) == {"explain_framework", "prepare_hearing", "housing_income"}
    revisit = specs[TaskKind.REVISIT]
    assert local(revisit.due_at)[:2] == ("2026-11-07", "18:00")


def test_the_spring_change_too():
    # Saturday 28 March 2026, 12:00 in Brussels (UTC+1); clocks go forward on the 29th.
    recorded = datetime(2026, 3, 28, 11, 0, tzinfo=UTC)
    later = later_same_clock(recorded, days=1)
    assert later.astimezone(UTC) == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # 23 hours later
    assert local(later)[1] == "12:00"


def test_an_information_report_asks_the_eva_to_call_back_and_no_same_day_sapv_contact():
    recorded = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    specs = by_kind(report_tasks(facts(recorded, official=False, day2=False),
                                 ZonePolicy(eva_callback_days=3)))

    assert set(specs) == {TaskKind.EVA_CALLBACK, TaskKind.REVISIT}
    assert specs[TaskKind.EVA_CALLBACK].for_role == Role.EVA_OFFICER
    assert local(specs[TaskKind.EVA_CALLBACK].due_at)[0] == "2026-11-05"


def test_without_an_eva_officer_the_sapv_calls_back():
    specs = by_kind(report_tasks(facts(datetime(2026, 11, 2, 9, tzinfo=UTC), official=False,
                                       eva=False), ZonePolicy()))
    assert specs[TaskKind.EVA_CALLBACK].for_role == Role.VICTIM_ASSISTANCE_WORKER


def test_no_day2_contact_without_her_agreement():
    specs = by_kind(report_tasks(facts(datetime(2026, 11, 2, 9, tzinfo=UTC), day2=False),
                                 ZonePolicy()))
    assert TaskKind.DAY2_CONTACT not in specs


@pytest.mark.parametrize(("revisit_by", "role"), [
    (RevisitBy.NEIGHBOURHOOD_OFFICER, Role.NEIGHBOURHOOD_OFFICER),
    (RevisitBy.VICTIM_ASSISTANCE, Role.VICTIM_ASSISTANCE_WORKER),
    (RevisitBy.INTERVENTION_OFFICER, Role.INTERVENTION_OFFICER),
    (RevisitBy.IPV_REFERENCE_OFFICER, Role.IPV_REFERENCE_OFFICER),
])
def test_the_zone_policy_decides_who_revisits_when_and_how(revisit_by, role):
    policy = ZonePolicy(revisit_by=revisit_by, revisit_delay_days=21, revisit_format="home_visit",
                        notify_sapv_of_revisit=True, version=4)
    revisit = by_kind(report_tasks(facts(datetime(2026, 11, 2, 9, tzinfo=UTC)), policy))[
        TaskKind.REVISIT]

    assert revisit.for_role == role
    assert local(revisit.due_at)[0] == "2026-11-23"
    assert revisit.policy == {"version": 4, "revisit_format": "home_visit",
                              "revisit_by": revisit_by, "revisit_delay_days": 21,
                              "notify_sapv": True, "revisit_unit": ""}


def test_a_zone_may_turn_revisits_off():
    specs = report_tasks(facts(datetime(2026, 11, 2, 9, tzinfo=UTC)),
                         ZonePolicy(revisit_enabled=False))
    assert TaskKind.REVISIT not in by_kind(specs)


def row(case_id, code, level, *, lowered=False, computed=None, confirmed=None):
    return {"case_id": case_id, "instrument_code": code, "final_level": level,
            "computed_level": computed or level, "lowered": lowered,
            "confirmed_by_id": confirmed}


def test_priority_comes_from_the_newest_full_assessment_not_a_newer_screening():
    rows = [row(1, "counter_checklist", "low"), row(1, "police_grid", "very_high"),
            row(2, "counter_checklist", "moderate"),
            # An unconfirmed lowering: the computed level stays in force.
            row(3, "police_grid", "low", lowered=True, computed="high")]
    assert case_priorities(rows) == {1: Priority.URGENT, 2: Priority.RAISED, 3: Priority.HIGH}


@pytest.mark.parametrize(("utc_hour", "hours", "expected"), [
    (20, "9-12", ("2026-11-03", "09:00")),          # 21:00 local: tomorrow at nine
    (6, "9-12", ("2026-11-02", "09:00")),           # 07:00 local: this morning at nine
    (9, "9-12", ("2026-11-02", "10:00")),           # 10:00 local: inside her window
    (20, "lun–ven 14h00–17h30", ("2026-11-03", "14:00")),
    (20, "when he is at work", ("2026-11-02", "21:00")),  # unreadable: unchanged
])
def test_a_retry_is_moved_into_the_hours_she_gave(utc_hour, hours, expected):
    moment = datetime(2026, 11, 2, utc_hour, 0, tzinfo=UTC)
    assert local(within_her_hours(moment, hours))[:2] == expected
