"""PDF documents drawn with WeasyPrint from Django templates.

Documents never fetch anything: images (the QR code) are inlined as data: URIs, and every other
URL is refused, so a document cannot leak a request to the outside.
"""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, URLFetcher


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render ``template`` in ``language`` and draw it as a PDF."""
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language})
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher, base_url=".").write_pdf()


def qr_data_uri(url: str) -> str:
    """A QR code (segno) of ``url``, as an SVG data URI for a document."""
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#000", light="#fff")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A download; ``filename`` must carry no personal data (a case reference at most)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
