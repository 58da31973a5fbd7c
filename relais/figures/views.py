"""Screens of the figures: the dashboard of the reader's scope, with its filters."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from relais.core.actor import actor_from
from relais.figures.dashboard import Filters
from relais.figures.dashboard import dashboard as build_dashboard


def _month(raw: str) -> date | None:
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1) if 1900 <= year <= 2999 else None
    except (TypeError, ValueError):
        return None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def filters_from(request: HttpRequest) -> Filters:
    """The last twelve months by default; ``start`` and ``end`` as YYYY-MM (both included); a
    bad value falls back to the default, never an error."""
    today = timezone.localdate().replace(day=1)
    default_start = date(today.year - 1, today.month, 1)
    start = _month(request.GET.get("start", "")) or default_start
    last = _month(request.GET.get("end", "")) or today
    if last < start or (last.year - start.year) > 10:
        start, last = default_start, today
    series = request.GET.get("series", "")
    return Filters(start=start, end=_next_month(last), area=request.GET.get("area", "")[:40],
                   reference=request.GET.get("reference", "")[:12],
                   series=int(series) if series.isdigit() and len(series) < 10 else None,
                   view=request.GET.get("view", "")[:12] or "roadmap")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = build_dashboard(actor=actor_from(request), filters=filters_from(request))
    last = date.fromordinal(board.filters.end.toordinal() - 1)
    return render(request, "figures/dashboard.html", {
        "board": board, "panels": board.panels, "start": board.filters.start.strftime("%Y-%m"),
        "end": last.strftime("%Y-%m")})
