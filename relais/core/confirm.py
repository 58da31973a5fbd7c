"""A confirmation step before an irreversible POST (withdraw a consent, forward, lift a ban).

The view checks access first (an outsider still gets the 404), then asks ``confirm_page``: a
POST without the confirmation gets the confirm page, which posts everything that was sent
again with the confirmation, so nothing typed is lost. Nothing is written before it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

CONFIRM_FIELD = "_confirmed"
NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirm_page(request: HttpRequest, *, title: str | Promise, warning: str | Promise,
                 button: str | Promise, back: str) -> HttpResponse | None:
    """None when the POST carries the confirmation; else the confirm page."""
    if confirmed(request):
        return None
    carried = [(name, value) for name in request.POST if name not in NOT_CARRIED
               for value in request.POST.getlist(name)]
    return render(request, "core/confirm.html", {
        "title": title, "warning": warning, "button": button, "back": back,
        "carried": carried, "confirm_field": CONFIRM_FIELD})
