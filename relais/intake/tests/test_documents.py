"""The PDFs, opened and read: what each shows, in which language, and what it never shows."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from relais.cases import services as case_services
from relais.conftest import PERPETRATOR_PHONE, VICTIM_PHONE, VICTIM_STREET, actor
from relais.intake import documents, services
from relais.intake.examples import report_arguments
from relais.intake.selectors import report_get


@pytest.fixture
def view(cast):
    zone = cast.zone_a
    zone.phone = "02 000 00 99"
    zone.save()
    zone.units.create(kind="victim_assistance", name="SAPV (test)", phone="02 000 00 11")
    case_services.address_add(actor=actor(cast.officer_a), person_id=cast.perpetrator_id,
                              street="Rue du Fictif 9", postcode="1060", municipality="21013")
    report = services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id,
                           pv_number="BR.00.L0.000042/2026"))
    return report_get(actor=actor(cast.officer_a), report_id=report.pk, language="en")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def render_text(document: str, view, language: str) -> str:
    pdf, _name = documents.render(document, view=view, language=language)
    assert pdf.startswith(b"%PDF")
    return text_of(pdf)


def test_the_flyer_gives_the_four_steps_the_numbers_and_no_personal_data(view):
    text = render_text("flyer", view, "en")

    for step in ("A calm reception", "A record of what happened", "Care", "Follow-up"):
        assert step in text
    assert "without filing a formal complaint" in text
    for number in ("112", "0800 30 030", "1712", "02 000 00 11", "02 000 00 99"):
        assert number in text, number
    assert documents.public_finder_url() in text.replace("/ ", "/")  # wrapped under the QR
    for personal in ("Alice", "Exemple", "Bruno", "Fictif", view.report.case.reference):
        assert personal not in text, personal


def test_the_flyer_carries_a_qr_code_image(view):
    pdf, _name = documents.render("flyer", view=view, language="fr")
    reader = PdfReader(io.BytesIO(pdf))
    # The QR code is an inline SVG drawn as vector paths: the page has drawing operators.
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b" re") + content.count(b" l\n") > 50


@pytest.mark.parametrize("language,title,step", [
    ("fr", "Votre parcours en 4 étapes", "112"),
    ("nl", "Uw traject in 4 stappen", "1712"),
    ("de", "Ihr Weg in 4 Schritten", "0800 30 030"),
])
def test_the_flyer_speaks_the_victims_language(view, language, title, step):
    text = render_text("flyer", view, language)
    assert title in text
    assert step in text


def test_the_declaration_is_prefilled_explained_and_says_nothing_of_the_perpetrator(view):
    text = render_text("declaration", view, "en")

    assert "Injured-party declaration" in text
    assert "What this declaration does, in plain words" in text
    assert "Alice" in text and "Exemple" in text and "14 March 1988" in text
    assert "BR.00.L0.000042/2026" in text
    assert view.report.case.reference in text
    assert "Test parquet-bxl" in text  # the prosecutor's office the report went to
    for withheld in ("Bruno", "Fictif", "Rue du Fictif", VICTIM_STREET, VICTIM_PHONE,
                     PERPETRATOR_PHONE):
        assert withheld not in text, withheld


def test_the_declaration_in_dutch(view):
    text = render_text("declaration", view, "nl")
    assert "benadeelde persoon" in text.lower()


def test_the_report_prints_the_five_sections_and_no_whereabouts(view):
    text = render_text("report", view, "en")

    for section in ("1. Facts", "2. Children", "3. Risk", "4. Immediate measures",
                    "5. Referral", "The interview"):
        assert section in text, section
    assert "He pushed her against the wall" in text
    assert "The child (7) was in the next room" in text
    assert "Intimate partner violence".lower() in text.lower()
    assert "Bruno" in text  # the report names the alleged perpetrator for the prosecutor
    for whereabouts in (VICTIM_STREET, "Rue du Fictif", VICTIM_PHONE, PERPETRATOR_PHONE):
        assert whereabouts not in text, whereabouts


def test_the_victims_language_is_chosen_for_her(cast):
    from relais.cases.models import Person

    person = Person.objects.get(pk=cast.victim_id)
    person.file_language, person.languages = "", ["ti", "de"]
    assert documents.victim_language(person) == "de"
    person.file_language = "nl"
    assert documents.victim_language(person) == "nl"
    person.file_language, person.languages = "", ["ar"]
    assert documents.victim_language(person) == "fr"
    assert documents.document_language("xx", "en") == "en"
    assert documents.document_language("de", "en") == "de"
