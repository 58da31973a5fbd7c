"""Long work with its progress (issue 19 §9): a job's states, cancel, audit, and its page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import translation

from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user, verified_client
from relais.core import jobs
from relais.core.jobs import job_cancel, job_get, job_start, mark_interrupted, run_queued_jobs
from relais.core.models import Job, JobState
from relais.directory.models import Service
from relais.directory.tests.test_transfer import GOOD, HEADER, as_csv
from relais.followup import crisis
from relais.followup.models import CrisisBatch, Task, TaskKind, TaskStatus
from relais.followup.tests.factories import another_case, record_report

TEST_KIND = "test.three_steps"


def three_steps(*, actor, job, progress) -> dict:
    """Three steps; the second asks to cancel on the author's behalf (her click, mid-run)."""
    progress.set_total(3)
    for step in range(3):
        progress.check()
        if step == 1 and job.params.get("cancel_at_second"):
            job_cancel(actor=actor, job_id=job.pk)
        if job.params.get("fail"):
            raise ValueError("Alice Exemple")  # a message that must not reach the log
        progress.advance()
    return {"steps": 3}


@pytest.fixture(autouse=True)
def _test_kind():
    jobs.register(TEST_KIND, three_steps, label="Three steps")
    yield
    jobs.KINDS.pop(TEST_KIND, None)


def events(job: Job) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="core.job", object_id=str(job.pk))
                .order_by("pk").values_list("basis", flat=True))


def start(cast, **params) -> Job:
    return job_start(actor=actor(cast.reference_a), kind=TEST_KIND, params=params)


# --- States -----------------------------------------------------------------------------------

def test_a_job_is_queued_then_runs_to_done_counting_its_steps(cast):
    job = start(cast)
    assert (job.state, job.done, job.total) == (JobState.QUEUED, 0, 0)
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result) == (JobState.DONE, 3, 3, {"steps": 3})
    assert job.started_at and job.finished_at and job.percent == 100
    assert events(job) == [f"job started: {TEST_KIND}", f"job done: {TEST_KIND}"]
    assert run_queued_jobs() == 0  # run once


def test_cancel_before_it_starts_means_it_never_runs(cast):
    job = start(cast)
    job_cancel(actor=actor(cast.reference_a), job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.cancel_requested
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.started_at is None and job.done == 0
    assert events(job) == [f"job started: {TEST_KIND}", f"job cancel asked: {TEST_KIND}"]


def test_cancel_while_it_runs_stops_at_the_next_safe_point(cast):
    job = start(cast, cancel_at_second=True)
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.CANCELLED, 2, 3)
    assert events(job)[-2:] == [f"job cancel asked: {TEST_KIND}", f"job cancelled: {TEST_KIND}"]
    # A finished job stays as it ended.
    assert job_cancel(actor=actor(cast.reference_a), job_id=job.pk).state == JobState.CANCELLED


def test_an_error_fails_the_job_with_a_code_and_no_personal_data_in_the_log(cast, caplog):
    job = start(cast, fail=True)
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.error, job.done) == (JobState.FAILED, "error", 0)
    assert "ValueError" in caplog.text and "Alice" not in caplog.text
    assert events(job)[-1] == f"job failed: {TEST_KIND}"


def test_a_job_whose_author_left_the_agency_does_nothing(cast):
    job = start(cast)
    cast.reference_a.is_active = False
    cast.reference_a.save()
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.error, job.done) == (JobState.FAILED, "not_allowed", 0)


def test_a_job_left_running_by_a_dead_worker_is_marked_interrupted(cast):
    job = start(cast)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    assert mark_interrupted() == 1
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "interrupted")


def test_a_job_is_its_authors_alone(cast):
    job = start(cast)
    assert job_get(actor=actor(cast.reference_a), job_id=job.pk) == job
    for someone in (cast.officer_a, cast.officer_b, cast.admin_a):
        with pytest.raises(Http404):
            job_get(actor=actor(someone), job_id=job.pk)
        with pytest.raises(Http404):
            job_cancel(actor=actor(someone), job_id=job.pk)
    with pytest.raises(Http404):
        job_start(actor=actor(cast.reference_a), kind="no.such.kind")


# --- The crisis re-contact and the directory import, as jobs ---------------------------------

def _victims_to_recontact(cast) -> None:
    """Two victims to re-contact: the cast's, and one on another case of zone A."""
    record_report(cast, day2_contact_agreed=False)
    case, victim = another_case(cast)
    record_report(cast, case=case, victim_id=victim, day2_contact_agreed=False)
    Task.objects.filter(kind=TaskKind.REVISIT).update(status=TaskStatus.CANCELLED,
                                                      cancel_reason="test")


def test_the_crisis_re_contact_runs_as_a_job_step_by_step(cast, monkeypatch):
    _victims_to_recontact(cast)
    monkeypatch.setattr(crisis, "STEP", 1)
    coordinator = actor(cast.reference_a)
    job = crisis.crisis_start(actor=coordinator, months=6)
    assert not Task.objects.filter(kind=TaskKind.CRISIS_RECONTACT).exists()  # not yet
    with pytest.raises(Http404):
        crisis.crisis_start(actor=actor(cast.officer_a), months=6)  # only the coordinator
    run_queued_jobs()
    job.refresh_from_db()
    batch = CrisisBatch.objects.get()
    assert job.state == JobState.DONE and job.done == job.total == batch.task_count >= 1
    assert job.result["created"] == batch.task_count
    assert AuditEvent.objects.filter(object_type="followup.crisisbatch",
                                     basis__startswith="crisis re-contact (").exists()
    assert AuditEvent.objects.filter(basis="crisis re-contact", action="create").count() == \
        batch.task_count
    with translation.override("en"):  # the summary is read in the reader's language
        assert "re-contact task" in crisis.crisis_job_summary(job.result)


def test_the_crisis_re_contact_cancelled_keeps_the_steps_done_undoable(cast, monkeypatch):
    _victims_to_recontact(cast)
    coordinator = actor(cast.reference_a)
    monkeypatch.setattr(crisis, "STEP", 1)
    first_step = crisis._create_tasks

    def step_then_click_cancel(*args, **kwargs):
        made = first_step(*args, **kwargs)
        Job.objects.update(cancel_requested=True)  # she clicks "Cancel" during the first step
        return made

    monkeypatch.setattr(crisis, "_create_tasks", step_then_click_cancel)
    job = crisis.crisis_start(actor=coordinator, months=6)
    run_queued_jobs()
    job.refresh_from_db()
    batch = CrisisBatch.objects.get()
    assert (job.state, job.done, job.total) == (JobState.CANCELLED, 1, 2)
    assert batch.task_count == 1 == Task.objects.filter(batch=batch).count()
    assert AuditEvent.objects.filter(object_type="followup.crisisbatch",
                                     basis__startswith="crisis re-contact (1 tasks").exists()
    assert crisis.crisis_undo(actor=coordinator, batch_id=batch.pk) == 1  # undone as a whole

    # Cancelled before the worker takes it: nothing is made.
    _victims_to_recontact(cast)
    second = crisis.crisis_start(actor=coordinator, months=6)
    job_cancel(actor=coordinator, job_id=second.pk)
    run_queued_jobs()
    assert CrisisBatch.objects.count() == 1


def test_the_directory_import_runs_as_a_job(cast):
    editor = make_user("editor", cast.platform, "directory_editor")
    client = verified_client(editor)
    upload = SimpleUploadedFile("directory.csv", as_csv(HEADER, GOOD), content_type="text/csv")
    response = client.post("/directory/import/", {"file": upload, "import": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get()
    assert not Service.objects.filter(code="imp-one").exists()
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 1, 1)
    assert job.payload == b""  # the file is not kept once read
    assert Service.objects.filter(code="imp-one").exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 created, 0 updated." in page and 'hx-trigger' not in page


# --- Views ------------------------------------------------------------------------------------

def test_the_job_page_requires_sign_in(cast):
    job = start(cast)
    response = Client().get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert Client().post(f"/jobs/{job.pk}/cancel/").status_code == 302


def test_another_agency_or_colleague_gets_404(cast):
    job = start(cast)
    for someone in (cast.officer_b, cast.officer_a):
        client = verified_client(someone)
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
        assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
    job.refresh_from_db()
    assert not job.cancel_requested and job.state == JobState.QUEUED


def test_the_page_polls_while_it_runs_and_cancels(cast, django_assert_max_num_queries):
    job = start(cast)
    client = verified_client(cast.reference_a)
    with django_assert_max_num_queries(13):  # a supervisor's menu counts her approvals
        page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Cancel" in page
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="job"') and "<html" not in fragment
    answer = client.post(f"/jobs/{job.pk}/cancel/", headers={"HX-Request": "true"})
    text = answer.content.decode()
    assert answer.status_code == 200 and "Cancelled" in text and "hx-trigger" not in text
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
