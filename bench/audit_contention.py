#!/usr/bin/env python
"""Benchmark: concurrent requests writing audit events, the locked chain against the sealed one.

    DATABASE_URL=postgres://postgres@127.0.0.1:54331/relais_contention RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/audit_contention.py \\
        --base /path/to/a/checkout/of/the/previous/commit

Each of ``--workers`` processes runs ``--transactions`` transactions that look like an audited
request: write one audit event (``audit_record``), then hold the transaction open for
``--hold-ms`` (the rest of the request: the alarm press writes its timeline entry and notice
after its first event), then commit. With the locked chain (before issue 14), every event locks
the one chain-head row until its transaction ends, so concurrent requests queue; with the sealed
chain nothing is shared. The script runs both codes alternately (``--rounds``), each in its own
database (``<name>_base`` and ``<name>_new``, created on the same server), and prints per
round the latency of a transaction (median, p95, p99) and the throughput. Run a sealer beside
the new code (it is started here: ``audit_seal --loop``) so that it pays its share too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _worker(args: tuple[str, int, float]) -> list[float]:
    code, transactions, hold = args
    sys.path.insert(0, code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from relais.audit.services import audit_record

    latencies = []
    for n in range(transactions):
        began = time.perf_counter()
        with transaction.atomic():
            audit_record(actor=None, action="read", basis=f"bench {n}", username="bench")
            time.sleep(hold)
        latencies.append((time.perf_counter() - began) * 1000)
    connection.close()
    return latencies


def _database(url: str, suffix: str) -> str:
    base, name = url.rsplit("/", 1)
    return f"{base}/{name}_{suffix}"


def _prepare(code: str, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": code}
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", url.rsplit(":", 1)[1].split("/")[0],
                    "-U", "postgres", url.rsplit("/", 1)[1]], check=False,
                   capture_output=True)
    subprocess.run([sys.executable, f"{code}/manage.py", "migrate", "-v", "0"], env=env,
                   check=True, cwd=code)


def _run(code: str, url: str, *, workers: int, transactions: int, hold: float) -> dict:
    env_before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    sealer = None
    if (Path(code) / "relais/audit/sealing.py").exists():
        sealer = subprocess.Popen([sys.executable, f"{code}/manage.py", "audit_seal", "--loop"],
                                  cwd=code, env={**os.environ, "PYTHONPATH": code},
                                  stdout=subprocess.DEVNULL)
    began = time.perf_counter()
    with Pool(workers) as pool:
        results = pool.map(_worker, [(code, transactions, hold)] * workers)
    seconds = time.perf_counter() - began
    if sealer:
        sealer.terminate()
        sealer.wait()
    if env_before is None:
        del os.environ["DATABASE_URL"]
    else:
        os.environ["DATABASE_URL"] = env_before
    latencies = sorted(x for r in results for x in r)
    q = statistics.quantiles(latencies, n=100)
    return {"median": statistics.median(latencies), "p95": q[94], "p99": q[98],
            "throughput": len(latencies) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="a checkout of the locked-chain code")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--transactions", type=int, default=100)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    codes = {"locked chain (base)": (args.base, _database(url, "base")),
             "sealed chain (new)": (str(HERE), _database(url, "new"))}
    for code, db in codes.values():
        _prepare(code, db)
    print(f"{args.workers} workers × {args.transactions} transactions, each holding "
          f"{args.hold_ms} ms after its event; load {os.getloadavg()[0]:.2f}")
    print("| round | code | median | p95 | p99 | transactions/s |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for n in range(1, args.rounds + 1):
        order = list(codes.items()) if n % 2 else list(reversed(codes.items()))
        for label, (code, db) in order:
            r = _run(code, db, workers=args.workers, transactions=args.transactions,
                     hold=args.hold_ms / 1000)
            print(f"| {n} | {label} | {r['median']:.1f} ms | {r['p95']:.1f} ms | "
                  f"{r['p99']:.1f} ms | {r['throughput']:.0f} |", flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
