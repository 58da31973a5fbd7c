"""Screens of the figures: the dashboard of the reader's zone or office."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from relais.core.actor import actor_from
from relais.figures.dashboard import dashboard as dashboard_panels


def _month(raw: str) -> date | None:
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The last twelve months by default; ``start`` and ``end`` as YYYY-MM (both included)."""
    today = timezone.localdate().replace(day=1)
    default_start = date(today.year - 1, today.month, 1)
    start = _month(request.GET.get("start", "")) or default_start
    last = _month(request.GET.get("end", "")) or today
    if last < start:
        start, last = default_start, today
    panels = dashboard_panels(actor=actor_from(request), start=start, end=_next_month(last))
    return render(request, "figures/dashboard.html", {
        "panels": panels, "start": start.strftime("%Y-%m"), "end": last.strftime("%Y-%m"),
        "computed_at": timezone.now()})
