"""The REST API: same policy, same audit, clear errors, idempotent creation."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.cases.models import Case
from relais.conftest import api_client, verified_client


def test_api_requires_authentication(cast):
    client = APIClient()
    for url in (reverse("api:case_list"), reverse("api:case_detail", args=[cast.case.pk]),
                reverse("api:person_detail", args=[cast.victim_id])):
        assert client.get(url).status_code in (401, 403)


def test_verified_browser_session_works_for_the_api(cast):
    response = verified_client(cast.officer_a).get(reverse("api:case_list"))
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [cast.case.reference]


def test_case_list_and_detail(cast):
    api = api_client(cast.officer_a)
    assert [c["id"] for c in api.get(reverse("api:case_list")).json()["results"]] \
        == [cast.case.pk]
    detail = api.get(reverse("api:case_detail", args=[cast.case.pk])).json()
    assert detail["basis"] == "owning agency"
    assert {p["roles"][0] for p in detail["persons"]} == {"victim", "alleged_perpetrator", "child"}
    assert detail["timeline"][0]["kind"] == "case_opened"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.channel, event.case_id) == (Action.READ, "api", cast.case.pk)


def test_other_agency_gets_404_from_the_api(cast):
    api = api_client(cast.officer_b)
    assert api.get(reverse("api:case_list")).json()["results"] == []
    assert api.get(reverse("api:case_detail", args=[cast.case.pk])).status_code == 404
    assert api.get(reverse("api:case_detail", args=[999999])).status_code == 404
    assert api.post(reverse("api:case_persons", args=[cast.case.pk]),
                    {"role": "witness", "first_name": "A", "last_name": "B"},
                    format="json").status_code == 404


def test_create_case_is_idempotent_with_a_key(cast):
    api = api_client(cast.officer_a)
    before = Case.objects.count()
    payload = {"situation": "couple", "municipality": "21009"}
    first = api.post(reverse("api:case_list"), payload, format="json",
                     headers={"Idempotency-Key": "key-123"})
    again = api.post(reverse("api:case_list"), payload, format="json",
                     headers={"Idempotency-Key": "key-123"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == before + 1


def test_another_user_may_send_the_same_idempotency_key(cast):
    payload = {"situation": "couple", "municipality": "21009"}
    mine = api_client(cast.officer_a).post(reverse("api:case_list"), payload, format="json",
                                           headers={"Idempotency-Key": "shared-key"})
    theirs = api_client(cast.officer_b).post(reverse("api:case_list"), payload, format="json",
                                             headers={"Idempotency-Key": "shared-key"})
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["owner_agency"] == cast.zone_b.name


def test_a_key_reused_on_another_endpoint_is_another_request(cast):
    api = api_client(cast.officer_a)
    case = api.post(reverse("api:case_list"), {"situation": "couple", "municipality": "21009"},
                    format="json", headers={"Idempotency-Key": "reused"})
    person = api.post(reverse("api:case_persons", args=[cast.case.pk]),
                      {"role": "witness", "first_name": "Wanda", "last_name": "Témoin"},
                      format="json", headers={"Idempotency-Key": "reused"})
    assert (case.status_code, person.status_code) == (201, 201)
    assert person.json()["first_name"] == "Wanda"
    assert person.json()["id"] not in (cast.victim_id, cast.perpetrator_id, cast.child_id)


def test_a_key_reused_with_another_body_is_refused_with_422(cast):
    api = api_client(cast.officer_a)
    url = reverse("api:case_persons", args=[cast.case.pk])
    first = api.post(url, {"role": "witness", "first_name": "Wanda", "last_name": "Témoin"},
                     format="json", headers={"Idempotency-Key": "k-1"})
    again = api.post(url, {"last_name": "Témoin", "role": "witness", "first_name": "Wanda"},
                     format="json", headers={"Idempotency-Key": "k-1"})
    other = api.post(url, {"role": "witness", "first_name": "Xavier", "last_name": "Autre"},
                     format="json", headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 422)
    assert again.json()["id"] == first.json()["id"]
    assert "Idempotency-Key" in other.json()["detail"]
    assert not any(p["first_name"] == "Xavier" for p in api.get(
        reverse("api:case_detail", args=[cast.case.pk])).json()["persons"])


def test_bad_input_is_a_400_in_the_users_language(cast):
    api = api_client(cast.officer_a)
    response = api.post(reverse("api:case_list"), {"situation": "couple", "municipality": "99999"},
                        format="json", headers={"Accept-Language": "nl"})
    assert response.status_code == 400
    assert "municipality" in response.json()
    response = api.post(reverse("api:case_persons", args=[cast.case.pk]),
                        {"role": "witness", "first_name": "A", "last_name": "B",
                         "national_number": "123"}, format="json")
    assert response.status_code == 400 and "national_number" in response.json()
    missing = api.post(reverse("api:case_persons", args=[cast.case.pk]), {}, format="json")
    assert missing.status_code == 400 and "first_name" in missing.json()


def test_add_person_through_the_api(cast):
    api = api_client(cast.officer_a)
    response = api.post(reverse("api:case_persons", args=[cast.case.pk]),
                        {"role": "witness", "first_name": "Wim", "last_name": "Getuige",
                         "languages": ["nl"]}, format="json")
    assert response.status_code == 201
    assert response.json()["roles"] == ["witness"]


def test_schema_and_docs(cast):
    client = verified_client(cast.officer_a)
    schema = client.get(reverse("api:schema"), headers={"Accept": "application/json"})
    assert schema.status_code == 200
    assert "/api/cases/{case_id}/" in schema.content.decode()
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_case_list_pages_with_a_cursor_in_constant_queries(cast,
                                                               django_assert_max_num_queries):
    from django.db import reset_queries

    from relais.cases.services import case_open
    from relais.conftest import actor

    api = api_client(cast.officer_a)
    url = reverse("api:case_list")
    api.get(url)
    reset_queries()
    with django_assert_max_num_queries(20) as one:
        assert len(api.get(url).json()["results"]) == 1
    for _n in range(3):
        case_open(actor=actor(cast.officer_a), situation="couple", municipality="21009")
    reset_queries()
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=3&ordering=opened_at").json()
    assert [c["id"] for c in page["results"]][0] == cast.case.pk and page["next"]
    assert len(api.get(page["next"]).json()["results"]) == 1
    assert api.get(url + "?status=nope").status_code == 400
