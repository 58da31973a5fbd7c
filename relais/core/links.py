"""Absolute links that leave the browser: in e-mails, notices and printed QR codes.

They start with ``RELAIS_PUBLIC_URL``, the address people reach this Relais at (required in
production; see docs/production.md). Without it, in the demo (DEBUG), they start with the
address of the request being served, so that a demo on another host or port links to itself;
a command with no request (``followup_tick``) falls back to http://127.0.0.1:8000.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.http import HttpRequest, HttpResponse

FALLBACK_URL = "http://127.0.0.1:8000"
_request_origin: ContextVar[str] = ContextVar("relais_request_origin", default="")


def public_url(path: str = "") -> str:
    """``path`` (from ``reverse``) as an absolute link."""
    base = settings.RELAIS_PUBLIC_URL or _request_origin.get() or FALLBACK_URL
    return base + path


class RequestOriginMiddleware:
    """In the demo without ``RELAIS_PUBLIC_URL``: the links of this request point to the host
    it came to (already checked against ``ALLOWED_HOSTS``). Never in production, where a
    forged Host header must not choose where e-mails send people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.RELAIS_PUBLIC_URL or not settings.DEBUG:
            return self.get_response(request)
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)


@register(deploy=True)
def public_url_is_set(app_configs, **kwargs) -> list[CheckMessage]:
    if settings.RELAIS_PUBLIC_URL:
        return []
    return [Warning("RELAIS_PUBLIC_URL is not set: links in e-mails and on the printed QR "
                    f"codes would point to {FALLBACK_URL}.", id="relais.W001")]
