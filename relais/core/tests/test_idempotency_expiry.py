"""An Idempotency-Key is remembered IDEMPOTENCY_KEY_HOURS, then it is a new request."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from relais.conftest import api_client
from relais.core.models import SubmittedForm

PAYLOAD = {"situation": "couple", "municipality": "21009"}


def test_a_key_past_its_expiry_is_a_new_request(cast, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    api = api_client(cast.officer_a)
    url = reverse("api:case_list")
    first = api.post(url, PAYLOAD, format="json", headers={"Idempotency-Key": "k"})
    SubmittedForm.objects.update(created_at=timezone.now() - timedelta(hours=23))
    replay = api.post(url, PAYLOAD, format="json", headers={"Idempotency-Key": "k"})
    assert (first.status_code, replay.status_code) == (201, 200)
    SubmittedForm.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = api.post(url, PAYLOAD, format="json", headers={"Idempotency-Key": "k"})
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]


def test_the_purge_deletes_only_expired_keys(cast, capsys):
    api = api_client(cast.officer_a)
    for key in ("old", "new"):
        api.post(reverse("api:case_list"), PAYLOAD, format="json",
                 headers={"Idempotency-Key": key})
    SubmittedForm.objects.filter(token="old").update(
        created_at=timezone.now() - timedelta(days=2))
    call_command("submissions_purge")
    assert "1 expired" in capsys.readouterr().out
    assert list(SubmittedForm.objects.values_list("token", flat=True)) == ["new"]
