"""Screens of the referral loop: find help for a person of a case, refer her, follow the
referral from both sides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access.cases import CaseAccess, owner_case_access
from relais.access.referrals import case_referral_scope, may_take_step
from relais.approvals.selectors import pending_request
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.selectors import case_participants
from relais.core import questions
from relais.core.actor import actor_from
from relais.core.exports import export_links, export_response
from relais.core.ids import parse_id
from relais.core.views import act, apply_errors
from relais.directory.selectors import service_for_referral, view_for
from relais.referrals import selectors, services
from relais.referrals.columns import referral_columns
from relais.referrals.forms import FactsForm, ReferralForm, StepForm
from relais.referrals.models import ReferralStatus
from relais.referrals.rules import Facts, advise
from relais.referrals.services import TRANSITIONS

RESULTS_PER_SUGGESTION = 4


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    seen = case_referral_scope(access)
    return {} if seen is None else {"referrals": seen[0]}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict[str, Any] | None:
    """The "Referrals" section of the case page (reads the referrals only if there are)."""
    rows = selectors.case_referrals(access=access) if "referrals" in found else []
    if not rows and not access.is_owner:
        return None
    return {"rows": rows, "can_refer": access.is_owner, "case": access.case}


def _participant(request: HttpRequest, participants: list[CaseParticipant]) -> CaseParticipant:
    """The person asked for (``person=<id>``), else the case's victim; 404 if not in the case."""
    wanted = parse_id(request.GET.get("person") or request.POST.get("person"))
    if wanted is not None:
        found = next((p for p in participants if p.person_id == wanted), None)
    else:
        found = next((p for p in participants if p.role == ParticipantRole.VICTIM), None)
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def find_help(request: HttpRequest, case_id: int) -> HttpResponse:
    """Suggestions for one person of the case, each with its reason and the services that
    answer it, searched from her place, languages and situation."""
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    participants = case_participants(access=access)
    person_id = _participant(request, participants).person_id
    facts, place = selectors.facts_for(access=access, person_id=person_id)
    form = FactsForm(request.POST or None, initial={"flags": sorted(facts.flags)})
    if form.is_bound and form.is_valid():
        facts = Facts(role=facts.role, languages=facts.languages,
                      file_language=facts.file_language,
                      flags=frozenset(form.cleaned_data["flags"]),
                      accessibility=tuple(form.cleaned_data["accessibility"]))
    advice = advise(facts, language=request.LANGUAGE_CODE)
    blocks = selectors.help_blocks(actor=actor, advice=advice, place=place,
                                   urgent=facts.urgent, per_suggestion=RESULTS_PER_SUGGESTION)
    return render(request, "referrals/find_help.html", {
        "case": access.case, "person_id": person_id, "participants": participants,
        "facts": facts, "place": place.label(request.LANGUAGE_CODE) if place else "",
        "form": form, "advice": advice, "blocks": blocks,
        "refer_url": reverse("referrals:new", args=[case_id]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    participant = _participant(request, case_participants(access=access))
    person_id, person = participant.person_id, participant.person
    service = service_for_referral(
        service_id=request.GET.get("service") or request.POST.get("service") or "")
    facts, place = selectors.facts_for(access=access, person_id=person_id)
    mismatches = selectors.referral_mismatches(service=service, facts=facts, place=place,
                                               sex=person.sex)
    form = ReferralForm(request.POST or None, asked=questions.asked(
        services.QUESTIONS, access=access, person_id=person_id))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        answers = {name: value for name, value in form.answers().items() if value}
        try:
            referral = services.referral_create(
                actor=actor, case_id=case_id, person_id=person_id, service_id=service.pk,
                basis=data["basis"], consent_method=data["consent_method"],
                basis_note=data["basis_note"], scopes=data["scopes"],
                widened_because=data["widened_because"], purpose=data["purpose"],
                confirm_mismatches=data["confirm_mismatches"], send="send" in request.POST,
                answers=answers)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if referral.status == ReferralStatus.SENT:
                messages.success(request, _("The referral is sent."))
            elif "send" in request.POST:
                messages.info(request, _("Without her consent, the referral waits for a "
                                         "supervisor's approval before it is sent."))
            else:
                messages.success(request, _("The referral is saved as proposed."))
            for question in form.questions:
                if question.name in answers and question.recorded:
                    messages.info(request, question.recorded)
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/new.html", {
        "case": access.case, "person": person, "service": service,
        "view": view_for(service, actor), "mismatches": mismatches, "form": form,
    })


def _actions(row: selectors.ReferralRow) -> list[tuple[str, str]]:
    """The steps the reader may take now, as (status, label)."""
    referral = row.referral
    out = []
    for status, side in TRANSITIONS.get(referral.status, {}).items():
        if may_take_step(side=row.side, step_side=side, referral=referral):
            out.append((status, ReferralStatus(status).label))
    return out


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    row = selectors.referral_get(actor=actor_from(request), referral_id=referral_id)
    waiting = (pending_request(step=services.OVERRIDE_STEP, target=row.referral)
               if row.side == "referrer" and row.referral.status == ReferralStatus.PROPOSED
               else None)
    actions = [action for action in _actions(row)
               if not (waiting and action[0] == ReferralStatus.SENT)]
    return render(request, "referrals/detail.html", {
        "row": row, "referral": row.referral, "actions": actions, "waiting": waiting,
        "steps": selectors.referral_steps(row),
        "step_form": StepForm(), "statuses": ReferralStatus,
    })


@login_required
@require_POST
def referral_step(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_from(request)
    selectors.referral_side(actor=actor, referral_id=referral_id)  # 404 before the form
    form = StepForm(request.POST)
    then = reverse("referrals:detail", args=[referral_id])
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect(then)
    data = form.cleaned_data
    if data["status"] == ReferralStatus.SENT:
        return act(request, lambda: services.referral_send(actor=actor, referral_id=referral_id),
                   success=lambda referral: _("The referral is sent.")
                   if referral.status == ReferralStatus.SENT else _(
                       "Without her consent, the referral waits for a supervisor's approval "
                       "before it is sent."), then=then)
    return act(request, lambda: services.referral_advance(
        actor=actor, referral_id=referral_id, status=data["status"], reason=data["reason"],
        outcome=data["outcome"], note=data["note"]),
        success=_("The referral is updated."), then=then)


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    direction = "incoming" if request.GET.get("direction") == "incoming" else "outgoing"
    rows = selectors.referral_list(actor=actor, direction=direction)
    return render(request, "referrals/list.html", {
        "rows": rows, "direction": direction, "columns": referral_columns(direction),
        "export_links": export_links("referrals:list_export", query={"direction": direction})})


@login_required
@require_GET
def referral_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every referral of one direction, in CSV or XLSX (audited, streamed)."""
    actor = actor_from(request)
    direction = "incoming" if request.GET.get("direction") == "incoming" else "outgoing"
    return export_response(
        actor=actor, fmt=fmt, name=f"referrals-{direction}", title=_("Referrals"),
        columns=referral_columns(direction),
        rows=selectors.referral_export_rows(actor=actor, direction=direction),
        filters={"direction": direction})
