"""Pages: a 404 raised by a view for an object that exists is a refused read (audit/denied.py).

The API records its own in ``relais.core.api.exception_handler`` (DRF turns Http404 into a
response before any middleware sees it)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from relais.audit.denied import record_denied_request


class DeniedReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404) and request.resolver_match is not None:
            record_denied_request(request, request.resolver_match.kwargs)
        return None
