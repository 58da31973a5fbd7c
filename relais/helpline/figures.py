"""The helpline's figures (issue 17 §3), with the field's counting rules (§1):

- calls by caller type, channel, hour of day and month: each call is in one cell, so the cells
  add up to N, the number of calls, which is printed;
- calls by topic: several answers possible, so each topic is a share of N calls and the topics
  are never added up;
- the month-over-month variation in % (relais.figures.rules.variation_pct), none when either
  month is suppressed;
- small counts suppressed (relais.figures.rules, threshold ``FIGURES_SMALL_CELL``, 5): in the
  tables whose cells add up to N, primarily and secondarily (``suppress``); among the topics,
  which have no total, primarily only; and N itself when it is a small count.

Aggregates only, in a constant number of queries (six) whatever the number of calls; the read
is audited (no case).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import helpline as policy
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.figures.rules import share_pct, small_cell_threshold, suppress, variation_pct
from relais.figures.tables import Column, Table
from relais.helpline.models import CallerType, CallTopic, Channel, Topic

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    count: int | None  # None: suppressed
    share: Decimal | None  # % of N calls; None when suppressed


@dataclass(frozen=True)
class MonthRow:
    month: date
    count: int | None
    variation: Decimal | None


@dataclass(frozen=True)
class HelplineFigures:
    start: date  # the first day of the first month
    end: date  # today
    calls: int  # N
    caller_types: list[Cell]
    channels: list[Cell]
    topics: list[Cell]  # several answers possible: shares of N, no total
    hours: list[Cell]
    months: list[MonthRow]
    threshold: int

    @property
    def calls_shown(self) -> int | None:
        """N as printed: itself a small count when it is 1 to 4 (then every cell is hidden)."""
        return None if 0 < self.calls < self.threshold else self.calls


def hide_small(counts: Mapping[str, int], *, exclusive: bool,
               threshold: int) -> dict[str, int | None]:
    """``counts`` with the small ones hidden (None). ``exclusive``: the cells add up to a
    published N, so they are suppressed secondarily too (``suppress``, as a one-column table);
    otherwise (several answers possible) primarily only."""
    if not exclusive:
        return {code: None if 0 < count < threshold else count for code, count in counts.items()}
    table = suppress({code: {"calls": count} for code, count in counts.items()},
                     threshold=threshold)
    return {code: table.cells[code]["calls"] for code in counts}


def _cells(counts: Mapping[str, int], labels: Mapping[str, str], *, calls: int,
           exclusive: bool, threshold: int) -> list[Cell]:
    shown = hide_small(counts, exclusive=exclusive, threshold=threshold)
    return [Cell(code=code, label=str(labels[code]), count=shown[code],
                 share=None if shown[code] is None else share_pct(shown[code], calls))
            for code in counts]


def _months(start: date, end: date) -> list[date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def first_month(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before today's."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _as_date(month: datetime | date, zone) -> date:
    return timezone.localtime(month, zone).date() if isinstance(month, datetime) else month


def call_figures(calls: QuerySet, *, start: date, end: date) -> HelplineFigures:
    """The figures of ``calls`` started from ``start`` to the end of ``end`` (local days), in
    six queries. No access check: the caller decides who reads."""
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime(start.year, start.month, start.day), zone)
    until = timezone.make_aware(datetime.combine(end, datetime.max.time()), zone)
    period = calls.filter(started_at__gte=since, started_at__lte=until)
    total = period.count()

    def by(field: str) -> dict[str, int]:
        return {row[field]: row["n"] for row in
                period.values(field).annotate(n=Count("pk")).order_by()}

    callers = by("caller_type")
    channels = by("channel")
    topics = {row["topic"]: row["n"] for row in
              CallTopic.objects.filter(call__in=period).values("topic")
              .annotate(n=Count("call_id", distinct=True)).order_by()}
    hours = {row["hour"]: row["n"] for row in
             period.annotate(hour=ExtractHour("started_at", tzinfo=zone)).values("hour")
             .annotate(n=Count("pk")).order_by()}
    per_month = {_as_date(row["month"], zone): row["n"] for row in
                 period.annotate(month=TruncMonth("started_at", tzinfo=zone)).values("month")
                 .annotate(n=Count("pk")).order_by()}

    months = _months(start, end)
    threshold = small_cell_threshold()
    shown = hide_small({m.isoformat(): per_month.get(m, 0) for m in months}, exclusive=True,
                       threshold=threshold)
    month_rows, previous = [], None
    for month in months:
        count = shown[month.isoformat()]
        month_rows.append(MonthRow(month=month, count=count,
                                   variation=None if count is None or previous is None
                                   else variation_pct(count, previous)))
        previous = count
    hour_labels = {str(h): f"{h:02d}:00–{h:02d}:59" for h in range(24)}
    return HelplineFigures(
        start=start, end=end, calls=total, threshold=threshold,
        caller_types=_cells({c: callers.get(c, 0) for c in CallerType.values},
                            dict(CallerType.choices), calls=total, exclusive=True,
                            threshold=threshold),
        channels=_cells({c: channels.get(c, 0) for c in Channel.values},
                        dict(Channel.choices), calls=total, exclusive=True,
                        threshold=threshold),
        topics=_cells({c: topics.get(c, 0) for c in Topic.values}, dict(Topic.choices),
                      calls=total, exclusive=False, threshold=threshold),
        hours=_cells({str(h): hours.get(h, 0) for h in range(24)}, hour_labels, calls=total,
                     exclusive=True, threshold=threshold),
        months=month_rows)


def helpline_figures(*, actor: Actor, months: int = DEFAULT_MONTHS,
                     today: date | None = None) -> HelplineFigures:
    """The figures of the analyst's helpline over its last ``months`` months (this one
    included); the read is audited (aggregates: no case)."""
    if not policy.may_see_figures(actor):
        raise Http404
    end = today or timezone.localdate()
    start = first_month(end, months)
    figures = call_figures(policy.figures_scope(actor), start=start, end=end)
    audit_record(actor=actor, action=Action.READ, target=actor.agency,
                 basis=f"helpline figures {start.isoformat()}/{end.isoformat()}")
    return figures



def helpline_tables(figures: HelplineFigures) -> list[Table]:
    """What the figures screen shows, as tables for the exports (relais.figures.exports): by
    caller, channel, topic, month and hour of day; a hidden count is None."""
    reference = _("by the date and hour of the call")
    source = _("Relais: the helpline's call log")
    hidden = _("Counts below %(threshold)s are hidden, and so are other cells from which the "
               "total would reveal them. Shares are of N calls, rounded half away from "
               "zero.") % {"threshold": figures.threshold}
    notes: tuple[str, ...] = (hidden,)
    if figures.calls_shown is None:
        notes += (_("N is itself a small count and is hidden."),)
    calls, share = Column("calls", _("Calls")), Column("share_pct", _("Share of N calls (%)"))

    def cells(key: str, title: str, heading: Column, rows: list[Cell], *,
              several: bool = False) -> Table:
        return Table(key=key, title=title, columns=(heading, calls, share),
                     rows=tuple((cell.label, cell.count, cell.share) for cell in rows),
                     reference_date=reference, n=figures.calls_shown, n_label=_("calls"),
                     notes=((_("Several answers possible: each topic is a share of N calls, "
                               "and the topics do not add up."),) if several else ()) + notes,
                     source=source)

    months = Table(
        key="helpline-months", title=_("Calls by month"),
        columns=(Column("month", _("Month"), numeric=False), calls,
                 Column("variation_pct", _("Change from the month before (%)"))),
        rows=tuple((row.month.strftime("%Y-%m"), row.count, row.variation)
                   for row in figures.months),
        reference_date=reference, n=figures.calls_shown, n_label=_("calls"), notes=notes,
        source=source)
    return [
        cells("helpline-callers", _("Calls by caller"),
              Column("caller_type", _("Caller"), numeric=False), figures.caller_types),
        cells("helpline-channels", _("Calls by channel"),
              Column("channel", _("Channel"), numeric=False), figures.channels),
        cells("helpline-topics", _("Calls by topic"),
              Column("topic", _("Topic"), numeric=False), figures.topics, several=True),
        months,
        cells("helpline-hours", _("Calls by hour of day"),
              Column("hour", _("Hour"), numeric=False), figures.hours),
    ]
