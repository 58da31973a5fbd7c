"""Helpers shared by function views, and the error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from relais.core.actor import actor_from
from relais.core.drafts import (
    DISCARD_BUTTON,
    DRAFT_BUTTON,
    draft_data,
    draft_discard,
    draft_drop,
    draft_save,
)
from relais.core.landing import landing_url
from relais.core.submissions import TOKEN_FIELD, run_once
from relais.core.versions import VERSION_FIELD, EditConflict, conflict_rows


def bound_form(request: HttpRequest, form_class: type[forms.Form], **kwargs: Any) -> forms.Form:
    """The form bound to what was posted, or on first display to the user's saved draft
    (else filled with ``initial``, e.g. what is already recorded)."""
    if request.method == "POST":
        return form_class(request.POST, **kwargs)
    draft = draft_data(request)
    if draft is not None:
        # base.html says so, with a "Discard draft" button (core/_draft_restored.html).
        request.draft_restored = True
        # As initial values, not as a submission: a draft is not checked until it is saved.
        blank = form_class(**kwargs)
        restored = {name: draft.getlist(name) if isinstance(field, forms.MultipleChoiceField)
                    else draft.get(name) for name, field in blank.fields.items() if name in draft}
        return form_class(**{**kwargs, "initial": {**kwargs.get("initial", {}), **restored}})
    return form_class(**kwargs)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where it can."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def take_theirs(request: HttpRequest, *, page: str) -> HttpResponse | None:
    """"Take theirs (reload)" after a conflict on a form that posts away from its page (a
    card of a record's page): her draft is dropped (audited) and ``page`` reloads with what
    is saved. None when she asked for something else."""
    if DISCARD_BUTTON not in request.POST:
        return None
    draft_drop(request)
    return HttpResponseRedirect(page)


def submit_form(request: HttpRequest, form: forms.Form,
                do: Callable[[dict[str, Any]], str], *,
                page: str | None = None) -> HttpResponse | None:
    """Validate ``form`` and run ``do(cleaned_data)`` once per submission token.

    ``do`` calls a service and returns the URL to go to. On a validation error (from the form
    or the service) nothing is saved and ``None`` is returned so the view re-renders the form
    with the user's input intact. ``page``: where the form is shown, when it posts elsewhere
    ("Discard draft" and "Take theirs" go back there); by default the address posted to.
    """
    if request.method != "POST":
        return None
    if DISCARD_BUTTON in request.POST:
        if page is not None:
            return take_theirs(request, page=page)
        if draft_drop(request):
            messages.success(request, _("Draft discarded."))
        return HttpResponseRedirect(request.path)
    if DRAFT_BUTTON in request.POST:
        draft_save(request)
        messages.success(request, _("Draft saved. Come back to this page to finish it."))
        return HttpResponseRedirect(request.path)
    if not form.is_valid():
        return None
    try:
        url, _first = run_once(request=request, token=request.POST.get(TOKEN_FIELD, ""),
                               do=lambda: do(form.cleaned_data))
    except ValidationError as error:
        apply_errors(form, error)
        return None
    except EditConflict as conflict:
        show_conflict(request, form, conflict)
        return None
    draft_discard(request)
    return HttpResponseRedirect(url or request.path)


def show_conflict(request: HttpRequest, form: forms.Form, conflict: EditConflict) -> None:
    """Someone saved the record since she opened the form: nothing was saved. Her typing stays
    in the form and is kept as her draft of it; ``form.conflict`` lists the saved values beside
    hers (core/_conflict.html), and the form now carries the saved version, so that saving it
    again keeps hers ("Keep mine")."""
    draft_save(request)
    form.conflicted, form.conflict = True, conflict_rows(form, conflict)
    form.data = form.data.copy()
    form.data[form.add_prefix(VERSION_FIELD)] = conflict.version


def act(request: HttpRequest, do: Callable[[], object], *,
        success: str | Callable[[Any], str], then: str) -> HttpResponse:
    """A one-click POST action: run ``do``; its validation error becomes an error message.
    ``success`` may read what ``do`` returned (a step that waits for an approval)."""
    try:
        result = do()
        messages.success(request, success(result) if callable(success) else success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(then)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """``/``: to the signed-in person's own work (relais.core.landing)."""
    return redirect(landing_url(actor_from(request)))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": _("You cannot do this on this case.")},
                  status=403)
