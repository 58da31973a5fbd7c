"""Screens of the family proceedings: record a court's decision, its page, a court's list, open
a case to a court, and the notices between criminal and family justice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.core.actor import actor_from
from relais.core.views import act, bound_form, submit_form
from relais.family import selectors, services
from relais.family.forms import EndForm, OpenToCourtForm, ProceedingForm


@login_required
def court_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.court_records(actor=actor_from(request))
    return render(request, "family/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = selectors.record_form_context(actor=actor, case_id=case_id)
    form = bound_form(request, ProceedingForm, courts=selectors.court_choices())

    def do(data: dict) -> str:
        proceeding = services.proceeding_record(actor=actor, case_id=case_id,
                                                **form.arguments())
        messages.success(request, _("The decision is recorded. The prosecutor's office and the "
                                    "police zone are told what was decided."))
        return reverse("family:proceeding", args=[proceeding.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "family/proceeding_new.html", {"form": form, "case": access.case})


@login_required
@require_http_methods(["GET"])
def proceeding_detail(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    view = selectors.proceeding_get(actor=actor_from(request), proceeding_id=proceeding_id)
    return render(request, "family/proceeding.html", {"view": view, "end_form": EndForm()})


@login_required
@require_POST
def proceeding_end(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    actor = actor_from(request)
    form = EndForm(request.POST)
    if not form.is_valid():
        raise Http404
    ends_on = form.cleaned_data.get("ends_on")
    return act(request, lambda: services.proceeding_end(actor=actor, proceeding_id=proceeding_id,
                                                        ends_on=ends_on),
               success=_("The decision is ended."),
               then=reverse("family:proceeding", args=[proceeding_id]))


@login_required
@require_http_methods(["GET", "POST"])
def open_to_court(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = selectors.open_form_context(actor=actor, case_id=case_id)
    form = bound_form(request, OpenToCourtForm, courts=selectors.court_choices())

    def do(data: dict) -> str:
        share = services.case_open_to_court(actor=actor, case_id=case_id,
                                            court_id=int(data["court"]))
        messages.success(request, _("%(court)s sees the judicial part of the case, and no "
                                    "more.") % {"court": share.recipient_agency.name})
        return reverse("cases:case_detail", args=[case_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "family/open_to_court.html", {"form": form, "case": access.case})


@login_required
@require_http_methods(["GET"])
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    view = selectors.notice_get(actor=actor_from(request), notice_id=notice_id)
    return render(request, "family/notice.html", {"view": view})
