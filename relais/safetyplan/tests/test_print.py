"""The discreet printed plan: a PDF in FR, NL, DE and EN titled "My plan", with no word that
names violence in any of the four languages, no organisation, no case reference, no surname.

The words are read from the PDF's text (pypdf). While the catalogues lack a translation the
English source is printed, which the same check reads; once translated, the check reads the
translations."""

from __future__ import annotations

import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, verified_client
from relais.safetyplan import selectors
from relais.safetyplan.models import DangerStep, DigitalItem, ReadyItem
from relais.safetyplan.tests.factories import CODE_WORD, make_plan

LANGUAGES = ("fr", "nl", "de", "en")
# Words that would tell whoever finds the paper what it is about, in the four languages.
FORBIDDEN = re.compile(
    r"violen|abus|victim|perpetrat|assault|domestic|batter|"  # en (violence, abuse, victim...)
    r"maltrait|agress|conjugal|auteur|"  # fr (violence, victime via 'victim')
    r"geweld|slachtoffer|dader|mishandel|misbruik|"  # nl
    r"gewalt|opfer|täter|misshandl|missbrauch|häuslich|"  # de
    r"relais|safety|sécurité|veiligheid|sicherheit",  # no branding, no "safety plan" title
    re.IGNORECASE)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_plan_names_nothing(cast, language):
    plan = make_plan(cast, ready_items=ReadyItem.values, digital_items=DigitalItem.values,
                     danger_steps=DangerStep.values)
    response = verified_client(cast.sapv_a).get(f"/safety-plans/{plan.pk}/print/?lang={language}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="plan-{language}.pdf"'
    text = _text(response.content)
    assert CODE_WORD in text and "112" in text and "Chloé" in text
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    for withheld in (cast.case.reference, "Zone A", "Exemple", "Fictif", "Bruno"):
        assert withheld not in text
    with translation.override(language):
        assert translation.gettext("My plan") in text
    assert AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk,
                                     basis__contains=f"printed ({language})").exists()


def test_her_language_by_default(cast):
    plan = make_plan(cast)  # language "nl"
    response = verified_client(cast.sapv_a).get(f"/safety-plans/{plan.pk}/print/")
    assert response["Content-Disposition"] == 'attachment; filename="plan-nl.pdf"'


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_words_themselves(cast, language):
    """Every word the template and the checklists print, without what the worker typed."""
    plan = make_plan(cast, ready_items=ReadyItem.values, digital_items=DigitalItem.values,
                     danger_steps=DangerStep.values)
    _plan, shown, _lang = selectors.plan_for_print(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                                   requested=language)
    with translation.override(language):
        html = render_to_string("safetyplan/pdf/plan.html", {"shown": shown,
                                                              "LANGUAGE_CODE": language})
    body = re.sub(r"<[^>]+>", " ", html.split("{% endcomment %}")[-1])
    body = re.sub(r"(?s)<style>.*?</style>", " ", body)
    assert not FORBIDDEN.search(body.replace("DejaVu", "")), FORBIDDEN.search(body)
