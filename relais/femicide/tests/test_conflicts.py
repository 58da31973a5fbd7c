"""No lost update (issue 20 §1) in the femicide register: two named reviewers write the same
review, and the office names the reviewers from two screens; the second save over a newer
version is refused, shows both and keeps her typing; "Keep mine" then saves hers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from relais.conftest import actor, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import (
    refused_without_audit,
    second_save_refused,
    version_in,
)
from relais.femicide import services
from relais.femicide.models import Record, Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def made(cast) -> Record:
    return services.record_create(
        actor=actor(cast.magistrate), occurred_on=timezone.localdate(), outcome="attempt",
        victim_sex="F", relation="ex_partner", method="strangulation", children_present=True,
        case_reference="")


def test_two_reviewers_write_the_review_the_second_sees_both_and_decides(cast, made):
    services.reviewers_set(actor=actor(cast.magistrate), record_id=made.pk,
                           user_ids=[cast.reference_a.pk, cast.support_worker.pk])
    url = reverse("femicide:record", args=[made.pk])
    base = {"known": "", "missed": "", "changes": ""}
    second = verified_client(cast.support_worker)
    newer = second_save_refused(
        url=url, first=verified_client(cast.reference_a), second=second, base=base,
        theirs={"known": "Two information reports (theirs)."},
        mine={"known": "She called the helpline once (mine)."},
        shown=["Two information reports (theirs).", "She called the helpline once (mine)."])
    review = Review.objects.get(record=made)
    assert review.known == "Two information reports (theirs)."

    kept = second.post(url, {**base, "known": "Both (mine, with theirs).", "version": newer})
    assert kept.status_code == 302
    review.refresh_from_db()
    assert review.known == "Both (mine, with theirs)."


def test_the_office_names_reviewers_from_two_screens(cast, made):
    page_url = reverse("femicide:record", args=[made.pk])
    url = reverse("femicide:reviewers", args=[made.pk])
    first, second = verified_client(cast.magistrate), verified_client(cast.legal_advisor)
    read = version_in(first.get(page_url).content.decode().split('id="review-h"', 1)[1])
    second.get(page_url)

    assert first.post(url, {"reviewers": [cast.reference_a.pk],
                            "version": read}).status_code == 302
    refused = second.post(url, {"reviewers": [cast.support_worker.pk], "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Keep mine and save" in page and "Named reviewers" in page
    assert FormDraft.objects.filter(user=cast.legal_advisor, path=url).exists()
    review = Review.objects.get(record=made)
    assert list(review.reviewers.all()) == [cast.reference_a]

    newer = version_in(page.split('action="' + url, 1)[1])
    kept = second.post(url, {"reviewers": [cast.reference_a.pk, cast.support_worker.pk],
                             "version": newer})
    assert kept.status_code == 302
    assert set(review.reviewers.all()) == {cast.reference_a, cast.support_worker}


def test_the_services_refuse_a_newer_version_and_write_nothing(cast, made):
    magistrate = actor(cast.magistrate)
    read = services.reviewers_version(None)
    services.reviewers_set(actor=magistrate, record_id=made.pk, user_ids=[cast.reference_a.pk],
                           version=read)
    refused_without_audit(lambda: services.reviewers_set(
        actor=magistrate, record_id=made.pk, user_ids=[], version=read))
    review = Review.objects.get(record=made)
    read = services.review_version(review)
    services.review_save(actor=magistrate, record_id=made.pk, known="Seen twice.", missed="",
                         changes="", version=read)
    conflict = refused_without_audit(lambda: services.review_save(
        actor=magistrate, record_id=made.pk, known="Other", missed="", changes="",
        version=read))
    assert conflict.current["known"] == "Seen twice."
