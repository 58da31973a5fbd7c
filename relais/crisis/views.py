"""Screens of crisis mode: the crises (declare, lift), one crisis with the services'
confirmations, the debrief, and the service's "Confirm today's status" action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access.crisis import (
    declarable_areas,
    declaring_area,
    may_declare,
    may_declare_somewhere,
)
from relais.core.actor import actor_from
from relais.core.views import act, bound_form, submit_form
from relais.crisis import selectors, services
from relais.crisis.figures import crisis_figures
from relais.crisis.forms import ConfirmForm, DebriefForm, DeclareForm
from relais.crisis.models import Crisis, Debrief
from relais.figures.population import area_name


def _language() -> str:
    return (get_language() or "fr")[:2]


@login_required
@require_GET
def crisis_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    crises = list(selectors.crisis_list()[:100])
    area = declaring_area(actor) if may_declare_somewhere(actor) else ("", "")
    rows = [(c, selectors.area_label(c, _language()),
             may_declare(actor, level=c.area_level, code=c.area_code, within=area))
            for c in crises]
    return render(request, "crisis/list.html", {
        "rows": rows, "can_declare": may_declare_somewhere(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not may_declare_somewhere(actor):
        raise Http404
    areas = [(f"{level}:{code}", f"{area_name(level=level, code=code, language=_language())}")
             for level, code in declarable_areas(actor)]
    if not areas:
        raise Http404
    form = bound_form(request, DeclareForm, areas=areas,
                      initial={"starts_on": timezone.localdate()})

    def do(data: dict) -> str:
        level, code = form.area_parts()
        crisis = services.crisis_declare(
            actor=actor, kind=data["kind"], area_level=level, area_code=code,
            starts_on=data["starts_on"], expected_end=data["expected_end"],
            schools_closed=data["schools_closed"])
        messages.success(request, _("The crisis is declared."))
        return reverse("crisis:detail", args=[crisis.pk])

    return submit_form(request, form, do) or render(request, "crisis/declare.html",
                                                     {"form": form})


def _crisis(crisis_id: int) -> Crisis:
    crisis = selectors.crisis_list().filter(pk=crisis_id).first()
    if crisis is None:
        raise Http404
    return crisis


@login_required
@require_GET
def detail(request: HttpRequest, crisis_id: int) -> HttpResponse:
    """A crisis, for every professional: its area, and the services' confirmations."""
    actor = actor_from(request)
    crisis = _crisis(crisis_id)
    return render(request, "crisis/detail.html", {
        "crisis": crisis, "area": selectors.area_label(crisis, _language()),
        "manages": may_declare(actor, level=crisis.area_level, code=crisis.area_code),
        "confirmations": selectors.confirmations_of(crisis),
    })


@login_required
@require_POST
def lift(request: HttpRequest, crisis_id: int) -> HttpResponse:
    actor = actor_from(request)
    return act(request, lambda: services.crisis_lift(actor=actor, crisis_id=crisis_id),
               success=_("The crisis is lifted."),
               then=reverse("crisis:detail", args=[crisis_id]))


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request: HttpRequest, crisis_id: int) -> HttpResponse:
    actor = actor_from(request)
    crisis = _crisis(crisis_id)
    if not may_declare(actor, level=crisis.area_level, code=crisis.area_code):
        raise Http404
    existing = Debrief.objects.filter(crisis=crisis).first()
    in_area = selectors.services_in_area(crisis)
    if existing is not None:
        unreachable = [s.pk for s in existing.unreachable.all()]
        initial = {"what_failed": existing.what_failed, "what_worked": existing.what_worked,
                   "unreachable_note": existing.unreachable_note, "unreachable": unreachable}
    else:
        initial = {"unreachable": [s.pk for s in selectors.unreachable_during(crisis)]}
    initial["version"] = services.debrief_version(existing)
    form = bound_form(request, DebriefForm, services=[(s.pk, s.name) for s in in_area],
                      initial=initial)

    def do(data: dict) -> str:
        services.debrief_save(actor=actor, crisis_id=crisis.pk, what_failed=data["what_failed"],
                              what_worked=data["what_worked"],
                              unreachable_ids=data["unreachable"],
                              unreachable_note=data["unreachable_note"],
                              version=data["version"] or None)
        messages.success(request, _("The debrief is saved."))
        return reverse("crisis:debrief", args=[crisis.pk])

    return submit_form(request, form, do) or render(request, "crisis/debrief.html", {
        "crisis": crisis, "area": selectors.area_label(crisis, _language()), "form": form,
        "figures": crisis_figures(crisis), "debrief": existing,
        "change_label": _("Change from a year before (%)")})  # the dashboard's msgid


@login_required
@require_POST
def confirm(request: HttpRequest, service_id: int) -> HttpResponse:
    """The service's own staff confirm today's status and capacity."""
    actor = actor_from(request)
    form = ConfirmForm(request.POST)
    then = (reverse("directory:detail", args=[service_id])
            if request.POST.get("then") == "detail" else reverse("directory:mine"))
    if not form.is_valid():
        services.status_check(actor=actor, service_id=service_id)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(then)
    try:
        services.status_confirm(actor=actor, service_id=service_id,
                                status=form.cleaned_data["status"],
                                free_places=form.cleaned_data["free_places"])
        messages.success(request, _("Thank you: today's status is confirmed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(then)
