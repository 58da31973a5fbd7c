"""Run the long jobs (imports, the crisis re-contact: relais/core/jobs.py), one worker at a
time."""

from __future__ import annotations

from relais.core.jobs import JobWorker, mark_interrupted
from relais.core.worker_command import SingleWorkerCommand


class Command(SingleWorkerCommand):
    help = ("Run the queued long jobs (imports, the crisis re-contact). One instance runs at a "
            "time; a second one waits as a standby and takes over when the first stops.")
    name = "job_worker"

    def recover(self) -> str:
        return f"{mark_interrupted()} interrupted job(s) marked"

    def worker(self, *, interval: float, batch: bool) -> JobWorker:
        return JobWorker(interval=interval, batch=batch)
