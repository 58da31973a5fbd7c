"""Screens of the case file: my cases, a case with its timeline, a person, search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from relais.access.cases import (
    case_access,
    may_open_case,
    owner_case_access,
    person_access,
    sees_cases,
)
from relais.access.scopes import Scope, scope_labels
from relais.accounts.models import municipality_name
from relais.cases import forms, selectors, services
from relais.cases.header import case_header
from relais.cases.panels import panel_index, person_probe_urls
from relais.cases.timeline import attach_details, kind_label
from relais.core.actor import actor_from
from relais.core.views import bound_form, submit_form


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    status = request.GET.get("status") or "open"
    cases = selectors.case_list(actor=actor, status=None if status == "all" else status)
    return render(request, "cases/my_cases.html", {
        "cases": cases, "status": status,
        "can_open": may_open_case(actor),
        "sees_cases": sees_cases(actor),
    })


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not may_open_case(actor):
        raise Http404
    form = bound_form(request, forms.CaseOpenForm)

    def do(data) -> str:
        case = services.case_open(actor=actor, **data)
        return reverse("cases:case_detail", args=[case.pk])

    return submit_form(request, form, do) or render(
        request, "cases/form.html",
        {"form": form, "title": form_title("open"), "allow_draft": True})


def form_title(key: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "open": _("Open a case"), "person": _("Add a person"), "phone": _("Add a phone number"),
        "address": _("Add an address"), "safe_contact": _("Safe-contact instructions"),
        "need": _("Add a specific need"), "note": _("Add a note"),
        "identity": _("Correct her identity"),
    }[key]


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case on one screen: the summary, then every section collapsed; other parts'
    sections (panels) are loaded when she opens them (``case_panel``)."""
    view = selectors.case_get(actor=actor_from(request), case_id=case_id)
    attach_details(view.timeline)  # e.g. an addendum's changes (relais.amendments)
    timeline = [(entry, kind_label(entry.kind)) for entry in view.timeline]
    return render(request, "cases/case_detail.html", {
        "view": view, "case": view.case, "access": view.access, "timeline": timeline,
        "header": case_header(access=view.access, participants=view.participants),
        "panels": panel_index(view.access),
        "municipality": municipality_name(view.case.municipality, request.LANGUAGE_CODE),
        "scope_labels": scope_labels(view.seen_scopes),
    })


@login_required
@require_http_methods(["GET"])
def case_panel(request: HttpRequest, case_id: int, panel: str) -> HttpResponse:
    """One section of the case page: the fragment for htmx, a page of its own otherwise."""
    read = selectors.case_panel_get(actor=actor_from(request), case_id=case_id, name=panel)
    return render(request, "cases/_panel.html" if request.htmx else "cases/panel.html", {
        "read": read, "case": read.access.case, "access": read.access, "panel": read.context,
        "panel_template": read.template})


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = owner_case_access(actor=actor, case_id=case_id)
    form = bound_form(request, forms.PersonForm)

    def do(data) -> str:
        services.person_add_to_case(actor=actor, case_id=access.case.pk, **data)
        return reverse("cases:case_detail", args=[access.case.pk])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": form_title("person"), "case": access.case, "allow_draft": True,
        "probe_urls": person_probe_urls(access)})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    detail = selectors.person_get(actor=actor_from(request), person_id=person_id)
    return render(request, "cases/person_detail.html", {
        "detail": detail, "person": detail.view.person, "view": detail.view,
        "scope_labels": scope_labels(detail.view.scopes),
    })


def _person_subform(request: HttpRequest, person_id: int, form_class, service, title_key: str,
                    scope: str, initial: dict | None = None):
    """A form that adds to one person's record, within a scope open to the actor on her."""
    actor = actor_from(request)
    access = person_access(actor=actor, person_id=person_id)
    if scope not in access.scopes:
        raise Http404
    form = bound_form(request, form_class, initial=initial)

    def do(data) -> str:
        service(actor=actor, person_id=person_id, **data)
        return reverse("cases:person_detail", args=[person_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": form_title(title_key), "person": access.person,
        "allow_draft": True})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Correct a person's identity (her owning agency), over the version she read."""
    actor = actor_from(request)
    recorded = selectors.person_identity_get(actor=actor, person_id=person_id)
    form = bound_form(request, forms.PersonEditForm, initial=recorded)

    def do(data) -> str:
        services.person_update(actor=actor, person_id=person_id, **data)
        return reverse("cases:person_detail", args=[person_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": form_title("identity"),
        "person": person_access(actor=actor, person_id=person_id).person, "allow_draft": True})


@login_required
@require_http_methods(["GET", "POST"])
def phone_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(request, person_id, forms.PhoneForm, services.phone_add, "phone",
                           Scope.CONTACT)


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(request, person_id, forms.AddressForm, services.address_add,
                           "address", Scope.CONTACT)


@login_required
@require_http_methods(["GET", "POST"])
def safe_contact_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    recorded = selectors.safe_contact_get(actor=actor_from(request), person_id=person_id)
    return _person_subform(request, person_id, forms.SafeContactForm, services.safe_contact_set,
                           "safe_contact", Scope.CONTACT, initial=recorded)


@login_required
@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(request, person_id, forms.NeedForm, services.need_add, "need",
                           Scope.HEALTH)


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from(request)
    access = case_access(actor=actor, case_id=case_id)
    form = bound_form(request, forms.NoteForm)
    form.fields["scope"].choices = [c for c in form.fields["scope"].choices
                                    if c[0] in access.scopes]

    def do(data) -> str:
        services.note_add(actor=actor, case_id=case_id, **data)
        return reverse("cases:case_detail", args=[case_id])

    return submit_form(request, form, do) or render(request, "cases/form.html", {
        "form": form, "title": form_title("note"), "case": access.case, "allow_draft": True})


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search by POST: names and national numbers never travel in a URL."""
    form = forms.SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.case_search(actor=actor_from(request), query=form.cleaned_data["q"])
    template = "cases/_search_results.html" if request.htmx else "cases/search.html"
    return render(request, template, {"form": form, "results": results})


@login_required
@require_http_methods(["GET"])
def person_history(request: HttpRequest, person_id: int) -> HttpResponse:
    """What changed in her record, by whom and when, as far as the reader may see."""
    page = selectors.person_history(actor=actor_from(request), person_id=person_id)
    return render(request, "core/history.html", {"page": page})


@login_required
@require_http_methods(["GET"])
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    page = selectors.case_history(actor=actor_from(request), case_id=case_id)
    return render(request, "core/history.html", {"page": page})


@login_required
@require_http_methods(["GET"])
def safe_contact_history(request: HttpRequest, person_id: int) -> HttpResponse:
    page = selectors.safe_contact_history(actor=actor_from(request), person_id=person_id)
    return render(request, "core/history.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    """The check before closing a case, and the closure: what is still open (with links), a
    coded reason; at high risk the closure waits for a supervisor's approval."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    actor = actor_from(request)
    check = selectors.closure_check(actor=actor, case_id=case_id)
    form = bound_form(request, forms.CaseCloseForm)

    def do(data) -> str:
        case = services.case_close(actor=actor, case_id=case_id, reason=data["reason"],
                                   note=data["note"], acknowledged=data["acknowledged"])
        if case.status == "open":
            messages.info(request, _("The closure waits for a supervisor's approval. You will "
                                     "receive the decision and its reason by e-mail and on "
                                     "the approvals page."))
        else:
            messages.success(request, _("The case is closed."))
        return reverse("cases:case_detail", args=[case_id])

    return submit_form(request, form, do) or render(request, "cases/close.html", {
        "case": check.access.case, "check": check, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, case_id: int) -> HttpResponse:
    """Deleting a case recorded in error: what keeps it (then: close it instead), a coded
    reason; where the agency asks for it, the deletion waits for a supervisor's approval."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    actor = actor_from(request)
    check = selectors.deletion_check(actor=actor, case_id=case_id)
    form = bound_form(request, forms.CaseDeleteForm)

    def do(data) -> str:
        waiting = services.case_delete(actor=actor, case_id=case_id, reason=data["reason"],
                                       note=data["note"])
        if waiting is not None:
            messages.info(request, _("The deletion waits for a supervisor's approval. You will "
                                     "receive the decision and its reason by e-mail and on "
                                     "the approvals page."))
            return reverse("cases:case_detail", args=[case_id])
        messages.success(request, _("The case is deleted."))
        return reverse("cases:my_cases")

    return submit_form(request, form, do) or render(request, "cases/delete.html", {
        "case": check.access.case, "check": check, "form": form})
