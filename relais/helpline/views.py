"""Screens of the helpline: the call screen, the agency's recent calls, the figures. The views
parse input and call a service or selector; the policy decides (every refusal is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.access import helpline as policy
from relais.core.actor import actor_from
from relais.core.views import bound_form, submit_form
from relais.figures import exports
from relais.figures.tables import Panel
from relais.helpline import figures as call_figures
from relais.helpline import selectors, services
from relais.helpline.forms import CallForm

NEW_CALL_BUTTON = "_new_call"
MONTH_CHOICES = (3, 6, 12, 24)


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    """The call screen: one form, filled from the keyboard during the call."""
    actor = actor_from(request)
    if not policy.may_record_calls(actor):
        raise Http404
    form = bound_form(request, CallForm)

    def do(data: dict) -> str:
        services.call_record(
            actor=actor, started_at=data["started_at"],
            duration_minutes=data["duration_minutes"], channel=data["channel"],
            language=data["language"], caller_type=data["caller_type"],
            victim_sex=data["victim_sex"], victim_age=data["victim_age"],
            violence_forms=data["violence_forms"], children_present=data["children_present"],
            danger_now=data["danger_now"], province=data["province"], topics=data["topics"],
            referral_id=data["referral"], referral_other=data["referral_other"],
            police_called=data["police_called"], note=data["note"])
        messages.success(request, _("The call is saved."))
        if NEW_CALL_BUTTON in request.POST:
            return reverse("helpline:call_new")
        return reverse("helpline:calls")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "helpline/call_new.html", {"form": form,
                                                      "new_call_button": NEW_CALL_BUTTON})


@login_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    recent = selectors.recent_calls(actor=actor_from(request))
    return render(request, "helpline/calls.html", {"recent": recent})


def _months(request: HttpRequest) -> int:
    asked = request.GET.get("months", "")
    return next((choice for choice in MONTH_CHOICES if str(choice) == asked), 12)


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    found = call_figures.helpline_figures(actor=actor_from(request), months=months)
    shown = found.calls_shown
    return render(request, "helpline/figures.html", {
        "figures": found, "months": months, "month_choices": MONTH_CHOICES,
        "n_label": f"<{found.threshold}" if shown is None else shown,
        "export_links": exports.export_links("helpline:figures_export",
                                             query={"months": str(months)})})


@login_required
@require_GET
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The figures screen's tables as CSV, XLSX or PDF (all, or ``?table=KEY``); same policy
    as the screen, audited as an export."""
    actor = actor_from(request)
    found = call_figures.helpline_figures(actor=actor, months=_months(request))
    panels = exports.panel_select([Panel(table=table)
                                   for table in call_figures.helpline_tables(found)],
                                  request.GET.get("table"))
    subtitle = _("Calls started from %(start)s to %(end)s, both included.") % {
        "start": date_format(found.start, "SHORT_DATE_FORMAT"),
        "end": date_format(found.end, "SHORT_DATE_FORMAT")}
    return exports.export_response(
        actor=actor, panels=panels, fmt=fmt, title=_("Helpline figures"), subtitle=subtitle,
        basis=f"helpline figures {found.start.isoformat()}/{found.end.isoformat()}")
