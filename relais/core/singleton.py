"""One instance at a time of a background job (the audit sealer, the follow-up tick, the
mail worker), across processes and machines.

On PostgreSQL the job holds a session-level advisory lock (``pg_try_advisory_lock``) on its
connection: a second instance, on this machine or another, is told the job is taken and can
wait as a standby; if the holder dies, its connection closes and the lock is free at once.
On SQLite (one machine by nature) the same is done with ``flock`` on a file next to the
database, which the kernel releases when the process ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks take a bigint)."""
    digest = hashlib.blake2b(f"relais:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock_file(name: str) -> Path:
    database = str(settings.DATABASES["default"]["NAME"])
    if database.startswith((":memory:", "file:")) or not Path(database).parent.is_dir():
        folder, stem = Path(settings.VAR_DIR), "memory"  # in-memory test databases
    else:
        folder, stem = Path(database).parent, Path(database).name
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".{stem}.{name}.lock"


@contextmanager
def single_instance(name: str) -> Iterator[bool]:
    """Yield True when this process now holds the job ``name``, False when another does.

    Use it around the whole run (or the whole loop) of a job::

        with single_instance("followup_tick") as mine:
            if not mine:
                return  # another instance is running it
            ...
    """
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            mine = bool(cursor.fetchone()[0])
        try:
            yield mine
        finally:
            if mine and connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    descriptor = os.open(_lock_file(name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
