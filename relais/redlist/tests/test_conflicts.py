"""No lost update (issue 20 §1) on a red-list entry: two reference officers review the same
entry; the second, decided on the date before the first's review, is refused, sees both dates
and her choice kept; "Keep mine" then saves hers. A lift decided before a review is refused
the same way (the review shows as saved now)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import refused_without_audit, version_in
from relais.redlist import services
from relais.redlist.models import RedListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_officer(cast):
    return make_user("reference_two", cast.zone_a, Role.IPV_REFERENCE_OFFICER)


def test_two_officers_review_the_same_entry_the_second_sees_both_and_decides(
        cast, listed, second_officer):
    address, _phone = listed
    page_url = reverse("redlist:entry", args=[address.pk])
    url = reverse("redlist:entry_extend", args=[address.pk])
    first, second = verified_client(cast.reference_a), verified_client(second_officer)
    read = version_in(first.get(page_url).content.decode())
    assert version_in(second.get(page_url).content.decode()) == read
    theirs = services.latest_review_on()
    mine = theirs - timedelta(days=30)

    assert first.post(url, {"review_on": theirs.isoformat(), "version": read}).status_code == 302
    refused = second.post(url, {"review_on": mine.isoformat(), "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Keep mine and save" in page and "Take theirs (reload)" in page
    assert theirs.strftime("%d/%m/%Y") in page and mine.isoformat() in page
    assert FormDraft.objects.filter(user=second_officer, path=url).exists()
    address.refresh_from_db()
    assert address.review_on == theirs

    kept = second.post(url, {"review_on": mine.isoformat(), "version": version_in(page)})
    assert kept.status_code == 302
    address.refresh_from_db()
    assert address.review_on == mine
    assert not FormDraft.objects.filter(user=second_officer, path=url).exists()


def test_a_lift_decided_before_a_review_is_refused_and_shows_the_review(
        cast, listed, second_officer):
    address, _phone = listed
    page_url = reverse("redlist:entry", args=[address.pk])
    url = reverse("redlist:entry_lift", args=[address.pk])
    second = verified_client(second_officer)
    read = version_in(second.get(page_url).content.decode())
    reviewed = services.latest_review_on()
    services.entry_extend(actor=actor(cast.reference_a), entry_id=address.pk,
                          review_on=reviewed)

    refused = second.post(url, {"why": "moved", "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Review by" in page
    assert reviewed.strftime("%d/%m/%Y") in page
    assert RedListEntry.objects.get(pk=address.pk).lifted_at is None
    theirs = second.post(url, {"_discard_draft": "1"})
    assert theirs.status_code == 302 and theirs.url == page_url
    assert not FormDraft.objects.filter(user=second_officer, path=url).exists()

    assert second.post(url, {"why": "moved", "version": version_in(page)}).status_code == 302
    assert RedListEntry.objects.get(pk=address.pk).lifted_at is not None


def test_the_services_refuse_a_newer_version_and_write_nothing(cast, listed):
    address, _phone = listed
    officer = actor(cast.reference_a)
    read = services.entry_version(address)
    services.entry_extend(actor=officer, entry_id=address.pk,
                          review_on=services.latest_review_on(), version=read)
    conflict = refused_without_audit(lambda: services.entry_extend(
        actor=officer, entry_id=address.pk, review_on=address.review_on, version=read))
    assert conflict.current["review_on"] == services.latest_review_on()
    refused_without_audit(lambda: services.entry_lift(
        actor=officer, entry_id=address.pk, why="moved", version=read))
    assert RedListEntry.objects.get(pk=address.pk).lifted_at is None
