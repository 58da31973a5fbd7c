"""Screens of approvals: the list (to decide, and her own requests), approve, refuse."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.approvals import selectors, services
from relais.approvals.forms import DecisionForm
from relais.core.actor import actor_from
from relais.core.views import act


@login_required
@require_http_methods(["GET"])
def approval_list(request: HttpRequest) -> HttpResponse:
    """Requests waiting for her decision, and her own with their decisions (read: their notice
    is no longer counted)."""
    actor = actor_from(request)
    lists = selectors.approval_lists(actor=actor)
    unread = {item.pk for item in lists.mine
              if item.state != "pending" and item.requester_seen_at is None}
    if unread:
        services.approval_seen(actor=actor)
    return render(request, "approvals/list.html", {
        "to_decide": lists.to_decide, "mine": lists.mine, "unread": unread,
        "form": DecisionForm()})


def _reason(request: HttpRequest) -> str:
    form = DecisionForm(request.POST)
    form.is_valid()
    return form.cleaned_data.get("reason", "")


@login_required
@require_POST
def approval_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    return act(request, lambda: services.approval_approve(
        actor=actor_from(request), request_id=request_id, reason=_reason(request)),
        success=_("Approved: the step was carried out."), then=reverse("approvals:list"))


@login_required
@require_POST
def approval_refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    return act(request, lambda: services.approval_refuse(
        actor=actor_from(request), request_id=request_id, reason=_reason(request)),
        success=_("Refused: the requester is told why."), then=reverse("approvals:list"))
