"""Screens of the police intake: record an intervention, read it, print its documents."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.access.cases import CaseAccess, owner_case_access
from relais.access.intake import may_record
from relais.access.risk import readable_scopes
from relais.amendments.selectors import corrections_of, may_amend
from relais.cases.forms import municipality_choices
from relais.cases.models import ParticipantRole
from relais.cases.selectors import case_participants, safe_contact_get
from relais.core.actor import actor_from
from relais.core.confirm import confirm_page
from relais.core.pdf import pdf_response
from relais.core.views import act, bound_form, submit_form
from relais.intake import documents, selectors, services
from relais.intake.forms import SAFE_CONTACT_PREFIX, IntakeForm
from relais.intake.models import NARRATIVE_FIELDS, municipalities_for_postcode
from relais.intake.wording import wording_check
from relais.risk.instruments import instrument_get
from relais.risk.selectors import assessment_lines


def _persons(access: CaseAccess) -> list[tuple[Any, str]]:
    return [(p.person, p.role) for p in case_participants(access=access)]


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    rows = selectors.case_report_rows(access=access)
    return {} if rows is None else {"reports": rows}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict[str, Any] | None:
    """The "Police records" section of the case page (reads the records only if there are)."""
    reports = selectors.case_reports(access=access) if "reports" in found else []
    can_record = may_record(access)
    if not reports and not can_record:
        return None
    return {"reports": reports, "can_record": can_record, "case": access.case}


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    if not may_record(access):
        raise Http404
    persons = _persons(access)
    if not any(role == ParticipantRole.VICTIM for _p, role in persons):
        messages.error(request, _("Add the victim to the case before recording a report."))
        return redirect("cases:person_add", case_id)
    victims = [p.pk for p, role in persons if role == ParticipantRole.VICTIM]
    recorded = safe_contact_get(actor=actor, person_id=victims[0]) if len(victims) == 1 else None
    if recorded is not None:  # the report's form compares values only (not a correction form)
        recorded.pop("version", None)
        recorded = recorded or None
    initial = {SAFE_CONTACT_PREFIX + key: value for key, value in (recorded or {}).items()}
    form = bound_form(request, IntakeForm, persons=persons, access=access, initial=initial)

    def do(data) -> str:
        arguments = form.service_arguments()
        if arguments["safe_contact"] == recorded:
            arguments["safe_contact"] = None  # unchanged: nothing to write
        report = services.report_record(actor=actor, case_id=case_id, **arguments)
        if report.is_official and not report.forwarded_to_id:
            messages.warning(request, _("No prosecutor's office of this judicial district uses "
                                        "Relais yet: send the report by the usual channel."))
        messages.success(request, _("The record is saved."))
        for question in form.questions:
            if arguments["answers"].get(question.name) and question.recorded:
                messages.info(request, question.recorded)
        return reverse("intake:report_detail", args=[report.pk])

    checklist = instrument_get(services.CHECKLIST)
    wording_flags = {name: wording_check(form.data.get(name, ""), language=request.LANGUAGE_CODE)
                     for name in NARRATIVE_FIELDS} if form.is_bound else {}
    return submit_form(request, form, do) or render(request, "intake/report_form.html", {
        "form": form, "case": access.case, "narrative_fields": NARRATIVE_FIELDS,
        "wording_flags": wording_flags,
        "checklist_title": checklist.title_in(request.LANGUAGE_CODE),
        "checklist_purpose": checklist.purpose_in(request.LANGUAGE_CODE),
    })


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    view = selectors.report_get(actor=actor_from(request), report_id=report_id,
                                language=request.LANGUAGE_CODE)
    return render(request, "intake/report_detail.html", {
        "view": view, "report": view.report, "case": view.report.case,
        "corrections": corrections_of(view.report),
        "can_amend": may_amend(access=view.access, record=view.report),
        "amend_url": reverse("amendments:report_amend", args=[report_id]),
        "document_languages": documents.LANGUAGES,
        "victim_language": documents.victim_language(view.report.victim),
        "assessments": assessment_lines(
            [a for a in view.report.assessments.all()
             if a.scope in readable_scopes(view.access)(a.person_id)], request.LANGUAGE_CODE),
    })


@login_required
@require_POST
def report_forward(request: HttpRequest, report_id: int) -> HttpResponse:
    view = selectors.report_get(actor=actor_from(request), report_id=report_id,
                                language=request.LANGUAGE_CODE, purpose="forwarding")
    if view.can_forward:
        page = confirm_page(
            request, title=_("Forward the report to the prosecutor's office?"),
            warning=_("The prosecutor's office of the district receives the report and sees "
                      "the case's judicial narrative; a forwarding is not withdrawn."),
            button=_("Yes, forward the report"),
            back=reverse("intake:report_detail", args=[report_id]))
        if page:
            return page
    return act(request, lambda: services.report_forward_again(
        actor=actor_from(request), report_id=report_id),
        success=_("The report is forwarded to the prosecutor's office."),
        then=reverse("intake:report_detail", args=[report_id]))


@login_required
def report_document(request: HttpRequest, report_id: int, document: str) -> HttpResponse:
    """A PDF of the record: the injured-party declaration, the flyer, or the report itself."""
    if document not in documents.DOCUMENTS:
        raise Http404
    language = documents.document_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    view = selectors.report_get(actor=actor_from(request), report_id=report_id,
                                language=language, purpose=f"document: {document}")
    if document == "declaration" and not view.report.is_official:
        raise Http404
    pdf, filename = documents.render(document, view=view, language=language)
    return pdf_response(pdf, filename)


@login_required
@require_POST
def wording_fragment(request: HttpRequest) -> HttpResponse:
    """htmx: the wording advice for the text area that triggered the request (stores nothing)."""
    field = (request.htmx.trigger_name if request.htmx else "") or "text"
    flags = wording_check(request.POST.get(field, "")[:5000], language=request.LANGUAGE_CODE)
    return render(request, "intake/_wording.html", {"flags": flags})


@login_required
@require_POST
def postcode_municipality(request: HttpRequest) -> HttpResponse:
    """htmx, as she types the postcode: the municipality list with the postcode's municipality
    chosen; when the postcode covers several, they come first and none is chosen for her. A
    line says which. 204 (nothing to change) until the postcode names a municipality.
    Reference data only: stores and reads nothing else."""
    postcode = request.POST.get("postcode", "").strip()[:10]
    codes = municipalities_for_postcode(postcode) if re.fullmatch(r"\d{4}", postcode) else []
    names = dict(municipality_choices())
    codes = [code for code in codes if code in names]
    if not codes:
        return HttpResponse(status=204)
    choices: list = [("", "—")]
    if len(codes) > 1:
        choices.append((postcode, [(code, names[code]) for code in codes]))
    choices.append((_("All municipalities"), [(code, name) for code, name in names.items()
                                               if code]))
    select = forms.Select(choices=choices).render(
        "municipality", codes[0] if len(codes) == 1 else "",
        attrs={"id": "id_municipality", "aria-describedby": "id_municipality_helptext"})
    return render(request, "intake/_postcode_municipality.html", {
        "select": select, "postcode": postcode, "names": [names[code] for code in codes]})
