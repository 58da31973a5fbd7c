"""Run the long jobs (imports, the crisis re-contact: relais/core/jobs.py), one worker at a
time."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from relais.core.jobs import JobWorker, mark_interrupted
from relais.core.singleton import single_instance


class Command(BaseCommand):
    help = ("Run the queued long jobs (imports, the crisis re-contact). One instance runs at a "
            "time; a second one waits as a standby and takes over when the first stops.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between two looks at an empty queue (default 1)")
        parser.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit (no standby)")
        parser.add_argument("--standby-seconds", type=float, default=5.0,
                            help="a standby's wait between two tries to take over (default 5)")

    def handle(self, *args, interval: float, batch: bool, standby_seconds: float,
               **options) -> None:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = None
        announced = False
        while True:
            with single_instance("job_worker") as mine:
                if mine:
                    count = mark_interrupted()
                    self.stdout.write(f"job_worker: running; {count} interrupted job(s) marked")
                    worker = JobWorker(interval=interval, batch=batch)
                    if not batch:
                        worker.configure_signals()  # SIGTERM: finish the job being run
                    worker.run()
                    return
            if batch:
                self.stdout.write("job_worker: another worker is running; nothing done")
                return
            if not announced:
                self.stdout.write("job_worker: another worker is running; standing by")
                announced = True
            time.sleep(standby_seconds)
