"""Screens of the risk assessment: fill in an instrument, read the explanation, decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.access.cases import CaseAccess, case_access
from relais.amendments.selectors import corrections_of, may_amend
from relais.cases.selectors import case_participants
from relais.core.actor import actor_from
from relais.core.drafts import DISCARD_BUTTON, draft_discard
from relais.core.versions import EditConflict
from relais.core.views import act, bound_form, show_conflict, submit_form, take_theirs
from relais.risk import selectors, services
from relais.risk.forms import AssessmentForm, DecisionForm
from relais.risk.instruments import instruments_offered
from relais.risk.models import RiskAssessment


def _offered(access: CaseAccess) -> list:
    agency = access.actor.agency
    return [i for i in instruments_offered(agency.kind if agency else None)
            if i.scope in access.scopes]


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    return {"assessments": RiskAssessment.objects.filter(case=access.case)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict[str, Any] | None:
    """The "Risk" section of the case page: the trend and the instruments the reader may use
    (reads the assessments only if the case has some)."""
    risk = (selectors.case_risk(access=access) if "assessments" in found
            else selectors.CaseRisk(points=[]))
    offered = _offered(access)
    if not risk.points and not offered:
        return None
    return {"risk": risk, "case": access.case,
            "offered": [(i.code, i.title_in(get_language())) for i in offered]}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, case_id: int, instrument_code: str) -> HttpResponse:
    actor = actor_from(request)
    access = case_access(actor=actor, case_id=case_id)
    instrument = next((i for i in _offered(access) if i.code == instrument_code), None)
    if instrument is None:
        raise Http404
    victims_first = case_participants(access=access, victims_first=True)
    persons = [(p.person_id, f"{p.person} ({p.get_role_display()})") for p in victims_first]
    report_id = request.GET.get("report")
    form = bound_form(request, AssessmentForm, instrument=instrument,
                      language=request.LANGUAGE_CODE, persons=persons)

    def do(data) -> str:
        assessment = services.assessment_record(
            actor=actor, case_id=case_id, instrument_code=instrument.code,
            report_id=int(report_id) if report_id and report_id.isdigit() else None,
            **form.service_arguments())
        return reverse("risk:assessment_detail", args=[assessment.pk])

    return submit_form(request, form, do) or render(request, "risk/assessment_form.html", {
        "form": form, "case": access.case, "instrument": instrument,
        "title": instrument.title_in(request.LANGUAGE_CODE),
        "purpose": instrument.purpose_in(request.LANGUAGE_CODE),
    })


@login_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_page(request, assessment_id)


def _assessment_page(request: HttpRequest, assessment_id: int, *, conflict_action_id: int = 0,
                     conflict_form: DecisionForm | None = None) -> HttpResponse:
    view = selectors.assessment_get(actor=actor_from(request), assessment_id=assessment_id)
    return render(request, "risk/assessment_detail.html", {
        "view": view, "assessment": view.assessment, "case": view.access.case,
        "title": view.instrument.title_in(view.language),
        "corrections": corrections_of(view.assessment),
        "can_amend": may_amend(access=view.access, record=view.assessment),
        "amend_url": reverse("amendments:assessment_amend", args=[assessment_id]),
        "action_versions": {line.action.pk: services.action_version(line.action)
                            for line in view.actions},
        "conflict_action_id": conflict_action_id, "conflict_form": conflict_form,
    })


@login_required
@require_POST
def assessment_confirm(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return act(request, lambda: services.assessment_confirm_lowering(
        actor=actor_from(request), assessment_id=assessment_id),
        success=_("You confirmed the lower level."),
        then=reverse("risk:assessment_detail", args=[assessment_id]))


@login_required
@require_POST
def action_decide(request: HttpRequest, action_id: int) -> HttpResponse:
    """Accept or decline one recommended action (a decline needs its reason), over the
    version she read: decided by a colleague since, nothing is saved and the assessment's page
    shows both decisions on the action's card (hers kept as her draft)."""
    if DISCARD_BUTTON in request.POST:  # "Take theirs (reload)"
        assessment_id = selectors.action_assessment_id(actor=actor_from(request),
                                                       action_id=action_id)
        return take_theirs(request, page=reverse("risk:assessment_detail",
                                                 args=[assessment_id]) + f"#action-{action_id}")
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        action = services.action_decide(
            actor=actor_from(request), action_id=action_id,
            decision=form.cleaned_data.get("decision", ""),
            reason=form.cleaned_data.get("reason", ""),
            version=form.cleaned_data.get("version") or None)
    except EditConflict as conflict:
        show_conflict(request, form, conflict)
        return _assessment_page(
            request, selectors.action_assessment_id(actor=actor_from(request),
                                                    action_id=action_id),
            conflict_action_id=action_id, conflict_form=form)
    except ValidationError as error:
        # Raised only once access is established: the action is the actor's to decide.
        messages.error(request, " ".join(error.messages))
        assessment_id = selectors.action_assessment_id(actor=actor_from(request),
                                                       action_id=action_id)
        return redirect(reverse("risk:assessment_detail", args=[assessment_id])
                        + f"#action-{action_id}")
    draft_discard(request)
    return redirect(reverse("risk:assessment_detail", args=[action.assessment_id])
                    + f"#action-{action_id}")
