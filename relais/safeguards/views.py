"""Screens of the safeguards: record a residence that depends on the partner, set and end a
hospital presence alert. The case page shows both (``selectors.case_panel``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.core.actor import actor_from
from relais.core.views import act, bound_form, submit_form
from relais.safeguards import selectors, services
from relais.safeguards.forms import HospitalAlertForm, ResidenceForm


def _case_url(case_id: int) -> str:
    return reverse("cases:case_detail", args=[case_id]) + "#safeguards-h"


@login_required
@require_http_methods(["GET", "POST"])
def residence_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access, victims = selectors.residence_choices(actor=actor, case_id=case_id)
    form = bound_form(request, ResidenceForm, victims=victims)

    def do(data: dict) -> str:
        situation = services.residence_record(
            actor=actor, case_id=case_id, person_id=data["person"], permit=data["permit"],
            facts_on=data["facts_on"], via=data["via"])
        messages.success(request, _("Recorded. She should apply by %(date)s.")
                         % {"date": f"{situation.apply_by:%d/%m/%Y}"})
        return _case_url(case_id)

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "safeguards/residence_new.html", {"form": form, "case": access.case})


@login_required
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access, victims = selectors.alert_choices(actor=actor, case_id=case_id)
    form = bound_form(request, HospitalAlertForm, victims=victims)

    def do(data: dict) -> str:
        services.hospital_alert_set(actor=actor, case_id=case_id, person_id=data["person"],
                                    starts_on=data["starts_on"], ends_on=data["ends_on"],
                                    note=data["note"])
        messages.success(request, _("The hospital alert is set. Only your service and the "
                                    "police zone see it."))
        return _case_url(case_id)

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "safeguards/alert_new.html", {"form": form, "case": access.case})


@login_required
@require_POST
def alert_end(request: HttpRequest, alert_id: int) -> HttpResponse:
    actor = actor_from(request)
    alert = selectors.alert_to_end(actor=actor, alert_id=alert_id)
    return act(request, lambda: services.hospital_alert_end(actor=actor, alert_id=alert_id),
               success=_("The hospital alert has ended."), then=_case_url(alert.case_id))
