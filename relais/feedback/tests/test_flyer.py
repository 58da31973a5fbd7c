"""The flyer carries the zone's feedback code and QR code, never anything of the case."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from relais.conftest import actor
from relais.feedback.models import FeedbackCode
from relais.feedback.selectors import entry_url
from relais.intake import documents, services
from relais.intake.examples import report_arguments
from relais.intake.selectors import report_get

pytestmark = pytest.mark.django_db


def flyer(cast, language: str) -> tuple[PdfReader, dict]:
    report = services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id))
    view = report_get(actor=actor(cast.officer_a), report_id=report.pk, language=language)
    pdf, _name = documents.render("flyer", view=view, language=language)
    return PdfReader(io.BytesIO(pdf)), documents._context("flyer", view)


def flyer_text(cast, language: str) -> tuple[str, dict]:
    reader, context = flyer(cast, language)
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), context


def test_the_flyer_prints_the_zones_feedback_code_and_qr(cast):
    text, context = flyer_text(cast, "en")
    code = FeedbackCode.objects.get(agency=cast.zone_a).code
    assert "Tell us how we did" in text
    assert code in text
    assert entry_url() in text.replace("/ ", "/")
    assert context["feedback_code"] == code
    assert context["feedback_qr"].startswith("data:image/svg+xml")


def test_the_flyer_still_fits_on_one_page_in_every_language(cast):
    cast.zone_a.phone = "02 000 00 99"
    cast.zone_a.save()
    cast.zone_a.units.create(kind="victim_assistance", name="SAPV (test)", phone="02 000 00 11")
    for language in ("fr", "nl", "en", "de"):
        reader, _context = flyer(cast, language)
        assert len(reader.pages) == 1, language


def test_the_feedback_qr_depends_on_the_zone_never_on_the_case(cast):
    _text, first = flyer_text(cast, "fr")
    _text, second = flyer_text(cast, "fr")  # a second report of the zone
    assert first["feedback_qr"] == second["feedback_qr"]
    assert first["feedback_code"] == second["feedback_code"]
    assert FeedbackCode.objects.count() == 1
