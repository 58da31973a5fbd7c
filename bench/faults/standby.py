#!/usr/bin/env python
"""What docs/production.md "When one machine is not enough" relies on, tried on loopback:

1. A streaming replica: a primary of our own (``--port``, default 54351), a replica made with
   ``pg_basebackup -R -X stream`` on the next port, a Relais database migrated and seeded on
   the primary; the replica answers reads (the same row counts once it has replayed), says it
   is in recovery and refuses writes.
2. Single instances that a standby takes over: two processes run the same job inside
   ``relais.core.singleton.single_instance`` against the primary; the second waits while
   the first holds the advisory lock, and takes the job within a second of the first being
   killed with ``kill -9``. The same with the real ``manage.py audit_seal --loop`` and
   ``manage.py mail_worker`` when those commands exist (two instances each; the lock is
   watched in ``pg_locks``).

    .venv/bin/python bench/faults/standby.py [--pgbin /usr/lib/postgresql/15/bin]

Exit code 0 when all holds.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    DEFAULT_PGBIN,
    MANAGE,
    PYTHON,
    ROOT,
    Postgres,
    base_env,
    has_command,
    log,
)

DATABASE = "relais_standby"
JOB = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
import django
django.setup()
from relais.core.singleton import single_instance
name = sys.argv[1]
while True:
    with single_instance(name) as mine:
        if mine:
            print("holder", os.getpid(), flush=True)
            while True:
                time.sleep(1)
    print("standby", os.getpid(), flush=True)
    time.sleep(0.2)
"""


def lock_key(name: str) -> int:
    """As relais.core.singleton.lock_key (no Django here)."""
    digest = hashlib.blake2b(f"relais:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_holder(pg: Postgres, name: str) -> int | None:
    """The backend pid holding the advisory lock of job ``name``, if any."""
    key = lock_key(name) & 0xFFFFFFFFFFFFFFFF
    high, low = key >> 32, key & 0xFFFFFFFF
    found = pg.psql(DATABASE, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND "  # noqa: S608
                              f"granted AND classid = {high} AND objid = {low} AND objsubid = 1")
    return int(found) if found else None


def wait_for(test, seconds: float, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(step)
    return None


def replica_check(primary: Postgres, replica: Postgres, env: dict) -> dict:
    log("Migrating and seeding the primary (seed_scale --cases 300)...")
    subprocess.run([*MANAGE, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*MANAGE, "seed_scale", "--cases", "300"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    lsn = primary.psql(DATABASE, "SELECT pg_current_wal_lsn()")
    started = time.monotonic()
    caught_up = wait_for(lambda: replica.psql(
        DATABASE, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t", 60)
    lag = time.monotonic() - started
    counts = "SELECT (SELECT count(*) FROM cases_case) || ' ' || (SELECT count(*) FROM " \
             "audit_auditevent) || ' ' || (SELECT count(*) FROM cases_timelineentry)"
    on_primary, on_replica = primary.psql(DATABASE, counts), replica.psql(DATABASE, counts)
    try:
        replica.psql(DATABASE, "CREATE TABLE standby_probe (id int)")
        refused = "written on the replica!"
    except subprocess.CalledProcessError as error:
        refused = error.stderr.strip().splitlines()[0]
    # A read of the figures' kind (cases per zone and month) through Django on the replica.
    figures = subprocess.run([*MANAGE, "shell", "-c", (
        "from django.db.models import Count; from django.db.models.functions import "
        "TruncMonth; from relais.cases.models import Case; "
        "print(len(list(Case.objects.annotate(m=TruncMonth('opened_at'))"
        ".values('owner_agency_id', 'm').annotate(n=Count('id')))))")],
        env={**env, "DATABASE_URL": replica.url(DATABASE)}, cwd=ROOT, capture_output=True,
        text=True)
    return {
        "caught_up": bool(caught_up), "replay_s": round(lag, 2),
        "in_recovery": replica.psql(DATABASE, "SELECT pg_is_in_recovery()"),
        "counts_primary": on_primary, "counts_replica": on_replica,
        "write_refused": refused,
        "figures_rows_on_replica": (figures.stdout.strip().splitlines() or [""])[-1]
        or figures.stderr.strip()[-300:],
        "ok": bool(caught_up) and on_primary == on_replica and "read-only" in refused
        and figures.returncode == 0,
    }


def takeover(pg: Postgres, env: dict, name: str, command: list[str], label: str,
             waiting: str, workdir: Path) -> dict:
    """Two instances of ``command`` (holding job ``name``): the second waits (it prints
    ``waiting``), then takes over when the first is killed."""
    logs = [workdir / f"{name}-{n}.log" for n in (1, 2)]
    first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs[0].open("w"),
                             stderr=subprocess.STDOUT)
    holder = wait_for(lambda: lock_holder(pg, name), 120)
    second = subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs[1].open("w"),
                              stderr=subprocess.STDOUT)
    try:
        waited = wait_for(lambda: waiting in logs[1].read_text(), 120, 0.1)
        time.sleep(2)
        still = lock_holder(pg, name)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        new_holder = wait_for(lambda: (lock_holder(pg, name) or 0) not in (0, holder) and
                              lock_holder(pg, name), 60, 0.02)
        taken = time.monotonic() - killed
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    return {"job": name, "command": label, "held_by_first": holder is not None,
            "second_waited": bool(waited) and still == holder,
            "taken_over_s": round(taken, 2) if new_holder else None,
            "ok": holder is not None and bool(waited) and still == holder and bool(new_holder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pgbin", default=DEFAULT_PGBIN)
    parser.add_argument("--port", type=int, default=54351, help="primary; replica on +1")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="relais-standby-"))
    primary = Postgres(args.pgbin, workdir / "primary", args.port)
    replica = Postgres(args.pgbin, workdir / "replica", args.port + 1)
    outcome: dict = {}
    try:
        primary.init()
        primary.start()
        primary.createdb(DATABASE)
        log(f"Primary on port {primary.port}; pg_basebackup -R into {replica.datadir}")
        replica.datadir.mkdir(parents=True, mode=0o700)
        replica.datadir.chmod(0o700)
        if primary.as_postgres:
            shutil.chown(replica.datadir, "postgres")
        subprocess.run([*primary.as_postgres, primary.tool("pg_basebackup"), "-h",
                        "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D",
                        str(replica.datadir), "-R", "-X", "stream"], check=True)
        replica.start()
        env = base_env(primary.url(DATABASE), workdir)
        outcome["replica"] = replica_check(primary, replica, env)
        log(f"replica: {outcome['replica']}")
        outcome["takeover"] = [takeover(primary, env, "followup_tick",
                                        [PYTHON, "-c", JOB, "followup_tick"],
                                        "a loop inside single_instance", "standby", workdir)]
        if has_command("audit_seal", env):
            outcome["takeover"].append(takeover(primary, env, "audit_seal",
                                                [*MANAGE, "audit_seal", "--loop"],
                                                "manage.py audit_seal --loop",
                                                "standing by", workdir))
        if has_command("mail_worker", env):
            outcome["takeover"].append(takeover(
                primary, env, "mail_worker",
                [*MANAGE, "mail_worker", "--standby-seconds", "0.5"],
                "manage.py mail_worker --standby-seconds 0.5", "standing by", workdir))
        for row in outcome["takeover"]:
            log(f"takeover: {row}")
    finally:
        if not args.keep:
            replica.stop()
            primary.stop()
            shutil.rmtree(workdir, ignore_errors=True)
    ok = outcome["replica"]["ok"] and all(row["ok"] for row in outcome["takeover"])
    rep = outcome["replica"]
    print()
    print("### Streaming replica and single-instance jobs (bench/faults/standby.py)")
    print()
    print(f"Replica (pg_basebackup -R -X stream): replayed the seeded primary in "
          f"{rep['replay_s']} s; pg_is_in_recovery() = {rep['in_recovery']}; row counts "
          f"(cases, audit events, timeline) primary {rep['counts_primary']} / replica "
          f"{rep['counts_replica']}; a write on the replica: \"{rep['write_refused']}\"; a "
          f"figures query through Django on the replica: {rep['figures_rows_on_replica']} "
          "rows.")
    for row in outcome["takeover"]:
        print(f"Job `{row['job']}` ({row['command']}): first instance holds the lock: "
              f"{row['held_by_first']}; the second waited while it did: {row['second_waited']};"
              f" after kill -9 of the first, the second held it in {row['taken_over_s']} s.")
    print(f"Result: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
