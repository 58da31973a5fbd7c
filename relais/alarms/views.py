"""Screens of the harassment alarm: the dispatch board and the one-screen summary (dispatchers),
the requests and their decision (zone and prosecutor's office), the inventory of devices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import alarms as alarm_policy
from relais.access.cases import owner_case_access
from relais.alarms import selectors, services
from relais.alarms.columns import BOARD_COLUMNS, REQUEST_COLUMNS
from relais.alarms.forms import (
    AssignForm,
    DecisionForm,
    DeviceForm,
    DeviceStatusForm,
    EndForm,
    RequestForm,
)
from relais.alarms.models import DeviceStatus
from relais.alarms.rules import alarm_rules
from relais.core.actor import actor_from
from relais.core.exports import export_links, export_response
from relais.core.views import act, bound_form, submit_form

# --- Dispatch ---------------------------------------------------------------------------------

@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The dispatch board: activations of the zone, newest first, anomalies on top; refreshed
    every 5 s by htmx (the fragment), or by the browser without JavaScript."""
    actor = actor_from(request)
    if not alarm_policy.is_dispatcher(actor):
        # The same menu entry leads the others to their part: requests, or the inventory.
        if alarm_policy.sees_requests(actor):
            return redirect("alarms:requests")
        if alarm_policy.may_keep_inventory(actor):
            return redirect("alarms:devices")
        raise Http404
    rows = selectors.activation_board(actor=actor)
    context = {"rows": rows, "alerts": [row for row in rows if row.alert],
               "columns": BOARD_COLUMNS, "export_links": export_links("alarms:board_export")}
    if request.htmx:
        return render(request, "alarms/_board.html", context)
    return render(request, "alarms/board.html", context)


@login_required
def activation_summary(request: HttpRequest, activation_id: int) -> HttpResponse:
    summary = selectors.activation_summary(actor=actor_from(request),
                                           activation_id=activation_id)
    return render(request, "alarms/summary.html", {"s": summary, "a": summary.activation})


@login_required
@require_POST
def activation_handle(request: HttpRequest, activation_id: int) -> HttpResponse:
    actor = actor_from(request)
    back = request.POST.get("next", "")
    then = back if back.startswith("/alarms/") else reverse("alarms:board")
    return act(request, lambda: services.activation_handle(actor=actor,
                                                           activation_id=activation_id),
               success=_("The activation is marked handled."), then=then)


# --- Requests and decision -----------------------------------------------------------------------

@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not alarm_policy.sees_requests(actor):
        raise Http404
    return render(request, "alarms/requests.html", {
        "requests": selectors.request_list(actor=actor),
        "may_keep_inventory": alarm_policy.may_keep_inventory(actor),
        "columns": REQUEST_COLUMNS, "export_links": export_links("alarms:requests_export")})


@login_required
@require_GET
def board_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dispatcher's board as shown (its newest activations), in CSV or XLSX (audited)."""
    actor = actor_from(request)
    if not alarm_policy.is_dispatcher(actor):
        raise Http404
    return export_response(actor=actor, fmt=fmt, name="alarm-board",
                           title=_("Dispatch board — harassment alarms"), columns=BOARD_COLUMNS,
                           rows=selectors.activation_board(actor=actor), filters={})


@login_required
@require_GET
def requests_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The alarm requests as listed, in CSV or XLSX (audited)."""
    actor = actor_from(request)
    if not alarm_policy.sees_requests(actor):
        raise Http404
    return export_response(actor=actor, fmt=fmt, name="alarm-requests",
                           title=_("Harassment-alarm requests"), columns=REQUEST_COLUMNS,
                           rows=selectors.request_list(actor=actor), filters={})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    if not alarm_policy.may_request(actor):
        raise Http404
    form = bound_form(request, RequestForm)

    def do(data: dict[str, Any]) -> str:
        created = services.alarm_request_create(
            actor=actor, case_id=case_id, criteria=form.criteria(),
            motivation=data.get("motivation", ""))
        if created.prosecutor_office is None:
            messages.warning(request, _(
                "The request is recorded, but the case is not forwarded to a prosecutor's "
                "office yet: forward the official report, and the request will wait there."))
        else:
            messages.success(request, _("The request is sent to %(office)s.")
                             % {"office": created.prosecutor_office.name})
        return reverse("alarms:request", args=[created.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "alarms/request_new.html", {
        "case": access.case, "form": form, "rules": alarm_rules(),
        "assessment": services.latest_assessment(access),
        "office": services.prosecutor_office_of(case_id)})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request, its criteria and assessment, the decision, the device, the support; each
    form posts here with its ``action`` (so that the decision's draft comes back here)."""
    actor = actor_from(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    stock = selectors.devices_in_stock(actor=actor)
    decision_form = (bound_form(request, DecisionForm) if action in ("", "decide")
                     else DecisionForm())
    assign_form = AssignForm(request.POST if action == "assign" else None, stock=stock)
    end_form = EndForm(request.POST if action == "end" else None)
    here = reverse("alarms:request", args=[request_id])

    def decide(data: dict[str, Any]) -> str:
        services.alarm_request_decide(actor=actor, request_id=request_id,
                                      grant=decision_form.grant(), reasons=data["reasons"])
        messages.success(request, _("The decision is recorded and the police zone is told."))
        return here

    def assign(data: dict[str, Any]) -> str:
        device = data.get("device")
        assignment = services.alarm_assign(
            actor=actor, request_id=request_id, device_id=device.pk if device else None,
            paired_on=data.get("paired_on"))
        messages.success(request, _("Device %(serial)s is assigned; the first review is due "
                                    "on %(day)s.") % {
            "serial": assignment.device.serial,
            "day": assignment.review_due.strftime("%d/%m/%Y")})
        return here

    def end(data: dict[str, Any]) -> str:
        services.alarm_end(actor=actor, request_id=request_id, reason=data["reason"])
        messages.success(request, _("The alarm has ended: the device is to be collected."))
        return here

    if action == "review":
        return act(request, lambda: services.alarm_review_record(actor=actor,
                                                                 request_id=request_id),
                   success=_("The review is recorded; the next one is planned."), then=here)
    posted = {"decide": (decision_form, decide), "assign": (assign_form, assign),
              "end": (end_form, end)}.get(action)
    if request.method == "POST" and posted is None:
        raise Http404
    if posted is not None:
        response = submit_form(request, posted[0], posted[1])
        if response is not None:
            return response
    view = selectors.request_get(actor=actor, request_id=request_id)
    return render(request, "alarms/request.html", {
        "view": view, "r": view.request, "decision_form": decision_form,
        "assign_form": assign_form, "end_form": end_form})


# --- Inventory ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    rows = selectors.device_list(actor=actor)
    form = bound_form(request, DeviceForm)

    def do(data: dict[str, Any]) -> str:
        device = services.device_add(actor=actor, **data)
        messages.success(request, _("Device %(serial)s is in stock.") % {"serial": device.serial})
        return reverse("alarms:devices")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    counts = {status: sum(1 for row in rows if row.device.status == status)
              for status in DeviceStatus.values}
    return render(request, "alarms/devices.html", {
        "rows": rows, "form": form, "counts": counts, "statuses": DeviceStatus.choices,
        "sees_requests": alarm_policy.sees_requests(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def device_detail(request: HttpRequest, device_id: int) -> HttpResponse:
    actor = actor_from(request)
    device = selectors.device_get(actor=actor, device_id=device_id)
    form = bound_form(request, DeviceStatusForm)

    def do(data: dict[str, Any]) -> str:
        services.device_set_status(actor=actor, device_id=device_id, status=data["status"],
                                   note=data["note"])
        messages.success(request, _("The device's status is saved."))
        return reverse("alarms:devices")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "alarms/device.html", {"device": device, "form": form})
