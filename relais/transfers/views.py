"""Screens of transfers: the request from the case page, the receiving agency's list, one
transfer with its answer (accept or decline) or its cancellation. The views parse input and call
a service or selector; the policy decides (every refusal is the same 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.access import transfers as policy
from relais.access.cases import case_access
from relais.core.actor import actor_from
from relais.core.exports import export_links, export_response
from relais.core.views import bound_form, submit_form
from relais.transfers import selectors, services
from relais.transfers.columns import INBOX_COLUMNS
from relais.transfers.forms import AnswerForm, CancelForm, TransferRequestForm


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = case_access(actor=actor, case_id=case_id)
    if not policy.manages_case(access):
        raise Http404
    pending = selectors.pending_transfer(access)
    if pending is not None:  # one at a time: show it (it can be cancelled there)
        return redirect("transfers:transfer", pending.pk)
    form = bound_form(request, TransferRequestForm, actor=actor)

    def do(data: dict) -> str:
        transfer = services.transfer_request(
            actor=actor, case_id=case_id, to_agency_id=data["to_agency"], reason=data["reason"],
            person_agreed=data.get("person_agreed", False))
        messages.success(request, _("The transfer is requested. %(agency)s will accept or "
                                    "decline it; until then the case stays yours.")
                         % {"agency": transfer.to_agency.name})
        return reverse("cases:case_detail", args=[case_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "transfers/request.html", {"form": form, "case": access.case})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "transfers/inbox.html",
                  {"inbox": selectors.inbox(actor=actor_from(request)),
                   "columns": INBOX_COLUMNS,
                   "export_links": export_links("transfers:inbox_export")})


@login_required
@require_GET
def inbox_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The transfers to accept, as listed, in CSV or XLSX (audited)."""
    actor = actor_from(request)
    return export_response(actor=actor, fmt=fmt, name="transfers", title=_("Transfers"),
                           columns=INBOX_COLUMNS,
                           rows=selectors.inbox(actor=actor).to_accept, filters={})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The transfer; for the receiving agency while pending, the answer form."""
    actor = actor_from(request)
    transfer = selectors.transfer_get(actor=actor, transfer_id=transfer_id)
    may_answer = policy.may_answer(actor, transfer)
    form = bound_form(request, AnswerForm)

    def do(data: dict) -> str:
        if data["decision"] == "accept":
            services.transfer_accept(actor=actor, transfer_id=transfer_id,
                                     reason=data["reason"])
            messages.success(request, _("Your agency now holds case %(reference)s.")
                             % {"reference": transfer.case.reference})
            return reverse("cases:case_detail", args=[transfer.case_id])
        services.transfer_decline(actor=actor, transfer_id=transfer_id, reason=data["reason"])
        messages.success(request, _("The transfer is declined; the requesting agency is told."))
        return reverse("transfers:inbox")

    if request.method == "POST":
        if not may_answer:
            raise Http404
        response = submit_form(request, form, do)
        if response is not None:
            return response
    return render(request, "transfers/transfer.html", {
        "transfer": transfer, "form": form, "may_answer": may_answer,
        "may_cancel": policy.may_cancel(actor, transfer), "cancel_form": CancelForm()})


@login_required
@require_http_methods(["POST"])
def transfer_cancel(request: HttpRequest, transfer_id: int) -> HttpResponse:
    actor = actor_from(request)
    transfer = selectors.transfer_get(actor=actor, transfer_id=transfer_id)
    if not policy.may_cancel(actor, transfer):
        raise Http404
    form = bound_form(request, CancelForm)

    def do(data: dict) -> str:
        services.transfer_cancel(actor=actor, transfer_id=transfer_id, reason=data["reason"])
        messages.success(request, _("The transfer request is cancelled."))
        return reverse("cases:case_detail", args=[transfer.case_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "transfers/transfer.html", {
        "transfer": transfer, "form": AnswerForm(), "may_answer": False, "may_cancel": True,
        "cancel_form": form})
