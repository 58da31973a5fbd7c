"""E-mail leaves after the answer: queued with the change, sent by the mail worker with a
timeout, tried again later, and left failed (never lost) when the relay stays silent."""

from __future__ import annotations

import io
import logging
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from relais.accounts.models import User
from relais.alarms.tests.factories import live_alarm
from relais.conftest import api_client, run_mail_queue
from relais.core.singleton import single_instance
from relais.notifications.mail import MAX_ATTEMPTS, QUEUE, RETRY_DELAYS, mail_queue

PRESS_URL = "/api/alarms/activations/"


class _Silent(socketserver.BaseRequestHandler):
    """Accepts the connection and never says a word (no SMTP greeting)."""

    def handle(self) -> None:
        self.server.stop.wait(30)


@pytest.fixture
def silent_relay():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Silent)
    server.daemon_threads = True
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.stop.set()
    server.shutdown()
    server.server_close()


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(queue_name=QUEUE).order_by("enqueued_at"))


def make_due(row: DBTaskResult) -> None:
    """Time passes: the next attempt of ``row`` is due now."""
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())


def press(cast):
    client = api_client(cast.dispatcher_a, kind="gateway")
    return client.post(PRESS_URL, {"device": "BTN-A-0001", "at": timezone.now().isoformat()},
                       format="json")


def test_an_alarm_press_is_answered_at_once_though_the_mail_relay_never_answers(
        cast, settings, silent_relay, caplog):
    User.objects.filter(pk=cast.dispatcher_a.pk).update(email="dispatch-a@example.org")
    live_alarm(cast)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent_relay
    settings.EMAIL_TIMEOUT = 1.5

    started = time.monotonic()
    response = press(cast)
    answered_in = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert answered_in < 0.5  # the relay is not contacted inside the request
    (row,) = queued()
    assert row.status == TaskResultStatus.READY
    assert row.args_kwargs["kwargs"]["recipients"] == ["dispatch-a@example.org"]

    # The worker tries, waits EMAIL_TIMEOUT, and puts the e-mail back for later.
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="relais.notifications"):
        assert run_mail_queue() == 1
    tried_in = time.monotonic() - started
    assert 1.4 < tried_in < 5
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and len(row.worker_ids) == 1
    assert row.run_after > timezone.now() + RETRY_DELAYS[0] - timedelta(seconds=5)
    # smtplib reports the read that timed out as a lost connection.
    assert row.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert run_mail_queue() == 0  # not yet due

    # Each later attempt fails the same way; after the last the row stays failed, kept.
    settings.EMAIL_TIMEOUT = 0.2
    with caplog.at_level(logging.INFO, logger="relais.notifications"):
        for _attempt in range(2, MAX_ATTEMPTS + 1):
            make_due(row)
            assert run_mail_queue() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == MAX_ATTEMPTS
    make_due(row)
    assert run_mail_queue() == 0
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"not sent after {MAX_ATTEMPTS} attempts" in m for m in messages)
    assert not any("dispatch-a" in m for m in messages)  # no address in the log


def test_the_mail_is_queued_with_the_change_and_not_with_a_rolled_back_one(cast):
    User.objects.filter(pk=cast.dispatcher_a.pk).update(email="dispatch-a@example.org")
    live_alarm(cast)
    DBTaskResult.objects.all().delete()

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        press(cast)
        assert len(queued()) == 1
        raise Abandon
    assert queued() == []

    assert press(cast).status_code == 201
    assert len(queued()) == 1
    assert not mail.outbox  # sent by the worker, not the request
    run_mail_queue()
    (message,) = mail.outbox
    assert message.to == ["dispatch-a@example.org"]
    assert queued()[0].status == TaskResultStatus.SUCCESSFUL


def test_a_failed_attempt_is_sent_at_the_next_one(db, settings, silent_relay):
    mail_queue(subject="Relais: test", message="A test.", recipients=["a@example.org"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent_relay
    settings.EMAIL_TIMEOUT = 0.2
    run_mail_queue()
    (row,) = queued()
    assert row.status == TaskResultStatus.READY

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(row)
    run_mail_queue()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 2
    assert [m.subject for m in mail.outbox] == ["Relais: test"]


@contextmanager
def _held_elsewhere(name: str) -> Iterator[None]:
    """Hold the job ``name`` from another thread, with its own database connection (on
    PostgreSQL an advisory lock is re-entrant within one connection)."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        try:
            with single_instance(name) as mine:
                assert mine
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(30)
    try:
        yield
    finally:
        release.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_sends_the_queue_and_takes_back_what_a_dead_worker_left():
    mail_queue(subject="Relais: one", message="One.", recipients=["a@example.org"])
    mail_queue(subject="Relais: two", message="Two.", recipients=["b@example.org"])
    first = queued()[0]
    first.claim("a-worker-that-died")  # left running

    out = io.StringIO()
    with _held_elsewhere("mail_worker"):  # another process (connection) runs the worker
        call_command("mail_worker", "--batch", stdout=out)
    assert "another worker is running" in out.getvalue()
    assert not mail.outbox  # another instance holds the job: nothing done

    out = io.StringIO()
    call_command("mail_worker", "--batch", stdout=out)
    assert "1 interrupted e-mail(s) put back" in out.getvalue()
    assert sorted(m.subject for m in mail.outbox) == ["Relais: one", "Relais: two"]
    assert {r.status for r in queued()} == {TaskResultStatus.SUCCESSFUL}
