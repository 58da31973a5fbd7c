"""Field history of residence bans and detentions (issue 20 §2; docs/history.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.measures import selectors, services
from relais.measures.models import Detention, ResidenceBan
from relais.measures.tests.factories import detain, forwarded, order_ban

pytestmark = pytest.mark.django_db


def _fields(page) -> list[tuple[str, str, str]]:
    return [(field.name, field.before, field.after)
            for change in page.changes for field in change.fields]


def test_each_service_of_a_ban_records_its_author_and_before_after(cast):
    forwarded(cast)
    ban = order_ban(cast)
    services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    services.ban_set_stay(actor=actor(cast.officer_a), ban_id=ban.pk,
                          perpetrator_stays_at="Chez sa mère, Rue Fictive 4")
    services.ban_lift(actor=actor(cast.legal_advisor), ban_id=ban.pk, reason="Fictitious: moved")
    authors = [row.history_user for row in ResidenceBan.history.filter(id=ban.pk)
               .order_by("history_date", "history_id")]
    assert authors[0] == cast.legal_advisor  # ordered (and its monitor set) by the office
    assert cast.officer_a in authors and authors[-1] == cast.legal_advisor
    page = selectors.ban_history(actor=actor(cast.magistrate), ban_id=ban.pk)
    fields = _fields(page)
    assert ("perpetrator_stays_at", "", "Chez sa mère, Rue Fictive 4") in fields
    assert ("lift_reason", "", "Fictitious: moved") in fields
    served = next(c for c in page.changes if any(f.name == "served_at" for f in c.fields))
    assert served.author == "Officer Test" and served.agency == "Zone A (test)"


def test_a_detention_and_its_release_record_their_authors(cast):
    forwarded(cast)
    detention = detain(cast)
    services.release_record(actor=actor(cast.officer_a), detention_id=detention.pk,
                            released_at=timezone.now(), conditions=["no_contact", "programme"])
    rows = list(Detention.history.filter(id=detention.pk).order_by("history_date", "history_id"))
    assert rows[0].history_user == cast.magistrate
    assert rows[-1].history_user == cast.officer_a and rows[-1].released_at is not None
    page = selectors.detention_history(actor=actor(cast.magistrate), detention_id=detention.pk)
    assert ("conditions", "No contact with the victim",
            "No contact with the victim, Follow a perpetrator programme") in _fields(page)


def test_the_history_screens_require_sign_in_and_are_404_to_others(cast):
    forwarded(cast)
    urls = [reverse("measures:ban_history", args=[order_ban(cast).pk]),
            reverse("measures:detention_history", args=[detain(cast).pk])]
    for url in urls:
        assert verified_client(cast.magistrate).get(url).status_code == 200, url
        assert verified_client(cast.officer_a).get(url).status_code == 200, url
        # Another zone, and a perpetrator programme.
        assert verified_client(cast.officer_b).get(url).status_code == 404, url
        assert verified_client(cast.counsellor).get(url).status_code == 404, url
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith(
            reverse("accounts:login"))


def test_reading_a_measures_history_is_audited_as_a_read(cast):
    forwarded(cast)
    ban = order_ban(cast)
    verified_client(cast.legal_advisor).get(reverse("measures:ban_history", args=[ban.pk]))
    event = AuditEvent.objects.order_by("-pk").first()
    assert (event.action, event.object_type, event.object_id, event.case_id) == (
        "read", "measures.residenceban", str(ban.pk), cast.case.pk)
    assert "field history" in event.basis and event.scopes == "judicial"


def test_the_history_list_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    forwarded(cast)
    ban = order_ban(cast)
    client = verified_client(cast.legal_advisor)
    url = reverse("measures:ban_history", args=[ban.pk])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        services.ban_set_stay(actor=actor(cast.officer_a), ban_id=ban.pk,
                              perpetrator_stays_at=f"Adresse fictive {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Adresse fictive 4" in response.content.decode()


def test_the_history_goes_with_the_measure(cast):
    forwarded(cast)
    ban = order_ban(cast)
    assert ResidenceBan.history.filter(id=ban.pk).exists()
    ResidenceBan.objects.filter(pk=ban.pk).delete()
    assert not ResidenceBan.history.filter(id=ban.pk).exists()
