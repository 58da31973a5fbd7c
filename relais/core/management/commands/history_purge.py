"""Delete the field history of records that no longer exist (docs/history.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from relais.core.history import history_purge


class Command(BaseCommand):
    help = "Delete the field history of records that no longer exist."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{history_purge()} history rows of deleted records deleted.")
