"""Screens of amendments: the addendum form of a police record and of a risk assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from relais.amendments import selectors, services
from relais.amendments.forms import AssessmentAddendumForm, ReportAddendumForm
from relais.core.actor import actor_from
from relais.core.views import bound_form, submit_form


@login_required
@require_http_methods(["GET", "POST"])
def report_amend(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_from(request)
    report = selectors.report_to_amend(actor=actor, report_id=report_id)
    form = bound_form(request, ReportAddendumForm, report=report)

    def do(data) -> str:
        services.report_amend(actor=actor, report_id=report_id, **form.service_arguments())
        messages.success(request, _("The addendum is saved; the record shows the corrected "
                                    "values."))
        return reverse("intake:report_detail", args=[report_id])

    return submit_form(request, form, do) or render(request, "amendments/report_form.html", {
        "form": form, "report": report, "case": report.case,
        "title": _("Correct the record by an addendum")})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_amend(request: HttpRequest, assessment_id: int) -> HttpResponse:
    actor = actor_from(request)
    assessment, instrument = selectors.assessment_to_amend(actor=actor,
                                                           assessment_id=assessment_id)
    form = bound_form(request, AssessmentAddendumForm, assessment=assessment,
                      instrument=instrument, language=request.LANGUAGE_CODE)

    def do(data) -> str:
        services.assessment_amend(actor=actor, assessment_id=assessment_id,
                                  **form.service_arguments())
        messages.success(request, _("The addendum is saved; the assessment shows the "
                                    "corrected answers and level."))
        return reverse("risk:assessment_detail", args=[assessment_id])

    return submit_form(request, form, do) or render(
        request, "amendments/assessment_form.html", {
            "form": form, "assessment": assessment, "case": assessment.case,
            "title": _("Correct the assessment by an addendum"),
            "instrument_title": instrument.title_in(request.LANGUAGE_CODE)})
