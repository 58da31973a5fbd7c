"""The anonymous feedback form (public, no sign-in) and the zone's results (staff).

The public pages behave like the service finder at /help/: FR / NL / EN / DE from the address
or the browser, a quick exit, no cookie (hence no CSRF token: posting an answer changes nothing
that belongs to anyone), nothing cached, no referrer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from relais.core.actor import actor_from
from relais.core.pdf import qr_data_uri
from relais.core.public import PUBLIC_LANGUAGES, public_headers, public_language
from relais.core.views import apply_errors
from relais.feedback import selectors
from relais.feedback.forms import CodeForm, FeedbackForm
from relais.feedback.questions import questionnaire
from relais.feedback.services import feedback_submit, normalise_code, zone_for_code


def _languages(link: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(code, name, address of this page in that language) for the language links."""
    return [(code, name, link(code)) for code, name in settings.RELAIS_LANGUAGE_NAMES
            if code in PUBLIC_LANGUAGES]


def _public(request: HttpRequest, template: str, context: dict[str, Any], *, language: str,
            status: int = 200) -> HttpResponse:
    response = render(request, template, {
        **context, "language": language, "LANGUAGE_CODE": language,
        "quick_exit_url": settings.RELAIS_QUICK_EXIT_URL,
        "finder_url": reverse("directory:public_language", args=[language]),
    }, status=status)
    return public_headers(response, language)


@csrf_exempt  # no cookie on a public page, not even a CSRF one; see the module docstring
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """Type the code printed on the leaflet."""
    code = public_language(request, language)
    with translation.override(code):
        form = CodeForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            target = reverse("feedback:form_language", args=[form.cleaned_data["code"], code])
            return public_headers(HttpResponseRedirect(target, status=303), code)
        return _public(request, "feedback/public/entry.html", {
            "form": form,
            "languages": _languages(lambda c: reverse("feedback:entry_language", args=[c])),
        }, language=code, status=400 if form.is_bound else 200)


@csrf_exempt  # as above
@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, code: str, language: str | None = None) -> HttpResponse:
    """The questions of the zone's form; after sending, a thank-you page (no redirect, so
    the address never carries anything about the answers)."""
    lang = public_language(request, language)
    zone = zone_for_code(code)
    with translation.override(lang):
        if zone is None:
            return _public(request, "feedback/public/not_found.html", {
                "languages": _languages(lambda c: reverse("feedback:entry_language", args=[c])),
            }, language=lang, status=404)
        code = normalise_code(code)
        questions = questionnaire()
        feedback = FeedbackForm(request.POST if request.method == "POST" else None,
                                questions=questions, language=lang)
        if feedback.is_bound and feedback.is_valid():
            try:
                feedback_submit(zone=zone, answers=feedback.cleaned_data, questions=questions)
            except ValidationError as error:
                apply_errors(feedback, error)
            else:
                return _public(request, "feedback/public/thanks.html", {"zone": zone},
                               language=lang)
        return _public(request, "feedback/public/form.html", {
            "form": feedback, "zone": zone, "code": code,
            "languages": _languages(lambda c: reverse("feedback:form_language", args=[code, c])),
        }, language=lang, status=400 if feedback.is_bound else 200)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """The zone's answers in figures, for its own staff (others: 404)."""
    try:
        months = int(request.GET.get("months", selectors.DEFAULT_PERIOD))
    except ValueError:
        months = selectors.DEFAULT_PERIOD
    if months not in selectors.PERIODS:
        months = selectors.DEFAULT_PERIOD
    found = selectors.feedback_results(actor=actor_from(request), months=months,
                                       language=request.LANGUAGE_CODE)
    url = selectors.form_url(found.code.code)
    return render(request, "feedback/results.html", {
        "results": found, "periods": selectors.PERIODS, "threshold": selectors.THRESHOLD,
        "form_url": url, "entry_url": selectors.entry_url(), "qr": qr_data_uri(url),
    })
