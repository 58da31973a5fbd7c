"""Long work, run out of the request, with its progress shown while it runs.

An app registers a kind of work once (``register``, in its ``AppConfig.ready``): a function
``run(*, actor, job, progress)`` that does the work in short transactions, calls
``progress.set_total(n)`` and ``progress.advance(k)`` as it goes, and ``progress.check()``
between steps where stopping is safe (it raises ``Cancelled`` once its author asked to cancel).
A view starts it with ``job_start`` and sends its author to the job's page
(``core:job``): an htmx fragment polled every second shows the state and ``done`` of ``total``,
with a cancel button where the kind allows it, and a link to the result at the end.

The work runs in the job worker (``manage.py job_worker``), django-tasks on its database
backend, queue ``jobs``: the task row is written in the same transaction as the job, so a
started job always runs once. A job holds no personal data (relais.core.models.Job); its
start, its cancellation and its end are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.models import Job, JobState

logger = logging.getLogger(__name__)

QUEUE = "jobs"


class Cancelled(Exception):  # noqa: N818 - what happened, not an error
    """Raised by ``Progress.check`` when the job's author asked to cancel."""


@dataclass(frozen=True)
class JobKind:
    code: str
    run: Callable[..., dict[str, Any]]
    label: str  # lazy: shown in the reader's language
    summary: Callable[[dict[str, Any]], str] | None = None
    cancellable: bool = True


KINDS: dict[str, JobKind] = {}
# Whose jobs an actor may see: the rule lives in relais.access.jobs, which registers it here at
# start (core imports no app above it).
_SCOPE: list[Callable[[Actor], QuerySet[Job]]] = []


def register_scope(scope: Callable[[Actor], QuerySet[Job]]) -> None:
    _SCOPE[:] = [scope]


def job_scope(actor: Actor) -> QuerySet[Job]:
    return _SCOPE[0](actor) if _SCOPE else Job.objects.none()


def register(code: str, run: Callable[..., dict[str, Any]], *, label: str,
             summary: Callable[[dict[str, Any]], str] | None = None,
             cancellable: bool = True) -> None:
    """``run(*, actor, job, progress) -> result``: a dict of counts (and ``url``, where to go
    next), which ``summary(result)`` turns into a sentence in the reader's language."""
    KINDS[code] = JobKind(code=code, run=run, label=label, summary=summary,
                          cancellable=cancellable)


def kind_of(job: Job) -> JobKind | None:
    return KINDS.get(job.kind)


class Progress:
    """What the work reports while it runs: each call is its own short write, visible at once
    to the page polling it (never inside the work's own transaction)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def set_total(self, total: int) -> None:
        self.job.total = max(total, 0)
        Job.objects.filter(pk=self.job.pk).update(total=self.job.total)

    def advance(self, count: int = 1) -> None:
        self.job.done = min(self.job.done + count, self.job.total or self.job.done + count)
        Job.objects.filter(pk=self.job.pk).update(done=self.job.done)

    def check(self) -> None:
        """Stop here if the author asked to cancel (call it only where stopping is safe)."""
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise Cancelled


# --- Services ---------------------------------------------------------------------------------

@transaction.atomic
def job_start(*, actor: Actor, kind: str, params: dict[str, Any] | None = None,
              payload: bytes = b"") -> Job:
    """Queue a job of ``kind`` for the actor; the worker runs it after the commit."""
    if kind not in KINDS or actor.agency_id is None:
        raise Http404
    job = Job.objects.create(kind=kind, agency_id=actor.agency_id, created_by=actor.user,
                             params=params or {}, payload=payload)
    run_job.enqueue(job_id=job.pk)
    audit_record(actor=actor, action=Action.CREATE, target=job, basis=f"job started: {kind}")
    return job


def job_get(*, actor: Actor, job_id: int) -> Job:
    """The actor's own job (404 for anyone else's)."""
    job = job_scope(actor).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@transaction.atomic
def job_cancel(*, actor: Actor, job_id: int) -> Job:
    """Ask the work to stop at its next safe point; a job not started yet never starts."""
    job = job_scope(actor).select_for_update().filter(pk=job_id).first()
    kind = kind_of(job) if job else None
    if job is None or kind is None or not kind.cancellable:
        raise Http404
    if job.finished or job.cancel_requested:
        return job
    job.cancel_requested = True
    fields = ["cancel_requested"]
    if job.state == JobState.QUEUED:
        job.state, job.finished_at, job.payload = JobState.CANCELLED, timezone.now(), b""
        fields += ["state", "finished_at", "payload"]
    job.save(update_fields=fields)
    audit_record(actor=actor, action=Action.UPDATE, target=job,
                 basis=f"job cancel asked: {job.kind}")
    return job


def _finish(job: Job, actor: Actor, *, state: str, result: dict | None = None,
            error: str = "") -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(state=state, result=result or {}, error=error,
                                             payload=b"", finished_at=timezone.now())
        audit_record(actor=actor, action=Action.UPDATE, target=job,
                     basis=f"job {state}: {job.kind}")


@task(queue_name=QUEUE)
def run_job(*, job_id: int) -> None:
    """Run one job (the job worker calls it). Its state says how it ended; an error is logged
    with the job's id and the error's class only (a message may carry personal data)."""
    started = Job.objects.filter(pk=job_id, state=JobState.QUEUED,
                                 cancel_requested=False).update(state=JobState.RUNNING,
                                                                started_at=timezone.now())
    if not started:
        return  # cancelled before it started, or already run
    job = Job.objects.select_related("created_by", "agency").get(pk=job_id)
    actor = Actor(user=job.created_by, agency=job.agency, roles=job.created_by.role_codes,
                  channel="job")
    kind = kind_of(job)
    try:
        author = job.created_by
        if kind is None or not author.is_active or author.agency_id != job.agency_id:
            raise Http404  # she left the agency, or the kind is gone: nothing is done
        result = kind.run(actor=actor, job=job, progress=Progress(job))
    except Cancelled:
        _finish(job, actor, state=JobState.CANCELLED)
    except Http404:
        _finish(job, actor, state=JobState.FAILED, error="not_allowed")
    except Exception as error:
        logger.error("job %s (%s) failed: %s", job.pk, job.kind, type(error).__name__)
        _finish(job, actor, state=JobState.FAILED, error=getattr(error, "code", "") or "error")
    else:
        _finish(job, actor, state=JobState.DONE, result=result)


# --- The worker -------------------------------------------------------------------------------

class JobWorker(Worker):
    """django-tasks-db's worker on the ``jobs`` queue."""

    def __init__(self, *, interval: float = 1.0, batch: bool = False) -> None:
        super().__init__(queue_names=[QUEUE], interval=interval, batch=batch,
                         backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False,
                         max_tasks=None, worker_id=get_random_string(32),
                         excluded_queue_names=[])

    def run_one(self) -> bool:
        """Claim and run one queued job; False when none waits."""
        with exclusive_transaction(DBTaskResult.objects.db):
            result = (DBTaskResult.objects.ready()
                      .filter(backend_name=self.backend_name, queue_name=QUEUE).get_locked())
            if result is None:
                return False
            result.claim(self.worker_id)
        self.run_task(result)
        return True


def mark_interrupted() -> int:
    """Jobs a worker that died left running end as failed ("interrupted": what each committed
    step did is kept); their task rows are not run again. Call it only while holding the job
    worker's single instance."""
    from django_tasks import TaskResultStatus

    DBTaskResult.objects.filter(queue_name=QUEUE, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now())
    return Job.objects.filter(state=JobState.RUNNING).update(
        state=JobState.FAILED, error="interrupted", payload=b"", finished_at=timezone.now())


def run_queued_jobs() -> int:
    """Run every queued job now, as the worker would (tests, a one-off drain)."""
    worker = JobWorker(batch=True)
    count = 0
    while worker.run_one():
        count += 1
    return count
