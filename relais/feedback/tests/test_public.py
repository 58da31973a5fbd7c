"""The public pages: the code from the leaflet, the form in four languages, no trace."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.feedback.models import FeedbackResponse
from relais.feedback.services import feedback_code_get_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(cast) -> str:
    return feedback_code_get_or_create(zone=cast.zone_a).code


def assert_leaves_no_trace(response) -> None:
    assert not response.cookies, response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_code_page_leads_to_the_form_whatever_the_case_and_spaces(code):
    client = Client()
    page = client.get("/feedback/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert page.status_code == 200 and b'lang="nl"' in page.content
    assert_leaves_no_trace(page)
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    answer = client.post("/feedback/fr/", {"code": typed})
    assert answer.status_code == 303
    assert answer["Location"] == f"/feedback/{code}/fr/"
    assert_leaves_no_trace(answer)


@pytest.mark.parametrize(("language", "words"), [
    ("fr", "Nous ne connaissons pas ce code"), ("en", "We do not know this code")])
def test_a_wrong_code_is_explained_in_the_page_language(code, language, words):
    answer = Client().post(f"/feedback/{language}/", {"code": "ZZ ZZZZ"})
    assert answer.status_code == 400
    assert b"error-summary" in answer.content
    assert_leaves_no_trace(answer)
    if language == "en":  # French comes with the lead's translation round
        assert words.encode() in answer.content


def test_the_form_speaks_the_browsers_language_or_the_addresss(code):
    client = Client()
    dutch = client.get(f"/feedback/{code.lower()}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 200 and dutch["Content-Language"] == "nl"
    assert "Vond u de folder die u van de politie kreeg geruststellend?" in dutch.content.decode()
    german = client.get(f"/feedback/{code}/de/")
    text = german.content.decode()
    assert german["Content-Language"] == "de" and 'lang="de"' in text
    assert "Würden Sie einer Person in Ihrer Lage raten" in text and "Teilweise" in text
    for other in ("fr", "nl", "en"):  # links to the same form in the other languages
        assert f'href="/feedback/{code}/{other}/"' in text
    assert 'id="quick-exit"' in text and "relais/quick-exit.js" in text
    assert_leaves_no_trace(german)


def test_the_form_is_accessible_a_fieldset_and_radio_buttons_per_question(code):
    text = Client().get(f"/feedback/{code}/en/").content.decode()
    assert text.count("<fieldset") == text.count("<legend>") == 10
    assert 'type="radio" name="overall_help" value="very_good"' in text
    assert '<label for="id_overall_help_0">' in text
    assert "csrfmiddlewaretoken" not in text


def test_an_unknown_code_is_a_public_404_without_a_cookie(cast):
    for url in ("/feedback/ZZZZZZ/", "/feedback/ZZZZZZ/en/", "/feedback/not-a-code/nl/"):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert b"quick-exit" in response.content and b"Sign out" not in response.content
        assert_leaves_no_trace(response)
    assert Client().post("/feedback/ZZZZZZ/", {"overall_help": "poor"}).status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_a_wrong_answer_is_flagged_and_the_others_are_kept(code):
    answer = Client().post(f"/feedback/{code}/en/", {
        "flyer_reassuring": "yes", "overall_help": "excellent", "quick_appointment": "no"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "This answer is not one of the choices" in text
    assert 'value="yes" id="id_flyer_reassuring_0" checked' in text
    assert 'value="no" id="id_quick_appointment_2" checked' in text
    assert_leaves_no_trace(answer)
    assert not FeedbackResponse.objects.exists()


def test_a_form_sent_empty_asks_for_one_answer_and_stores_nothing(code):
    answer = Client().post(f"/feedback/{code}/en/", {})
    assert answer.status_code == 400
    assert b"You have not answered any question yet" in answer.content
    assert not FeedbackResponse.objects.exists()


def test_the_thank_you_page_is_not_a_redirect_and_points_to_help(code):
    answer = Client().post(f"/feedback/{code}/nl/", {"would_advise_police": "not_sure"})
    assert answer.status_code == 200
    assert b'href="/help/nl/"' in answer.content
    assert_leaves_no_trace(answer)
    assert FeedbackResponse.objects.get().answers == {"would_advise_police": "not_sure"}
