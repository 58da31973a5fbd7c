"""Every screen: sign-in required, outsiders get 404, bad input keeps what was typed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.access.models import ConsentMethod, Share
from relais.access.services import break_glass_open, referral_share_grant
from relais.audit.models import Action, AuditEvent
from relais.cases.models import Case, Person
from relais.conftest import actor, verified_client

CASE_URLS = ["cases:case_detail", "cases:person_add", "cases:note_add", "access:referral_share",
             "access:consultation", "access:access_log"]
PERSON_URLS = ["cases:person_detail", "cases:phone_add", "cases:address_add",
               "cases:safe_contact", "cases:need_add"]
OTHER_URLS = ["cases:my_cases", "cases:case_open", "cases:search", "access:break_glass",
              "access:reviews", "accounts:api_token"]


def urls(cast) -> list[str]:
    return ([reverse(name, args=[cast.case.pk]) for name in CASE_URLS]
            + [reverse(name, args=[cast.victim_id]) for name in PERSON_URLS])


def test_every_screen_requires_sign_in(cast):
    client = Client()
    for url in urls(cast) + [reverse(name) for name in OTHER_URLS]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_other_agency_gets_404_on_every_case_screen(cast):
    client = verified_client(cast.officer_b)
    for url in urls(cast):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert client.post(reverse("access:forward", args=[cast.case.pk])).status_code == 404


def test_owner_sees_every_screen(cast):
    client = verified_client(cast.reference_a)
    for url in urls(cast) + [reverse(name) for name in OTHER_URLS]:
        assert client.get(url).status_code == 200, url


def test_case_page_shows_persons_timeline_and_is_audited(cast):
    response = verified_client(cast.officer_a).get(
        reverse("cases:case_detail", args=[cast.case.pk]))
    page = response.content.decode()
    assert "Alice" in page and "Bruno" in page and "Chloé" in page
    assert page.index("Case opened") < page.index("visible marks of strangulation")
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.case_id, event.user_id) == (Action.READ, cast.case.pk,
                                                            cast.officer_a.pk)
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_case_list_uses_a_constant_number_of_queries(cast):
    from relais.cases.services import case_open

    client = verified_client(cast.officer_a)
    client.get(reverse("cases:my_cases"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:my_cases"))
    for _i in range(5):
        case_open(actor=actor(cast.officer_a), situation="couple", municipality="21009")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:my_cases"))
    assert response.content.decode().count("REL-") >= 6
    assert len(many) == len(few) <= 17


def test_the_case_list_shows_her_agencys_cases_before_those_seen_through_a_share(cast):
    from relais.access.services import break_glass_open
    from relais.cases.services import case_open

    other = case_open(actor=actor(cast.officer_b), situation="couple", municipality="21009")
    break_glass_open(actor=actor(cast.officer_a), case_reference=other.reference,
                     justification="Fictitious: 112 call from the victim, he is at her door.")
    page = verified_client(cast.officer_a).get(reverse("cases:my_cases")).content.decode()
    assert page.index(cast.case.reference) < page.index(other.reference)


def test_bad_input_is_explained_in_french_and_kept(cast):
    client = verified_client(cast.officer_a, language="fr")
    url = reverse("cases:person_add", args=[cast.case.pk])
    response = client.post(url, {"role": "witness", "first_name": "Témoin", "last_name": "Test",
                                 "sex": "U", "national_number": "12345678901"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "numéro de registre national" in page
    assert 'value="Témoin"' in page
    assert not Person.objects.filter(first_name="Témoin").exists()


def test_double_submission_creates_one_case(cast):
    client = verified_client(cast.officer_a)
    before = Case.objects.count()
    data = {"situation": "couple", "municipality": "21009", "submission_token": "a" * 32}
    first = client.post(reverse("cases:case_open"), data)
    second = client.post(reverse("cases:case_open"), data)
    assert Case.objects.count() == before + 1
    assert first.url == second.url


def test_search_is_a_post_and_finds_the_case(cast):
    client = verified_client(cast.officer_a)
    response = client.post(reverse("cases:search"), {"q": "Exemple"})
    assert cast.case.reference in response.content.decode()
    htmx = client.post(reverse("cases:search"), {"q": "Exemple"}, headers={"HX-Request": "true"})
    assert "<html" not in htmx.content.decode() and cast.case.reference in htmx.content.decode()
    assert verified_client(cast.officer_b).post(
        reverse("cases:search"), {"q": "Exemple"}).content.decode().count(cast.case.reference) == 0


def test_adding_a_confidential_address_from_the_screen(cast):
    client = verified_client(cast.officer_a)
    url = reverse("cases:address_add", args=[cast.victim_id])
    wrong = client.post(url, {"street": "Rue X 1", "postcode": "4000", "municipality": "21009"})
    assert "does not match" in wrong.content.decode()
    ok = client.post(url, {"street": "Rue X 1", "postcode": "1050", "municipality": "21009",
                           "confidential": "on"})
    assert ok.status_code == 302


def test_share_screens(cast):
    client = verified_client(cast.officer_a)
    response = client.post(reverse("access:referral_share", args=[cast.case.pk]), {
        "person": str(cast.victim_id), "recipient_agency": str(cast.shelter.pk),
        "scopes": ["contact"], "method": ConsentMethod.ORAL_IN_PERSON})
    assert response.status_code == 302
    share = Share.objects.get(recipient_agency=cast.shelter)
    page = client.get(reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    assert cast.shelter.name in page
    client.post(reverse("access:consent_withdraw", args=[share.consent_id]),
                {"_confirmed": "yes"})
    share.refresh_from_db()
    assert share.ended_at is not None
    forward = client.post(reverse("access:forward", args=[cast.case.pk]), {"_confirmed": "yes"})
    assert forward.status_code == 302
    assert Share.objects.filter(recipient_agency=cast.prosecutor).exists()


def test_share_holder_cannot_open_owner_screens(cast):
    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=cast.victim_id, recipient_agency_id=cast.shelter.pk,
                         scopes=["contact"], method="written")
    client = verified_client(cast.shelter_worker)
    assert client.get(reverse("cases:case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(reverse("access:referral_share", args=[cast.case.pk])).status_code == 404
    assert client.get(reverse("access:access_log", args=[cast.case.pk])).status_code == 404


def test_reference_officer_reviews_break_glass_and_reads_the_access_log(cast):
    share = break_glass_open(actor=actor(cast.officer_b), case_reference=cast.case.reference,
                             justification="She is in danger right now in our zone.")
    client = verified_client(cast.reference_a)
    assert cast.case.reference in client.get(reverse("access:reviews")).content.decode()
    log = client.get(reverse("access:access_log", args=[cast.case.pk])).content.decode()
    assert "officer_b" in log and "458bis" in log
    response = client.post(reverse("access:review", args=[share.pk]),
                           {"note": "Confirmed with dispatch."})
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.reviewed_by == cast.reference_a
    assert verified_client(cast.officer_a).get(
        reverse("access:access_log", args=[cast.case.pk])).status_code == 404


def test_break_glass_screen(cast):
    client = verified_client(cast.officer_b)
    short = client.post(reverse("access:break_glass"),
                        {"case_reference": cast.case.reference, "justification": "now"})
    assert short.status_code == 200
    response = client.post(reverse("access:break_glass"), {
        "case_reference": cast.case.reference,
        "justification": "Call from the victim: he is breaking the door."})
    assert response.url == reverse("cases:case_detail", args=[cast.case.pk])
    assert "458bis" in client.get(response.url).content.decode()


@pytest.mark.parametrize("language,word", [("fr", "Mes dossiers"), ("nl", "Mijn dossiers")])
def test_pages_speak_the_users_language(cast, language, word):
    client = verified_client(cast.officer_a, language=language)
    page = client.get(reverse("cases:my_cases")).content.decode()
    assert f'lang="{language}"' in page
    assert word in page


def test_interrupted_form_is_kept_as_a_draft_for_its_author(cast):
    from relais.core.models import FormDraft

    client = verified_client(cast.officer_a)
    url = reverse("cases:person_add", args=[cast.case.pk])
    response = client.post(url, {"role": "victim", "first_name": "Half", "last_name": "",
                                 "_save_draft": "1"})
    assert response.status_code == 302 and response.url == url
    assert not Person.objects.filter(first_name="Half").exists()
    assert AuditEvent.objects.order_by("-id").first().object_type == "core.formdraft"
    page = client.get(url).content.decode()
    assert 'value="Half"' in page
    # A colleague opening the same screen does not get her draft.
    colleague = verified_client(cast.reference_a).get(url).content.decode()
    assert 'value="Half"' not in colleague
    client.post(url, {"role": "victim", "first_name": "Half", "last_name": "Done", "sex": "U"})
    assert Person.objects.filter(first_name="Half", last_name="Done").exists()
    assert not FormDraft.objects.exists()


def test_safe_contact_form_shows_what_is_recorded(cast):
    client = verified_client(cast.officer_a)
    page = client.get(reverse("cases:safe_contact", args=[cast.victim_id])).content.decode()
    assert 'value="9-12"' in page
    assert 'value="leave_message"' in page and "checked" in page
    assert 'value="unknown" selected' in page


def test_phone_error_is_shown_on_its_field(cast):
    client = verified_client(cast.officer_a)
    response = client.post(reverse("cases:phone_add", args=[cast.victim_id]), {"number": "12"})
    assert 'aria-invalid="true"' in response.content.decode()


def test_menus_follow_the_role(cast):
    analyst = verified_client(cast.analyst_a).get(reverse("cases:my_cases")).content.decode()
    assert reverse("cases:search") not in analyst
    assert reverse("access:break_glass") not in analyst
    assert verified_client(cast.analyst_a).get(reverse("access:break_glass")).status_code == 404
    reference = verified_client(cast.reference_a).get(reverse("cases:my_cases")).content.decode()
    assert reverse("access:reviews") in reference
