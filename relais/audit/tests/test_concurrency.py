"""Concurrent requests write events without waiting for one another, while the sealer seals:
every committed event is sealed exactly once, in one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from relais.audit.models import AuditEvent, AuditSeal, AuditUnsealed
from relais.audit.sealing import audit_seal, audit_seal_all
from relais.audit.services import audit_record
from relais.audit.verify import audit_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="SQLite has one writer at a time: nothing runs concurrently there")
def test_writers_and_the_sealer_run_concurrently():
    writers, per_writer, failures = 6, 15, []
    done = threading.Event()

    def write(n: int) -> None:
        try:
            for k in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=None, action="read", basis=f"writer {n} event {k}",
                                 username="concurrency")
                    if k % 5 == 4:  # some requests roll back: their ids leave gaps
                        transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    def seal() -> None:
        try:
            while not done.is_set():
                audit_seal(batch_size=7)
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            connection.close()

    sealer = threading.Thread(target=seal)
    sealer.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sealer.join()
    assert failures == []
    audit_seal_all()
    committed = writers * (per_writer - per_writer // 5)
    assert AuditEvent.objects.filter(username="concurrency").count() == committed
    assert AuditSeal.objects.count() == AuditEvent.objects.count()
    assert not AuditUnsealed.objects.exists()
    report = audit_verify()
    assert report.ok, report.reason
    assert report.checked == AuditSeal.objects.count()
