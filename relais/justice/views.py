"""Screens of the prosecution tracking table: the table, a report's entry (reader, decision),
merging two cases and undoing it, and the office's sections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import justice as justice_policy
from relais.access import merges as merge_policy
from relais.access.cases import case_access
from relais.access.scopes import Scope
from relais.accounts.models import municipality_name
from relais.core.actor import actor_from
from relais.core.exports import export_links, export_response
from relais.core.ids import parse_id
from relais.core.views import act, bound_form, submit_form
from relais.justice import merge as merging
from relais.justice import proposals, selectors, services
from relais.justice.columns import TABLE_COLUMNS
from relais.justice.forms import (
    DecisionForm,
    MergeForm,
    ProposalAnswerForm,
    ProposalForm,
    ReaderForm,
    SectionForm,
    UndoForm,
)


def _menu(request: HttpRequest) -> dict:
    actor = actor_from(request)
    return {"works_the_table": justice_policy.works_the_table(actor),
            "may_see_sections": justice_policy.may_see_sections(actor)}


@login_required
def table(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not justice_policy.works_the_table(actor):
        if justice_policy.may_edit_sections(actor):
            return redirect("justice:sections")
        raise Http404
    page = selectors.entry_table(
        actor=actor, status=request.GET.get("status", "to_decide"),
        section_id=parse_id(request.GET.get("section")), reader=request.GET.get("reader", ""),
        page=parse_id(request.GET.get("page")) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "justice/table.html", {
        **_menu(request), "page": page, "query": query.urlencode(),
        "columns": TABLE_COLUMNS, "export_links": export_links(
            "justice:table_export", query=_table_filter(request))})


def _table_filter(request: HttpRequest) -> dict[str, str]:
    """The table's filter: a status code, a section id, "mine", "none" or a reader's id."""
    section = parse_id(request.GET.get("section"))
    status = request.GET.get("status", "to_decide")
    reader = request.GET.get("reader", "")
    if reader not in ("mine", "none"):
        reader = str(parse_id(reader) or "")
    return {"status": status if status in selectors.STATUSES else "to_decide",
            "section": str(section) if section else "", "reader": reader}


@login_required
@require_GET
def table_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The table under the screen's filter, every row, in CSV or XLSX (audited, streamed)."""
    actor = actor_from(request)
    filters = _table_filter(request)
    rows = selectors.entry_table_rows(
        actor=actor, status=filters["status"], section_id=parse_id(filters["section"]),
        reader=filters["reader"])
    return export_response(actor=actor, fmt=fmt, name="prosecution",
                           title=_("Prosecution tracking table"), columns=TABLE_COLUMNS,
                           rows=rows, filters=filters, scopes=[Scope.JUDICIAL])


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The entry, and the decision form (drafts and a submission token like every form)."""
    actor = actor_from(request)
    view = selectors.entry_get(actor=actor, entry_id=entry_id)
    entry = view.entry
    recorded = services.entry_fields(entry) if entry.is_decided else {}
    form = bound_form(request, DecisionForm,
                      initial={**recorded, "version": services.entry_version(entry)})

    def do(data: dict) -> str:
        services.entry_decide(actor=actor, entry_id=entry_id, decision=data["decision"],
                              measures=data["measures"], other_measure=data["other_measure"],
                              note=data["note"], version=data["version"] or None)
        messages.success(request, _("The decision is recorded; the police zone is told."))
        return reverse("justice:entry", args=[entry_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "justice/entry.html", {
        **_menu(request), "view": view, "entry": entry, "report": entry.report,
        "case": view.case, "form": form,
        "reader_form": ReaderForm(agency_id=entry.agency_id,
                                  initial={"reader": entry.reader_id}),
        "sees_judicial": Scope.JUDICIAL in view.access.scopes,
        "place": municipality_name(entry.report.municipality, request.LANGUAGE_CODE)})


@login_required
@require_POST
def entry_reader(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Assign the reader (the service checks she belongs to the office's readers)."""
    actor = actor_from(request)
    reader_id = parse_id(request.POST.get("reader"))
    return act(request, lambda: services.entry_assign_reader(
        actor=actor, entry_id=entry_id, reader_id=reader_id),
        success=_("The reader is saved."), then=reverse("justice:entry", args=[entry_id]))


@login_required
@require_http_methods(["GET", "POST"])
def entry_merge(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Regroup the entry's case with another case of the same household, with a reason."""
    actor = actor_from(request)
    view = selectors.entry_get(actor=actor, entry_id=entry_id)
    this = view.case
    wanted = request.GET.get("with", "")
    form = bound_form(request, MergeForm, initial={"other_case": wanted} if wanted else {})
    other_ref = (form.data.get("other_case") if form.is_bound else wanted) or ""
    other = selectors.visible_case_by_reference(actor=actor, reference=other_ref)

    def do(data: dict) -> str:
        found = selectors.visible_case_by_reference(actor=actor, reference=data["other_case"])
        if found is None:
            raise ValidationError({"other_case": [_("No case with this reference is open to "
                                                    "your office.")]})
        source, target = (found, this) if data["keep"] == "this" else (this, found)
        merge = merging.case_merge(actor=actor, source_id=source.pk, target_id=target.pk,
                                   reason=data["reason"])
        if merge is None:
            messages.info(request, _("The merge waits for a supervisor's approval."))
            return reverse("cases:case_detail", args=[this.pk])
        messages.success(request, _("Case %(source)s is merged into case %(target)s. It can be "
                                    "undone from the list of merges.")
                         % {"source": source.reference, "target": target.reference})
        return reverse("cases:case_detail", args=[target.pk])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    holdings = [merging.case_holdings(this)]
    if other is not None and other.pk != this.pk:
        holdings.append(merging.case_holdings(other))
    return render(request, "justice/merge.html", {
        **_menu(request), "view": view, "entry": view.entry, "case": this, "form": form,
        "holdings": holdings})


@login_required
def merges(request: HttpRequest) -> HttpResponse:
    return render(request, "justice/merges.html", {
        **_menu(request), "merges": selectors.merges_list(actor=actor_from(request))})


@login_required
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    actor = actor_from(request)
    merge = selectors.merge_get(actor=actor, merge_id=merge_id)
    form = bound_form(request, UndoForm)

    def do(data: dict) -> str:
        done = merging.case_unmerge(actor=actor, merge_id=merge_id, reason=data["reason"])
        messages.success(request, _("The merge is undone: case %(source)s is separate again.")
                         % {"source": done.source.reference})
        return reverse("justice:merges")

    if merge.is_active:
        response = submit_form(request, form, do)
        if response is not None:
            return response
    return render(request, "justice/merge_undo.html", {
        **_menu(request), "merge": merge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """The owner proposes to merge its case with another agency's case of the household."""
    actor = actor_from(request)
    access = case_access(actor=actor, case_id=case_id)
    if not merge_policy.may_propose(access):
        raise Http404
    form = bound_form(request, ProposalForm)

    def do(data: dict) -> str:
        other = selectors.visible_case_by_reference(actor=actor, reference=data["other_case"])
        if other is None:
            raise ValidationError({"other_case": [_("No case with this reference is open to "
                                                    "your agency.")]})
        proposal = proposals.merge_propose(actor=actor, case_id=case_id, other_case_id=other.pk,
                                           keep=data["keep"], reason=data["reason"])
        messages.success(request, _("The merge is proposed to %(agency)s; nothing moves until "
                                    "it accepts.") % {"agency": proposal.answering_agency.name})
        return reverse("cases:case_detail", args=[case_id])

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "justice/proposal_new.html", {"form": form, "case": access.case})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A merge proposal; for the other owner while it waits, the answer form."""
    actor = actor_from(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    may_answer = merge_policy.may_answer_proposal(actor, proposal)
    form = bound_form(request, ProposalAnswerForm)

    def do(data: dict) -> str:
        if data["decision"] == "accept":
            done = proposals.merge_proposal_accept(actor=actor, proposal_id=proposal_id,
                                                   reason=data["reason"])
            messages.success(request, _("Case %(source)s is merged into case %(target)s. "
                                        "Either agency can undo it.")
                             % {"source": done.source.reference,
                                "target": done.target.reference})
            return reverse("cases:case_detail", args=[done.target_id])
        proposals.merge_proposal_decline(actor=actor, proposal_id=proposal_id,
                                         reason=data["reason"])
        messages.success(request, _("The merge is declined; the proposing agency is told."))
        return reverse("justice:proposal", args=[proposal_id])

    if request.method == "POST":
        if not may_answer:
            raise Http404
        response = submit_form(request, form, do)
        if response is not None:
            return response
    return render(request, "justice/proposal.html", {
        "proposal": proposal, "form": form, "may_answer": may_answer,
        "may_cancel": merge_policy.may_cancel_proposal(actor, proposal)})


@login_required
@require_POST
def proposal_cancel(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_from(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    if not merge_policy.may_cancel_proposal(actor, proposal):
        raise Http404
    return act(request, lambda: proposals.merge_proposal_cancel(
        actor=actor, proposal_id=proposal_id, reason=request.POST.get("reason", "")),
        success=_("The merge proposal is cancelled."),
        then=reverse("justice:proposal", args=[proposal_id]))


@login_required
def sections(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not justice_policy.may_see_sections(actor):
        raise Http404
    rows = selectors.section_list(actor=actor)
    language = request.LANGUAGE_CODE
    return render(request, "justice/sections.html", {
        **_menu(request), "sections": [
            (section, [municipality_name(code, language) for code in section.municipalities])
            for section in rows],
        "may_edit": justice_policy.may_edit_sections(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, section_id: int | None = None) -> HttpResponse:
    actor = actor_from(request)
    if not justice_policy.may_edit_sections(actor):
        raise Http404
    instance = None
    initial: dict = {}
    if section_id is not None:
        instance = selectors.section_get(actor=actor, section_id=section_id)
        initial = {**services.section_values(instance),
                   "version": services.section_version(instance)}
    form = bound_form(request, SectionForm, agency=actor.agency, initial=initial)

    def do(data: dict) -> str:
        services.section_save(actor=actor, section_id=section_id, name=data["name"],
                              decision_days=data["decision_days"],
                              municipalities=data["municipalities"],
                              reader_ids=data["readers"], version=data["version"] or None)
        messages.success(request, _("The section is saved. Reports received from now on follow "
                                    "it."))
        return reverse("justice:sections")

    response = submit_form(request, form, do)
    if response is not None:
        return response
    return render(request, "justice/section_form.html", {
        **_menu(request), "form": form, "instance": instance})
