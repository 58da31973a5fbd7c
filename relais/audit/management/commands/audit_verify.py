"""Check the audit trail against its digests, its chain and its signed checkpoints."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relais.audit.verify import audit_verify


class Command(BaseCommand):
    help = ("Check every audit event against its digest, every seal against the chain, and the "
            "chain against the signed checkpoints of the checkpoint file and of the database. "
            "Names the first bad event. Events not sealed yet are counted.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--checkpoints", type=Path, default=None,
                            help="the checkpoint file (default RELAIS_AUDIT_CHECKPOINTS)")
        parser.add_argument("--max-unsealed-seconds", type=float, default=None,
                            help="fail when an event has waited longer than this to be sealed")

    def handle(self, *args, checkpoints: Path | None, max_unsealed_seconds: float | None,
               **options) -> None:
        report = audit_verify(checkpoints=checkpoints)
        if not report.ok:
            where = (f" at event {report.broken_at}" if report.broken_at is not None
                     else f" at position {report.position}" if report.position else "")
            raise CommandError(f"Audit trail BROKEN{where}: {report.reason} "
                               f"({report.checked} sealed events checked before it).")
        last = report.last_checkpoint
        self.stdout.write(self.style.SUCCESS(
            f"Audit trail intact: {report.checked} sealed events, {report.checkpoints} "
            f"checkpoints" + (f" (newest {last['at']}, {last['size']} events)" if last else "")
            + "."))
        for note in report.notes:
            self.stdout.write(f"Note: {note}.")
        if report.unsealed:
            age = (timezone.now() - report.oldest_unsealed).total_seconds()
            self.stdout.write(f"{report.unsealed} events are not sealed yet; the oldest has "
                              f"waited {age:.0f} s.")
            if max_unsealed_seconds is not None and age > max_unsealed_seconds:
                raise CommandError(f"Events have waited {age:.0f} s to be sealed (more than "
                                   f"{max_unsealed_seconds:.0f} s): is the sealer running?")
