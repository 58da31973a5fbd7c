"""The programme-files API: the list and one file, through the same selectors, policy and
audit as the programme's screens."""

from __future__ import annotations

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.programmes.tests.factories import judicial_file, walk_in


def test_the_programme_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:programme_file_list")).status_code == 401


def test_counsellors_read_their_files(cast, directory):
    file = judicial_file(cast, directory)
    api = api_client(cast.counsellor)
    rows = api.get(reverse("api:programme_file_list")).json()["results"]
    assert [r["id"] for r in rows] == [file.pk]
    assert api.get(reverse("api:programme_file_list") + "?status=completed"
                   ).json()["results"] == []
    detail = api.get(reverse("api:programme_file_detail", args=[file.pk]))
    assert detail.status_code == 200 and detail.json()["status"] == file.status
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.channel) == (Action.READ, str(file.pk), "api")


def test_others_get_404(cast, directory):
    file = judicial_file(cast, directory)
    for user in (cast.officer_a, cast.justice_assistant, cast.legal_advisor):
        api = api_client(user)
        assert api.get(reverse("api:programme_file_list")).status_code == 404
        assert api.get(reverse("api:programme_file_detail", args=[file.pk])).status_code == 404


def test_the_list_in_constant_queries(cast, directory, django_assert_max_num_queries):
    api = api_client(cast.counsellor)
    url = reverse("api:programme_file_list")
    walk_in(cast)
    api.get(url)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        api.get(url)
    walk_in(cast, first_name="Xavier", last_name="Autre")
    walk_in(cast, first_name="Yves", last_name="Autre")
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=2&ordering=-requested_on").json()
    assert len(page["results"]) == 2 and page["next"]
