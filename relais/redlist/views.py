"""Screens of the red list: the entries of the reference officer or the prosecutor's office
(put, review, lift) and the dispatcher's look-up. Views parse input and call a service or a
selector; the policy decides (every refusal is a 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access import redlist as policy
from relais.core.actor import actor_from
from relais.core.drafts import draft_discard
from relais.core.versions import EditConflict
from relais.core.views import apply_errors, bound_form, show_conflict, submit_form, take_theirs
from relais.redlist import selectors, services
from relais.redlist.forms import EntryForm, ExtendForm, LiftForm, LookupForm, default_review_on
from relais.redlist.normalise import lookup_keys


@login_required
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    lines = selectors.entry_list(actor=actor, include_lifted=request.GET.get("lifted") == "1")
    return render(request, "redlist/entries.html", {"lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    if not policy.may_place(actor):
        raise Http404
    form = bound_form(request, EntryForm, initial={"review_on": default_review_on()})

    def do(data: dict) -> str:
        case_id = selectors.case_id_by_reference(actor=actor, reference=data["case"])
        if case_id is None:
            raise ValidationError({"case": _("No open case with this reference that you can "
                                             "open.")})
        entry = services.entry_place(
            actor=actor, case_id=case_id, kind=data["kind"], reason=data["reason"],
            reason_text=data["reason_text"], review_on=data["review_on"],
            postcode=data["postcode"], refnis=data["refnis"], streets=form.streets,
            number=data["number"], box=data["box"], phone=data["phone"])
        messages.success(request, _("On the red list as %(reference)s.") % {
            "reference": entry.reference})
        return reverse("redlist:entry", args=[entry.pk])

    try:
        response = submit_form(request, form, do)
    except Http404:  # a case she sees but may not list from (closed, no judicial scope)
        form.add_error("case", _("No open case with this reference that you can open."))
        response = None
    if response is not None:
        return response
    return render(request, "redlist/entry_new.html", {"form": form})


@login_required
@require_GET
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _entry_page(request, entry_id)


def _entry_page(request: HttpRequest, entry_id: int, *, extend_form: ExtendForm | None = None,
                lift_form: LiftForm | None = None) -> HttpResponse:
    line = selectors.entry_get(actor=actor_from(request), entry_id=entry_id)
    version = services.entry_version(line.entry)
    return render(request, "redlist/entry.html", {
        "line": line, "entry": line.entry,
        "extend_form": extend_form or ExtendForm(initial={"review_on": default_review_on(),
                                                          "version": version}),
        "lift_form": lift_form or LiftForm(initial={"version": version})})


def _entry_change(request: HttpRequest, entry_id: int, form: ExtendForm | LiftForm,
                  do: Callable[[dict[str, Any]], object], *, success: str) -> HttpResponse:
    """Review or lift: over the version she read. Reviewed by someone since, nothing is done:
    the entry's page shows what was saved beside her choice (kept as her draft), and she
    decides ("Keep mine and save" / "Take theirs")."""
    then = reverse("redlist:entry", args=[entry_id])
    if theirs := take_theirs(request, page=then):
        return theirs
    data = form.cleaned_data if form.is_valid() else {}
    try:
        do(data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(then)
    except EditConflict as conflict:
        show_conflict(request, form, conflict)
        forms_shown = {"extend_form" if isinstance(form, ExtendForm) else "lift_form": form}
        return _entry_page(request, entry_id, **forms_shown)
    draft_discard(request)
    messages.success(request, success)
    return redirect(then)


@login_required
@require_POST
def entry_extend(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = actor_from(request)
    return _entry_change(request, entry_id, ExtendForm(request.POST), lambda data: (
        services.entry_extend(actor=actor, entry_id=entry_id, review_on=data.get("review_on"),
                              version=data.get("version") or None)),
        success=_("Reviewed: the entry stays on the list."))


@login_required
@require_POST
def entry_lift(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = actor_from(request)
    return _entry_change(request, entry_id, LiftForm(request.POST), lambda data: (
        services.entry_lift(actor=actor, entry_id=entry_id, why=data.get("why", ""),
                            version=data.get("version") or None)),
        success=_("Lifted: the entry is off the list."))


@login_required
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The dispatcher's screen: the same answer as the API (posted, so nothing typed goes into
    an address bar or a log)."""
    actor = actor_from(request)
    if not policy.may_look_up(actor):
        raise Http404
    form = LookupForm(request.POST if request.method == "POST" else None)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            keys = lookup_keys(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            answer = selectors.lookup(actor=actor, keys=keys)
    return render(request, "redlist/lookup.html", {"form": form, "answer": answer})
