"""File every person under her blocking keys: after an upgrade that brings the linkage, after a
bulk load that bypassed the services (seed_scale), or after a change of ``keys.py``.

    manage.py linkage_index [--batch 5000]

Idempotent: each batch replaces its persons' keys in one transaction. No personal data is
printed; not audited (no one reads anything out).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from relais.cases.models import Person
from relais.linkage.services import keys_refresh


class Command(BaseCommand):
    help = "File every person under her blocking keys (relais.linkage)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, batch: int, **options) -> None:
        started = time.monotonic()
        done, last = 0, 0
        while True:
            ids = list(Person.objects.filter(pk__gt=last).order_by("pk")
                       .values_list("pk", flat=True)[:batch])
            if not ids:
                break
            with transaction.atomic():
                keys_refresh(person_ids=ids)
            done, last = done + len(ids), ids[-1]
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} persons filed ({time.monotonic() - started:.0f} s)")
        self.stdout.write(f"{done} persons filed under their keys in "
                          f"{time.monotonic() - started:.1f} s.")
