"""Seal the queued audit events into the chain and publish a signed checkpoint."""

import signal
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from relais.audit.sealing import SEALER, audit_seal, audit_seal_all
from relais.core.singleton import single_instance


class Command(BaseCommand):
    help = ("Link the audit events written since the last round into the hash chain and append "
            "a signed checkpoint to the checkpoint file. With --loop, run every "
            "RELAIS_AUDIT_SEAL_SECONDS as the single sealer (a second one waits as a standby).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true",
                            help="keep sealing until stopped (SIGTERM or Ctrl-C)")
        parser.add_argument("--interval", type=float, default=None,
                            help="seconds between rounds (default RELAIS_AUDIT_SEAL_SECONDS)")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, loop: bool, interval: float | None, batch_size: int,
               **options) -> None:
        if not loop:
            sealed = audit_seal_all(batch_size=batch_size)
            self.stdout.write(f"audit_seal: sealed {sealed}")
            return
        interval = settings.AUDIT_SEAL_SECONDS if interval is None else interval
        heartbeat = timedelta(seconds=settings.AUDIT_CHECKPOINT_HEARTBEAT_SECONDS)
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        announced = False
        try:
            while not stop:
                try:
                    with single_instance(SEALER) as mine:
                        if not mine:
                            if not announced:
                                self.stdout.write("audit_seal: another sealer runs; standing by")
                                announced = True
                            time.sleep(interval)
                            continue
                        self.stdout.write("audit_seal: sealing")
                        announced = False
                        self._rounds(interval=interval, heartbeat=heartbeat,
                                     batch_size=batch_size, stop=stop)
                except DatabaseError as error:  # the database went away: wait, lock again
                    self.stderr.write(f"audit_seal: database error, retrying: {error}")
                    connection.close()
                    time.sleep(interval)
        except KeyboardInterrupt:
            pass

    def _rounds(self, *, interval: float, heartbeat: timedelta, batch_size: int,
                stop: list) -> None:
        problem = ""
        while not stop:
            started = time.monotonic()
            report = audit_seal(batch_size=batch_size, heartbeat=heartbeat)
            if report.file_problem and report.file_problem != problem:
                self.stderr.write(f"audit_seal: {report}")
            problem = report.file_problem
            if report.sealed < batch_size:
                # (the connection is kept: closing it would let go of the sealer's lock)
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
        if problem:
            raise CommandError(problem)
