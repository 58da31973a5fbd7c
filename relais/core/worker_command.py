"""The command of a queue worker that runs one instance at a time (``mail_worker``,
``job_worker``): a second instance waits as a standby and takes over when the first stops;
``--batch`` runs what is queued, then exits."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from relais.core.singleton import single_instance


class SingleWorkerCommand(BaseCommand):
    """Subclasses name the worker, put back what a dead worker left half done (``recover``,
    which says what it did) and build the worker (``worker``: with ``configure_signals`` and
    ``run``)."""

    name = ""

    def recover(self) -> str:
        raise NotImplementedError

    def worker(self, *, interval: float, batch: bool) -> Any:
        raise NotImplementedError

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between two looks at an empty queue (default 1)")
        parser.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit (no standby)")
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
            with single_instance(self.name) as mine:
                if mine:
                    self.stdout.write(f"{self.name}: running; {self.recover()}")
                    worker = self.worker(interval=interval, batch=batch)
                    if not batch:
                        worker.configure_signals()  # SIGTERM: finish the item being run
                    worker.run()
                    return
            if batch:
                self.stdout.write(f"{self.name}: another worker is running; nothing done")
                return
            if not announced:
                self.stdout.write(f"{self.name}: another worker is running; standing by")
                announced = True
            time.sleep(standby_seconds)
