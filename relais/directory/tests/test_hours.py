"""Opening hours as written, and "open now" across hours, exceptions and public holidays."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from relais.directory.hours import (
    HoursError,
    holidays_around,
    next_opening,
    parse_exceptions,
    parse_weekly,
)
from relais.directory.models import ScheduleException, is_open_at
from relais.directory.tests.factories import make_service

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BRUSSELS)


def test_weekly_hours_are_read_with_ranges_and_several_periods():
    periods = parse_weekly("mon-fri 09:00-12:30, 13:00-17:00; sat 10h00-12h00")
    assert (0, time(9), time(12, 30)) in periods
    assert (4, time(13), time(17)) in periods
    assert (5, time(10), time(12)) in periods
    assert len(periods) == 11


@pytest.mark.parametrize(("text", "fragment"), [
    ("mon 17:00-09:00", "closes before it opens"),
    ("mon 09:00-13:00, 12:00-17:00", "overlap"),
    ("mon-fri 09:00-13:00; wed 12:00-14:00", "overlap"),
    ("lundi 09:00-17:00", "is not a day"),
    ("mon 9-17", "is not a period"),
    ("mon 25:00-26:00", "not a time of day"),
])
def test_conflicting_or_unreadable_hours_are_refused_with_a_reason(text, fragment):
    with pytest.raises(HoursError) as error:
        parse_weekly(text)
    assert any(fragment in message for message in error.value.messages)


def test_conflicting_hours_are_explained_in_the_users_language():
    with translation.override("fr"), pytest.raises(HoursError) as error:
        parse_weekly("mon 17:00-09:00")
    assert "ferme avant d'ouvrir" in error.value.messages[0]


def test_exceptions_are_days_closed_or_with_other_hours():
    days = parse_exceptions("2026-12-24 09:00-12:00; 2026-12-31 closed")
    assert days[0].periods == ((time(9), time(12)),)
    assert days[1].closed
    with pytest.raises(HoursError):
        parse_exceptions("2026-12-24 closed; 2026-12-24 09:00-10:00")
    with pytest.raises(HoursError):
        parse_exceptions("24/12 closed")


@pytest.mark.django_db
def test_open_now_follows_the_weekly_hours_to_the_minute():
    service = make_service("hours", hours="mon-fri 09:00-12:30, 13:00-17:00")
    calendar = holidays_around(at(2026, 11, 23, 10))
    assert not is_open_at(service, at(2026, 11, 23, 8, 59), holidays=calendar)  # Monday
    assert is_open_at(service, at(2026, 11, 23, 9, 0), holidays=calendar)
    assert not is_open_at(service, at(2026, 11, 23, 12, 45), holidays=calendar)  # lunch
    assert not is_open_at(service, at(2026, 11, 23, 17, 0), holidays=calendar)
    assert not is_open_at(service, at(2026, 11, 22, 10), holidays=calendar)  # Sunday


@pytest.mark.django_db
def test_public_holidays_close_a_service_unless_it_stays_open_on_them():
    closing = make_service("holiday-closed", hours="mon-fri 09:00-17:00")
    staying = make_service("holiday-open", hours="mon-fri 09:00-17:00",
                           closed_on_public_holidays=False)
    christmas = at(2026, 12, 25, 10)  # a Friday
    armistice = at(2026, 11, 11, 10)  # a Wednesday
    calendar = holidays_around(christmas)
    assert date(2026, 12, 25) in calendar and date(2026, 11, 11) in calendar
    assert not is_open_at(closing, christmas, holidays=calendar)
    assert not is_open_at(closing, armistice, holidays=calendar)
    assert is_open_at(staying, christmas, holidays=calendar)


@pytest.mark.django_db
def test_an_exception_overrides_the_week_and_the_holiday():
    service = make_service("exception", hours="mon-fri 09:00-17:00")
    ScheduleException.objects.create(service=service, day=date(2026, 12, 24), opens=time(9),
                                     closes=time(12))
    ScheduleException.objects.create(service=service, day=date(2026, 12, 25), opens=time(10),
                                     closes=time(11))
    ScheduleException.objects.create(service=service, day=date(2026, 12, 28))  # closed
    calendar = holidays_around(at(2026, 12, 24, 10))
    assert is_open_at(service, at(2026, 12, 24, 11), holidays=calendar)
    assert not is_open_at(service, at(2026, 12, 24, 14), holidays=calendar)
    assert is_open_at(service, at(2026, 12, 25, 10, 30), holidays=calendar)
    assert not is_open_at(service, at(2026, 12, 28, 10), holidays=calendar)


@pytest.mark.django_db
def test_always_open_and_next_opening_across_a_weekend_and_daylight_saving():
    always = make_service("always", always_open=True, hours="")
    assert is_open_at(always, at(2026, 3, 29, 2, 30), holidays=set())
    weekdays = make_service("weekdays", hours="mon-fri 09:00-17:00")
    # Saturday 28 March 2026; clocks go forward on Sunday 29 March.
    opening = next_opening(weekdays, at(2026, 3, 28, 12))
    assert opening == at(2026, 3, 30, 9)
    assert opening.utcoffset().total_seconds() == 7200  # summer time
