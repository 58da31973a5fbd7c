"""The measures API: bans and detentions, through the same selectors, policy and audit as the
measures screens."""

from __future__ import annotations

from datetime import timedelta

from django.db import reset_queries
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.measures.models import Detention
from relais.measures.tests.factories import detain, forwarded, order_ban


def test_the_measures_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:ban_list")).status_code == 401
    assert APIClient().get(reverse("api:detention_list")).status_code == 401


def test_bans_and_detentions_for_their_readers(cast):
    forwarded(cast)
    ban = order_ban(cast)
    detention = detain(cast)
    for user in (cast.officer_a, cast.legal_advisor):
        api = api_client(user)
        assert [b["id"] for b in api.get(reverse("api:ban_list")).json()["results"]] == [ban.pk]
        assert [d["id"] for d in api.get(reverse("api:detention_list")).json()["results"]] \
            == [detention.pk]
    api = api_client(cast.officer_a)
    detail = api.get(reverse("api:ban_detail", args=[ban.pk])).json()
    assert detail["status"] == ban.status and detail["conditions"]
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.channel) == (Action.READ, str(ban.pk), "api")
    detail = api.get(reverse("api:detention_detail", args=[detention.pk])).json()
    assert detail["place"] == detention.place


def test_others_get_404(cast):
    forwarded(cast)
    ban, detention = order_ban(cast), detain(cast)
    for user in (cast.shelter_worker, cast.counsellor):
        api = api_client(user)
        assert api.get(reverse("api:ban_list")).status_code == 404
        assert api.get(reverse("api:ban_detail", args=[ban.pk])).status_code == 404
        assert api.get(reverse("api:detention_detail", args=[detention.pk])).status_code == 404
    # Zone B's officer watches measures, but none of zone A's.
    assert api_client(cast.officer_b).get(reverse("api:ban_list")).json()["results"] == []


def test_the_lists_in_constant_queries(cast, django_assert_max_num_queries):
    forwarded(cast)
    api = api_client(cast.legal_advisor)
    order_ban(cast)
    detain(cast)
    for name in ("api:ban_list", "api:detention_list"):
        api.get(reverse(name))
        reset_queries()  # the capture counts from an empty log
        with django_assert_max_num_queries(30) as one:
            api.get(reverse(name))
        if name == "api:ban_list":
            order_ban(cast, confirm_overlap=True)
        else:  # released yesterday, then held again
            detention = Detention.objects.get(case=cast.case, released_at__isnull=True)
            Detention.objects.filter(pk=detention.pk).update(
                released_at=timezone.now() - timedelta(days=1))
            detain(cast)
        reset_queries()  # the capture counts from an empty log
        with django_assert_max_num_queries(one.final_queries - one.initial_queries):
            assert len(api.get(reverse(name) + "?current=false").json()["results"]) == 2
