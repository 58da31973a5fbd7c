"""Screens of the safety plan: make it with her, the plan, review it (or confirm it unchanged),
its versions, one version, the discreet printed plan, and her consents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.core.actor import actor_from
from relais.core.pdf import pdf_response, render_pdf
from relais.core.views import act, bound_form, submit_form
from relais.safetyplan import selectors, services
from relais.safetyplan.forms import ConfirmForm, ConsentForm, PlanForm, initial_of
from relais.safetyplan.models import PLAN_LANGUAGES


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    actor = actor_from(request)
    ctx = selectors.make_form_context(actor=actor, case_id=case_id, person_id=person_id)
    form = bound_form(request, PlanForm, children=ctx.children, others=ctx.others,
                      initial=initial_of(None, ctx.perpetrator_ids, ctx.person))

    def do(data: dict) -> str:
        plan = services.plan_create(actor=actor, case_id=case_id, person_id=person_id,
                                    content=form.content(), language=data["language"],
                                    review_note=data.get("review_note", ""))
        messages.success(request, _("The plan is saved. Review it with her at each contact."))
        return reverse("safetyplan:plan", args=[plan.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "safetyplan/form.html", {
        "form": form, "case": ctx.access.case, "person": ctx.person, "view": None,
        "title": _("Make a safety plan with %(name)s") % {"name": ctx.person.first_name}})


@login_required
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    view = selectors.plan_get(actor=actor_from(request), plan_id=plan_id)
    return _plan_page(request, view)


def _plan_page(request: HttpRequest, view, consent_form: ConsentForm | None = None):
    if view.may_review and consent_form is None:
        consent_form = ConsentForm(agencies=selectors.consent_agencies(
            actor=actor_from(request), plan_id=view.plan.pk))
    return render(request, "safetyplan/plan.html", {
        "view": view, "plan": view.plan, "case": view.access.case, "shown": view.current,
        "confirm_form": ConfirmForm(initial={"read_number": view.plan.current_number}),
        "consent_form": consent_form, "print_languages": PLAN_LANGUAGES})


@login_required
@require_http_methods(["GET"])
def version_detail(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    view = selectors.plan_get(actor=actor_from(request), plan_id=plan_id, number=number)
    return render(request, "safetyplan/version.html", {
        "view": view, "plan": view.plan, "case": view.access.case, "shown": view.current})


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    view, ctx = selectors.review_form_context(actor=actor, plan_id=plan_id)
    form = bound_form(request, PlanForm, children=ctx.children, others=ctx.others,
                      initial=initial_of(view.current, ctx.perpetrator_ids))

    def do(data: dict) -> str:
        version = services.plan_review(
            actor=actor, plan_id=plan_id, content=form.content(), language=data["language"],
            review_note=data.get("review_note", ""), read_number=data.get("read_number"))
        messages.success(request, _("Reviewed: version %(number)s.") % {"number": version.number}
                         if version.changed else
                         _("Reviewed, nothing changed (version %(number)s).") % {
                             "number": version.number})
        return reverse("safetyplan:plan", args=[plan_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    conflict = (form.is_bound and form.non_field_errors()
                and str(form.data.get("read_number", "")) != str(view.plan.current_number))
    if conflict:
        # Her typing stays; the next save is over the version she now sees beside it.
        data = form.data.copy()
        data["read_number"] = str(view.plan.current_number)
        form.data = data
    return render(request, "safetyplan/form.html", {
        "form": form, "case": view.access.case, "person": view.plan.person, "view": view,
        "conflict": conflict, "shown": view.current,
        "title": _("Review the plan with %(name)s") % {"name": view.plan.person.first_name}})


@login_required
@require_POST
def plan_confirm(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    return act(request, lambda: services.plan_confirm(
        actor=actor, plan_id=plan_id, review_note=form.cleaned_data.get("review_note", ""),
        read_number=form.cleaned_data.get("read_number")),
        success=_("Reviewed with her: nothing changed."),
        then=reverse("safetyplan:plan", args=[plan_id]))


@login_required
@require_http_methods(["GET"])
def version_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    view = selectors.version_list(actor=actor_from(request), plan_id=plan_id)
    return render(request, "safetyplan/versions.html", {
        "view": view, "plan": view.plan, "case": view.access.case})


@login_required
@require_http_methods(["GET"])
def plan_print(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The discreet printed plan, in the language chosen (hers by default): no title or word
    that names violence, no case reference, no organisation's name."""
    plan, shown, language = selectors.plan_for_print(
        actor=actor_from(request), plan_id=plan_id, requested=request.GET.get("lang"))
    pdf = render_pdf("safetyplan/pdf/plan.html", {"shown": shown}, language=language)
    return pdf_response(pdf, f"plan-{language}.pdf")


@login_required
@require_POST
def consent_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = actor_from(request)
    form = ConsentForm(request.POST, agencies=selectors.consent_agencies(actor=actor,
                                                                          plan_id=plan_id))
    if not form.is_valid():
        messages.error(request, _("Choose the organisation and how she consented."))
        return _redirect_plan(plan_id)
    return act(request, lambda: services.consent_record(
        actor=actor, plan_id=plan_id, agency_id=int(form.cleaned_data["agency"]),
        method=form.cleaned_data["method"]),
        success=_("Her consent is recorded: that organisation now sees the plan."),
        then=reverse("safetyplan:plan", args=[plan_id]))


@login_required
@require_POST
def consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    actor = actor_from(request)
    consent = services.consent_revoke(actor=actor, consent_id=consent_id)
    messages.success(request, _("Her consent is withdrawn: that organisation no longer sees "
                                "the plan."))
    return _redirect_plan(consent.plan_id)


def _redirect_plan(plan_id: int) -> HttpResponse:
    return HttpResponseRedirect(reverse("safetyplan:plan", args=[plan_id]))
