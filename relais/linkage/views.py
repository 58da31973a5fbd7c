"""Screens of the linkage: the likely known persons while a person is typed, the review queue,
one link with its evidence and decisions, and the family of a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.access.cases import owner_case_access
from relais.core.actor import actor_from
from relais.core.ids import parse_id
from relais.core.views import bound_form, submit_form
from relais.linkage import family, rescan, selectors, services
from relais.linkage.forms import ContinueForm, DecisionForm, ProbeForm, UndoForm
from relais.linkage.records import record_from_fields


@login_required
@require_POST
def proposals(request: HttpRequest, case_id: int) -> HttpResponse:
    """The likely known persons for the identity typed in "Add a person" (htmx, POST: nothing
    personal in the URL)."""
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    identity = ProbeForm(request.POST).identity()
    candidates = []
    if ProbeForm.enough(identity):
        in_case = frozenset(access.case.participants.values_list("person_id", flat=True))
        candidates = selectors.candidates_for(actor=actor, record=record_from_fields(**identity),
                                              exclude=in_case)
    return render(request, "linkage/_proposals.html",
                  {"candidates": candidates, "asked": ProbeForm.enough(identity)})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    page = selectors.review_queue(actor=actor_from(request),
                                  status=request.GET.get("status", "open"),
                                  page=parse_id(request.GET.get("page", "1")) or 1)
    return render(request, "linkage/queue.html", {"page": page})


@login_required
@require_POST
def rescan_view(request: HttpRequest) -> HttpResponse:
    """Look again for the same persons in the agency's open cases: a job, its page shows the
    progress (relais.linkage.rescan)."""
    try:
        job = rescan.rescan_start(actor=actor_from(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return HttpResponseRedirect(reverse("linkage:queue"))
    return redirect("core:job", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def link_detail(request: HttpRequest, link_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.link_get(actor=actor, link_id=link_id)
    form = bound_form(request, DecisionForm)

    def do(data) -> str:
        services.link_decide(actor=actor, link_id=link_id, same=data["decision"] == "same",
                             reason=data["reason"])
        return reverse("linkage:link", args=[link_id])

    return submit_form(request, form, do) or render(request, "linkage/link.html", {
        "view": view, "form": form, "undo_form": UndoForm(),
        "decisions": selectors.decisions_of(view.link)})


@login_required
@require_POST
def link_undo(request: HttpRequest, link_id: int) -> HttpResponse:
    actor = actor_from(request)
    view = selectors.link_get(actor=actor, link_id=link_id)
    form = UndoForm(request.POST)

    def do(data) -> str:
        services.link_undo(actor=actor, link_id=link_id, reason=data["reason"])
        return reverse("linkage:link", args=[link_id])

    return submit_form(request, form, do) or render(request, "linkage/link.html", {
        "view": view, "form": DecisionForm(), "undo_form": form,
        "decisions": selectors.decisions_of(view.link)})


@login_required
@require_POST
def continue_on(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move a new case of a couple onto its earlier file in the same agency (reactivation)."""
    actor = actor_from(request)
    owner_case_access(actor=actor, case_id=case_id)
    form = ContinueForm(request.POST)
    if form.is_valid():
        try:
            merge = services.family_file_continue(
                actor=actor, case_id=case_id, into_id=form.cleaned_data["into"],
                reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if merge is None:
                messages.info(request, _("Moving this case onto the family's file waits for a "
                                         "supervisor's approval."))
                return HttpResponseRedirect(reverse("cases:case_detail", args=[case_id]))
            messages.success(request, _("This case's records are now on the family's file %(ref)s.")
                             % {"ref": merge.target.reference})
            return HttpResponseRedirect(reverse("cases:case_detail", args=[merge.target_id]))
    else:
        messages.error(request, _("Say why this report belongs to the earlier file."))
    return HttpResponseRedirect(reverse("cases:case_detail", args=[case_id]))


@login_required
def family_view(request: HttpRequest, case_id: int) -> HttpResponse:
    view = family.family_of(actor=actor_from(request), case_id=case_id)
    return render(request, "linkage/family.html", {"family": view})
