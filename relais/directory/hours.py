"""Opening hours as people write them, and "open now" with Belgian public holidays.

One compact text form serves the edit screen and the CSV/XLSX import:

- weekly: ``mon-fri 09:00-12:30, 13:00-17:00; sat 10:00-12:00``
- exceptions: ``2026-12-24 09:00-12:00; 2026-12-25 closed``

Parsing reports every problem it finds (unknown day, a period that closes before it opens,
periods that overlap) in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

import holidays as holiday_calendars
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from relais.directory.models import Hours, Service, hours_of

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_PERIOD = re.compile(r"^(\d{1,2})[:h.](\d{2})\s*-\s*(\d{1,2})[:h.](\d{2})$")


class HoursError(ValueError):
    """The text could not be read; ``messages`` says why, one line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ExceptionDay:
    day: date
    periods: tuple[tuple[time, time], ...]  # empty: closed

    @property
    def closed(self) -> bool:
        return not self.periods


def _time(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time(23, 59, 59)
    if h > 23 or m > 59:
        return None
    return time(h, m)


def _periods(text: str, where: str, problems: list[str]) -> list[tuple[time, time]]:
    out: list[tuple[time, time]] = []
    for chunk in (c.strip() for c in text.split(",")):
        match = _PERIOD.match(chunk)
        if not match:
            problems.append(_("%(where)s: \"%(text)s\" is not a period like 09:00-17:00.")
                            % {"where": where, "text": chunk})
            continue
        opens, closes = _time(*match.group(1, 2)), _time(*match.group(3, 4))
        if opens is None or closes is None:
            problems.append(_("%(where)s: \"%(text)s\" is not a time of day.")
                            % {"where": where, "text": chunk})
        elif closes <= opens:
            problems.append(_("%(where)s: %(text)s closes before it opens.")
                            % {"where": where, "text": chunk})
        else:
            out.append((opens, closes))
    out.sort()
    for (_a_open, a_close), (b_open, _b_close) in zip(out, out[1:], strict=False):
        if b_open < a_close:
            problems.append(_("%(where)s: the periods overlap around %(time)s.")
                            % {"where": where, "time": b_open.strftime("%H:%M")})
    return out


def _day_names(token: str, problems: list[str]) -> list[int]:
    token = token.lower()
    if "-" in token:
        first, _sep, last = token.partition("-")
        if first in DAYS and last in DAYS:
            a, b = DAYS.index(first), DAYS.index(last)
            return list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]
    elif token in DAYS:
        return [DAYS.index(token)]
    problems.append(_("\"%(text)s\" is not a day (use mon, tue, wed, thu, fri, sat, sun).")
                    % {"text": token})
    return []


def parse_weekly(text: str) -> list[tuple[int, time, time]]:
    """``mon-fri 09:00-17:00; sat 10:00-12:00`` → [(weekday, opens, closes), ...]."""
    problems: list[str] = []
    by_day: dict[int, list[tuple[time, time]]] = {}
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        days_token, _sep, rest = part.partition(" ")
        days = _day_names(days_token, problems)
        periods = _periods(rest.strip(), days_token, problems) if rest.strip() else []
        if days and not rest.strip():
            problems.append(_("%(where)s: give the hours, e.g. 09:00-17:00.")
                            % {"where": days_token})
        for day in days:
            by_day.setdefault(day, []).extend(periods)
    out: list[tuple[int, time, time]] = []
    for day, periods in sorted(by_day.items()):
        periods.sort()
        for (_a_open, a_close), (b_open, _c) in zip(periods, periods[1:], strict=False):
            if b_open < a_close:
                problems.append(_("%(where)s: the periods overlap around %(time)s.")
                                % {"where": DAYS[day], "time": b_open.strftime("%H:%M")})
        out.extend((day, opens, closes) for opens, closes in periods)
    if problems:
        raise HoursError(list(dict.fromkeys(problems)))
    return out


def parse_exceptions(text: str) -> list[ExceptionDay]:
    """``2026-12-24 09:00-12:00; 2026-12-25 closed`` → exception days."""
    problems: list[str] = []
    out: dict[date, ExceptionDay] = {}
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        day_token, _sep, rest = part.partition(" ")
        try:
            day = date.fromisoformat(day_token)
        except ValueError:
            problems.append(_("\"%(text)s\" is not a date like 2026-12-24.") % {"text": day_token})
            continue
        rest = rest.strip()
        if day in out:
            problems.append(_("%(where)s is given twice.") % {"where": day_token})
            continue
        if rest.lower() in {"closed", "fermé", "ferme", "gesloten", "geschlossen"}:
            out[day] = ExceptionDay(day, ())
        else:
            out[day] = ExceptionDay(day, tuple(_periods(rest, day_token, problems)))
    if problems:
        raise HoursError(list(dict.fromkeys(problems)))
    return sorted(out.values(), key=lambda e: e.day)


def format_weekly(periods) -> str:
    """The weekly schedule back as text (periods: objects with weekday, opens, closes)."""
    by_day: dict[int, list[str]] = {}
    for p in periods:
        by_day.setdefault(p.weekday, []).append(f"{p.opens:%H:%M}-{p.closes:%H:%M}")
    return "; ".join(f"{DAYS[d]} {', '.join(spans)}" for d, spans in sorted(by_day.items()))


def format_exceptions(exceptions) -> str:
    by_day: dict[date, list[str]] = {}
    for e in exceptions:
        spans = by_day.setdefault(e.day, [])
        if not e.closed:
            spans.append(f"{e.opens:%H:%M}-{e.closes:%H:%M}")
    return "; ".join(f"{d.isoformat()} {', '.join(s) if s else 'closed'}"
                     for d, s in sorted(by_day.items()))


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.Belgium(years=year).keys())


def public_holidays(*years: int) -> set[date]:
    """Belgian public holidays (the ``holidays`` package) of the given years."""
    out: set[date] = set()
    for year in years:
        out |= _holidays_of(year)
    return out


def holidays_around(moment: datetime) -> set[date]:
    local = timezone.localtime(moment)
    return public_holidays(local.year, local.year + 1)


def next_opening(service: Service | Hours, moment: datetime, *, days: int = 8,
                 calendar: set[date] | None = None) -> datetime | None:
    """When the service next opens after ``moment`` (None if not within ``days``);
    ``calendar``: the public holidays around ``moment`` when the caller has them."""
    if calendar is None:
        calendar = holidays_around(moment)
    return hours_of(service).next_opening(timezone.localtime(moment), holidays=calendar,
                                          days=days)


def week_rows(service: Service) -> list[tuple[str, str]]:
    """(day name, "09:00–12:30, 13:00–17:00" or "") for Monday to Sunday, for display."""
    spans: dict[int, list[str]] = {}
    for p in service.periods.all():
        spans.setdefault(p.weekday, []).append(f"{p.opens:%H:%M}–{p.closes:%H:%M}")
    return [(str(WEEKDAYS[d]), ", ".join(spans.get(d, []))) for d in range(7)]
