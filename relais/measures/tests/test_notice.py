"""The notice handed to him never shows where she is: the PDF text, in French, Dutch and
German, holds the banned home and the dates, and none of her phone numbers, her shelter's
confidential address, her other address, or where he will stay."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from relais.conftest import VICTIM_PHONE, VICTIM_STREET, Cast, actor, verified_client
from relais.followup.rules import later_same_clock
from relais.measures import documents, services
from relais.measures.tests.factories import (
    OTHER_STREET,
    SHELTER_STREET_FOR_HER,
    forwarded,
    order_ban,
    other_address,
    shelter_address,
)

pytestmark = pytest.mark.django_db
STAY = "Chez son frère, Namur (fictif)"
TITLES = {"fr": "Interdiction temporaire de résidence", "nl": "Tijdelijk huisverbod",
          "de": "Zeitweiliges Hausverbot"}


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def ban(cast: Cast):
    """A ban on the shared home, while she also has a shelter address and another address."""
    forwarded(cast)
    shelter_address(cast)
    other_address(cast)
    ban = order_ban(cast, perpetrator_stays_at=STAY)
    return ban


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_notice_never_shows_where_she_is(cast, ban, language):
    pdf, filename = documents.notice_render(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                                            language=language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert TITLES[language] in text
    assert VICTIM_STREET in text and "1050" in text  # the banned home
    start = timezone.localtime(ban.starts_at).strftime("%d/%m/%Y %H:%M")
    end = timezone.localtime(ban.ends_at).strftime("%d/%m/%Y %H:%M")
    assert squeeze(start) in flat and squeeze(end) in flat
    assert "Bruno Fictif" in text and "Alice Exemple" in text
    for secret in (VICTIM_PHONE, VICTIM_PHONE.replace("+32", "0"), "470 12 34 56",
                   "470123456", SHELTER_STREET_FOR_HER, OTHER_STREET, "Namur", "frère",
                   "Tigrinya", "9-12"):
        assert squeeze(secret) not in flat, secret
    assert filename == f"{ban.case.reference}-residence-ban-{language}.pdf"


def test_the_notice_read_is_audited_with_its_language(cast, ban):
    from relais.audit.models import AuditEvent

    documents.notice_render(actor=actor(cast.officer_a), ban_id=ban.pk, language="nl")
    assert AuditEvent.objects.filter(object_id=str(ban.pk), action="read",
                                     basis__endswith="residence-ban notice (nl)").exists()


def test_an_extended_ban_prints_the_new_end_and_the_court(cast, ban):
    new_end = later_same_clock(ban.starts_at, days=30)
    services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk, new_ends_at=new_end,
                        decided_on=timezone.localdate(), court="Familierechtbank Brussel")
    pdf, _name = documents.notice_render(actor=actor(cast.officer_a), ban_id=ban.pk,
                                         language="nl")
    flat = squeeze(pdf_text(pdf))
    assert squeeze(timezone.localtime(new_end).strftime("%d/%m/%Y %H:%M")) in flat
    assert "FamilierechtbankBrussel" in flat


def test_the_notice_is_downloaded_in_the_language_chosen(cast, ban):
    response = verified_client(cast.officer_a).get(f"/measures/bans/{ban.pk}/notice.pdf?lang=de")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "residence-ban-de.pdf" in response["Content-Disposition"]
    assert "Alice" not in response["Content-Disposition"]
    assert TITLES["de"] in pdf_text(response.content)
    unknown = verified_client(cast.officer_a).get(f"/measures/bans/{ban.pk}/notice.pdf?lang=xx")
    assert TITLES["fr"] in pdf_text(unknown.content)


def test_another_zone_cannot_print_it(cast, ban):
    response = verified_client(cast.officer_b).get(f"/measures/bans/{ban.pk}/notice.pdf")
    assert response.status_code == 404


def test_the_notice_shows_a_ban_ordered_to_start_later(cast):
    forwarded(cast)
    start = timezone.now() + timedelta(days=1)
    ban = order_ban(cast, starts_at=start, ends_at=later_same_clock(start, days=7))
    pdf, _name = documents.notice_render(actor=actor(cast.officer_a), ban_id=ban.pk,
                                         language="fr")
    assert squeeze(timezone.localtime(start).strftime("%d/%m/%Y")) in squeeze(pdf_text(pdf))


REFERENCE = {"fr": "Référence", "nl": "Referentie", "de": "Referenz"}
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_notice_fits_on_one_page_with_its_reference(cast, ban, language):
    """Handed over and signed on the spot: one sheet, the reference line on it. An extended ban
    (one more paragraph) and long names still fit."""
    services.ban_extend(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                        new_ends_at=later_same_clock(ban.ends_at, days=20),
                        decided_on=timezone.localdate(),
                        court="Tribunal de la famille de Bruxelles, chambre 12 (fictif)")
    pdf, _filename = documents.notice_render(actor=actor(cast.legal_advisor), ban_id=ban.pk,
                                            language=language)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"notice-{language}.pdf").write_bytes(pdf)  # for a human look
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1, f"{len(pages)} pages"
    assert REFERENCE[language] in pages[0].extract_text()
