"""A linkage batch (issue 19 §9): look again for the same persons of the agency's open cases, as
a job with its progress; who may start it, what it finds, its audit, its stop."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from relais.audit.models import AuditEvent
from relais.cases.models import Case, CaseStatus
from relais.conftest import actor, verified_client
from relais.core.jobs import job_cancel, run_queued_jobs
from relais.core.models import Job, JobState
from relais.linkage import rescan
from relais.linkage.models import LinkStatus, PersonLink
from relais.linkage.tests.factories import couple_case, person_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def forgotten(cast) -> tuple[int, int]:
    """The same couple in zone B, its link lost (as after a change of the model): the pair."""
    other = couple_case(cast, cast.officer_b)
    PersonLink.objects.all().delete()
    return tuple(sorted((cast.victim_id, person_of(other))))


def test_the_batch_finds_again_the_links_of_the_agencys_open_cases(cast, forgotten):
    job = rescan.rescan_start(actor=actor(cast.officer_a))
    assert not PersonLink.objects.exists()  # nothing runs inside the request
    run_queued_jobs()
    job.refresh_from_db()
    persons = set(Case.objects.get(pk=cast.case.pk).participants.values_list("person_id",
                                                                          flat=True))
    assert job.state == JobState.DONE and job.done == job.total == len(persons)
    left, right = forgotten
    link = PersonLink.objects.get(left_id=left, right_id=right)
    assert link.status in (LinkStatus.PROPOSED, LinkStatus.REVIEW)
    assert job.result["to_decide"] >= 1 and job.result["url"] == reverse("linkage:queue")
    searches = AuditEvent.objects.filter(basis__startswith="linkage: links found again (batch)")
    assert searches.count() == len(persons)  # one audited search per person looked at
    with translation.override("en"):
        assert "persons looked at again" in rescan.rescan_summary(job.result)


def test_a_decided_link_keeps_its_decision(cast, forgotten):
    left, right = forgotten
    PersonLink.objects.create(left_id=left, right_id=right, status=LinkStatus.REJECTED,
                              probability=0.99, weight=10, evidence={}, version="v1")
    rescan.rescan_start(actor=actor(cast.officer_a))
    run_queued_jobs()
    assert PersonLink.objects.get(left_id=left, right_id=right).status == LinkStatus.REJECTED


def test_only_open_cases_of_ones_own_agency_are_looked_at(cast, forgotten):
    Case.objects.filter(pk=cast.case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as error:
        rescan.rescan_start(actor=actor(cast.officer_a))
    assert "no open case" in str(error.value)
    assert not Job.objects.exists()


def test_who_may_not_decide_links_cannot_start_it(cast):
    for someone in (cast.analyst_a,):
        with pytest.raises(Http404):
            rescan.rescan_start(actor=actor(someone))
    assert not Job.objects.exists()


def test_stopped_it_keeps_what_it_found(cast, forgotten, monkeypatch):
    monkeypatch.setattr(rescan, "STEP", 1)
    job = rescan.rescan_start(actor=actor(cast.officer_a))
    real = rescan.links_find
    calls = []

    def find_then_stop(**kwargs):
        calls.append(kwargs["person_id"])
        if len(calls) == 1:
            job_cancel(actor=actor(cast.officer_a), job_id=job.pk)
        return real(**kwargs)

    monkeypatch.setattr(rescan, "links_find", find_then_stop)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and len(calls) == 1 and job.done == 1


# --- The screen -------------------------------------------------------------------------------

def test_the_button_requires_sign_in_and_post(cast):
    response = Client().post(reverse("linkage:rescan"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert verified_client(cast.officer_a).get(reverse("linkage:rescan")).status_code == 405


def test_the_queue_starts_it_and_its_page_follows_it(cast, forgotten):
    client = verified_client(cast.officer_a)
    assert reverse("linkage:rescan") in client.get(reverse("linkage:queue")).content.decode()
    response = client.post(reverse("linkage:rescan"))
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    run_queued_jobs()
    with translation.override("en"):
        page = client.get(response["Location"]).content.decode()
    assert "looked at again" in page and reverse("linkage:queue") in page


@pytest.mark.parametrize("who", ["shelter_worker", "support_worker", "counsellor"])
def test_other_agencies_get_the_same_404(cast, who):
    response = verified_client(getattr(cast, who)).post(reverse("linkage:rescan"))
    assert response.status_code in (404, 302)
    if response.status_code == 302:  # may decide links in its own cases: it has none open
        assert response["Location"] == reverse("linkage:queue")
    assert not Job.objects.exists()
