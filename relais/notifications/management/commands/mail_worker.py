"""Send the queued e-mails (relais/notifications/mail.py), one worker at a time."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from relais.core.singleton import single_instance
from relais.notifications.mail import MailWorker, requeue_interrupted


class Command(BaseCommand):
    help = ("Send the queued e-mails, with a timeout and bounded retries. One instance runs at "
            "a time; a second one waits as a standby and takes over when the first stops.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between two looks at an empty queue (default 1)")
        parser.add_argument("--batch", action="store_true",
                            help="send what is due, then exit (no standby)")
        parser.add_argument("--standby-seconds", type=float, default=5.0,
                            help="a standby's wait between two tries to take over (default 5)")

    def handle(self, *args, interval: float, batch: bool, standby_seconds: float,
               **options) -> None:
        # Keep one connection for the whole run: on PostgreSQL the single-instance lock lives
        # on it, and the library's loop would otherwise close it after CONN_MAX_AGE.
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = None
        announced = False
        while True:
            with single_instance("mail_worker") as mine:
                if mine:
                    requeued = requeue_interrupted()
                    self.stdout.write(f"mail_worker: running; {requeued} interrupted e-mail(s) "
                                      "put back in the queue")
                    worker = MailWorker(interval=interval, batch=batch)
                    if not batch:
                        worker.configure_signals()  # SIGTERM: finish the e-mail being sent
                    worker.run()
                    return
            if batch:
                self.stdout.write("mail_worker: another worker is running; nothing done")
                return
            if not announced:
                self.stdout.write("mail_worker: another worker is running; standing by")
                announced = True
            time.sleep(standby_seconds)
