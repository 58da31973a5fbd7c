"""Send the queued e-mails (relais/notifications/mail.py), one worker at a time."""

from __future__ import annotations

from relais.core.worker_command import SingleWorkerCommand
from relais.notifications.mail import MailWorker, requeue_interrupted


class Command(SingleWorkerCommand):
    help = ("Send the queued e-mails, with a timeout and bounded retries. One instance runs at "
            "a time; a second one waits as a standby and takes over when the first stops.")
    name = "mail_worker"

    def recover(self) -> str:
        return f"{requeue_interrupted()} interrupted e-mail(s) put back in the queue"

    def worker(self, *, interval: float, batch: bool) -> MailWorker:
        return MailWorker(interval=interval, batch=batch)
