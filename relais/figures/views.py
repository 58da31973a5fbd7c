"""Screens of the figures: the dashboard of the reader's scope, with its filters."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.core.actor import actor_from
from relais.figures import exports
from relais.figures.dashboard import Dashboard, Filters
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


def _query(board: Dashboard) -> dict[str, str]:
    """The filters the dashboard applied, as the query of its links (exports)."""
    filters = board.filters
    return {"view": filters.view, "start": filters.start.strftime("%Y-%m"),
            "end": _last_month(filters).strftime("%Y-%m"), "area": filters.area,
            "reference": filters.reference, "series": str(filters.series or "")}


def _last_month(filters: Filters) -> date:
    return date.fromordinal(filters.end.toordinal() - 1).replace(day=1)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = build_dashboard(actor=actor_from(request), filters=filters_from(request))
    query = _query(board)
    return render(request, "figures/dashboard.html", {
        "board": board, "panels": board.panels, "start": query["start"], "end": query["end"],
        "links": exports.export_links("figures:export", query=query),
        "export_query": urlencode({k: v for k, v in query.items() if v})})


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's tables as CSV, XLSX or PDF with the same filters (all, or
    ``?table=KEY``); same policy as the dashboard, audited as an export."""
    actor = actor_from(request)
    board = build_dashboard(actor=actor, filters=filters_from(request))
    query = _query(board)
    subtitle = _("%(level)s, from %(start)s to %(end)s (months included).") % {
        "level": board.level_label, "start": query["start"], "end": query["end"]}
    return exports.export_response(
        actor=actor, panels=exports.panel_select(board.panels, request.GET.get("table")),
        fmt=fmt, title=_("Figures"), subtitle=subtitle,
        basis=f"figures dashboard {query['view']} {query['start']}/{query['end']} "
              f"{query['area'] or board.scope.level}")
