"""What every public page (no sign-in) shares: the language it speaks and the headers that keep
nothing about the visitor.

Used by the public service finder (``/help/``) and the anonymous feedback form
(``/feedback/``). The public languages are those of the documents handed to victims.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

PUBLIC_LANGUAGES = ("fr", "nl", "en", "de")


def public_language(request: HttpRequest, language: str | None) -> str:
    """The language asked for in the address, else the browser's first public language, else
    French. Never a cookie or a session: the visitor leaves no trace."""
    if language in PUBLIC_LANGUAGES:
        return language
    header = request.headers.get("Accept-Language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in PUBLIC_LANGUAGES:
            return code
    return "fr"


def public_headers(response: HttpResponse, language: str) -> HttpResponse:
    """Nothing kept: not by a cache, not in a referrer, no cookie."""
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response.cookies.clear()
    return response
