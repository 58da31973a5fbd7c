"""Screens of consent to reporting: record a person's refusal to be counted in figures beyond
what the law requires, and its withdrawal. The case page shows both in its section "Counted in
figures" (``relais.figures.consent.case_panel``); these pages hold the forms, and show them
again with their errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from relais.core.actor import actor_from
from relais.core.views import bound_form, submit_form
from relais.figures import consent
from relais.figures.forms_consent import RefusalForm, WithdrawalForm


def _case_url(case_id: int) -> str:
    return reverse("cases:case_detail", args=[case_id]) + "#consent-h"


@login_required
@require_http_methods(["GET", "POST"])
def refusal_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access, participants = consent.refusal_choices(actor=actor, case_id=case_id)
    initial = {}
    if (person := request.GET.get("person", "")).isdigit() and len(person) < 19:
        initial["person"] = int(person)
    form = bound_form(request, RefusalForm, participants=participants, initial=initial)

    def do(data: dict) -> str:
        consent.refusal_record(actor=actor, case_id=case_id, person_id=data["person"],
                               declined_on=data["declined_on"])
        messages.success(request, _("Recorded: her records are left out of the figures that "
                                    "no law requires."))
        return _case_url(case_id)

    return submit_form(request, form, do) or render(
        request, "figures/refusal_form.html",
        {"form": form, "case": access.case, "withdrawal": False})


@login_required
@require_http_methods(["GET", "POST"])
def refusal_withdraw(request: HttpRequest, case_id: int, refusal_id: int) -> HttpResponse:
    actor = actor_from(request)
    access, refusal = consent.refusal_to_withdraw(actor=actor, case_id=case_id,
                                                  refusal_id=refusal_id)
    form = bound_form(request, WithdrawalForm)

    def do(data: dict) -> str:
        consent.refusal_withdraw(actor=actor, case_id=case_id, refusal_id=refusal_id,
                                 withdrawn_on=data["withdrawn_on"])
        messages.success(request, _("Recorded: her records count in the figures again."))
        return _case_url(case_id)

    return submit_form(request, form, do) or render(
        request, "figures/refusal_form.html",
        {"form": form, "case": access.case, "refusal": refusal, "withdrawal": True})
