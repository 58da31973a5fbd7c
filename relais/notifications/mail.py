"""E-mail leaves after the answer, through a queue with a timeout and bounded retries.

A change that warrants an e-mail queues it in its own transaction (``mail_queue``): the queued
row commits with the change, so a committed alarm always has its e-mail queued and a
rolled-back one never has. The mail worker (``manage.py mail_worker``, one instance at a time)
sends the queue over SMTP with the timeout ``EMAIL_TIMEOUT``. A failed attempt is tried again
after ``RETRY_DELAYS``; after ``MAX_ATTEMPTS`` the row stays FAILED with its last error, in the
admin (*Task results*) and in the log. Nothing is lost: a row leaves the queue only sent or
failed, and one left running by a worker that died is put back when the next one starts.

The queue is django-tasks on its database backend (django-tasks-db). The library has no
retries: ``MailWorker`` adds them around the library's own worker loop.

The row holds what the e-mail holds, no more: its subject, its text (already written in the
recipient's language, as before the queue) and the addresses it goes to.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger(__name__)

QUEUE = "mail"
# Tried again after 30 s, 2 min, 10 min and 1 h; then left FAILED (about 1 h 13 min in all).
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10),
                timedelta(hours=1))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task(queue_name=QUEUE)
def deliver(*, subject: str, message: str, recipients: list[str]) -> None:
    """Send one queued e-mail (run by the mail worker; an error makes the attempt fail)."""
    EmailMessage(subject=subject, body=message, to=recipients).send(fail_silently=False)


def mail_queue(*, subject: str, message: str, recipients: list[str]) -> None:
    """Queue one e-mail to ``recipients`` in the current transaction (sent after the answer)."""
    if recipients:
        deliver.enqueue(subject=subject, message=message, recipients=list(recipients))


def mails_queued() -> int:
    """How many e-mails wait to be sent (due or waiting for their next attempt)."""
    return DBTaskResult.objects.filter(queue_name=QUEUE, status=TaskResultStatus.READY).count()


def requeue_interrupted() -> int:
    """Put back in the queue the e-mails a worker that died left running (call it only while
    holding the mail worker's single instance). The attempt counts; the e-mail may go twice."""
    return (DBTaskResult.objects.filter(queue_name=QUEUE, status=TaskResultStatus.RUNNING)
            .update(status=TaskResultStatus.READY, run_after=timezone.now()))


class MailWorker(Worker):
    """django-tasks-db's worker on the mail queue, with bounded retries and a visible failure."""

    def __init__(self, *, interval: float = 1.0, batch: bool = False) -> None:
        super().__init__(queue_names=[QUEUE], interval=interval, batch=batch,
                         backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False,
                         max_tasks=None, worker_id=get_random_string(32),
                         excluded_queue_names=[])

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            _retry_or_give_up(db_task_result)

    def run_one(self) -> bool:
        """Claim and send one due e-mail; False when none is due. The same claim as the
        library's loop, without its connection housekeeping (usable inside a transaction)."""
        with exclusive_transaction(DBTaskResult.objects.db):
            db_task_result = (DBTaskResult.objects.ready()
                              .filter(backend_name=self.backend_name, queue_name=QUEUE)
                              .get_locked())
            if db_task_result is None:
                return False
            db_task_result.claim(self.worker_id)
        self.run_task(db_task_result)
        return True


def _retry_or_give_up(result: DBTaskResult) -> None:
    """After a failed attempt: queue the next one later, or leave the row FAILED. Logged with
    the row's id and the error's class only (an SMTP error may name the addresses)."""
    attempts = len(result.worker_ids)
    if attempts < MAX_ATTEMPTS:
        delay = RETRY_DELAYS[attempts - 1]
        (DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED)
         .update(status=TaskResultStatus.READY, run_after=timezone.now() + delay,
                 finished_at=None))
        logger.warning("e-mail %s: attempt %d of %d failed (%s); next attempt in %d s",
                       result.pk, attempts, MAX_ATTEMPTS, result.exception_class_path,
                       delay.total_seconds())
    else:
        logger.error("e-mail %s: not sent after %d attempts (%s); left failed",
                     result.pk, attempts, result.exception_class_path)
