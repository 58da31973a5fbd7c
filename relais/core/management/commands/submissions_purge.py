"""Forget the one-time submission tokens and API Idempotency-Keys past their expiry."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from relais.core.submissions import submissions_purge


class Command(BaseCommand):
    help = "Delete submission tokens and Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{submissions_purge()} expired submission tokens deleted.")
