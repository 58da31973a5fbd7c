#!/usr/bin/env python
"""Garbage-collection pauses while serving pages, without and with ``gc.freeze()``.

    DATABASE_URL=sqlite:////path/to/bench-gc.sqlite3 RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench \\
        .venv/bin/python bench/gc_pauses.py --cases 20000 --requests 400 --rounds 2

The parent seeds the database if needed (``seed_scale``), then runs one fresh process per
mode, alternating (``thaw`` = no freeze, ``freeze`` = as relais/wsgi.py does), ``--rounds``
times each. Each process loads the application as relais/wsgi.py does (the WSGI handler and
the URLconf), freezes or not, signs in the bench officer, and requests the case page (random
cases of the bench zone) and the follow-up queue alternately, timing every collection through
``gc.callbacks``, then times three forced full collections. The parent prints, per mode and
generation: collections, median, p95 and max pause; the cost of a full collection; and the
requests' median, p95, p99 and max.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(mode: str, requests: int, seed: int, static_root: str) -> None:
    """One serving process: load, maybe freeze, then time collections during the requests."""
    from benchlib import percentile, verified_client  # sets up Django
    from case_page import BENCH_AGENCY, bench_user
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings
    from django.urls import get_resolver, reverse

    from relais.cases.models import Case

    get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018  (as relais/wsgi.py)
    if mode == "freeze":
        gc.freeze()
    frozen = gc.get_freeze_count()

    pauses: list[tuple[int, float]] = []
    started_at: list[float] = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started_at[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], (time.perf_counter() - started_at[0]) * 1000))

    with override_settings(STATIC_ROOT=static_root or None):
        user = bench_user()
        owned = list(Case.objects.filter(owner_agency__code=BENCH_AGENCY)
                     .values_list("pk", flat=True))
        rng = random.Random(seed)
        client = verified_client(user)
        queue = reverse("followup:queue")
        urls = [reverse("cases:case_detail", args=[rng.choice(owned)]) if n % 2 == 0 else queue
                for n in range(requests)]
        for url in urls[:20]:  # warm-up: templates compiled, caches filled
            assert client.get(url, secure=True).status_code == 200, url
        gc.callbacks.append(on_gc)
        timings = []
        for url in urls:
            began = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, url
        gc.callbacks.remove(on_gc)
    # What one full collection costs now, whenever the collector decides to run one.
    forced = []
    for _ in range(3):
        began = time.perf_counter()
        gc.collect()
        forced.append((time.perf_counter() - began) * 1000)
    json.dump({"mode": mode, "frozen": frozen, "pauses": pauses, "timings": timings,
               "forced": forced, "tracked": len(gc.get_objects()),
               "p99": percentile(timings, 0.99)}, sys.stdout)


def run(args: argparse.Namespace) -> None:
    from benchlib import (
        database_label,
        load_average,
        percentile,
        prepare_database,
        prepare_static,
    )

    seeding, total = prepare_database(args.cases, args.seed)
    static_root = prepare_static("relais-bench-static") or ""
    results: dict[str, dict] = {m: {"pauses": [], "timings": [], "forced": [], "frozen": 0,
                                    "tracked": 0}
                                for m in ("thaw", "freeze")}
    for round_ in range(args.rounds):
        for mode in (("thaw", "freeze") if round_ % 2 == 0 else ("freeze", "thaw")):
            print(f"round {round_ + 1}: {mode}...", file=sys.stderr, flush=True)
            out = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--requests", str(args.requests),
                 "--seed", str(args.seed + round_), "--static-root", static_root],
                check=True, capture_output=True, text=True, env=os.environ).stdout
            data = json.loads(out.strip().splitlines()[-1])
            results[mode]["pauses"] += data["pauses"]
            results[mode]["timings"] += data["timings"]
            results[mode]["forced"] += data["forced"]
            results[mode]["frozen"] = data["frozen"]
            results[mode]["tracked"] = data["tracked"]

    print(f"\n### Collection pauses, {database_label()}, {total:,} cases\n")
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, thresholds "
          f"{gc.get_threshold()}; {args.rounds} process(es) per mode, alternating, "
          f"{args.requests} requests each (case page and follow-up queue in turn, after 20 "
          f"warm-up); seeding: {f'{seeding:.0f} s' if seeding else 'data already present'}.")
    print(f"Load average at the end (1, 5, 15 min): {load_average()}.\n")
    print("| mode | objects frozen | generation | collections | per 100 requests "
          "| median (ms) | p95 (ms) | max (ms) | total (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    requests = args.rounds * args.requests
    for mode, label in (("thaw", "without freeze"), ("freeze", "gc.freeze()")):
        for generation in (0, 1, 2):
            pauses = [ms for g, ms in results[mode]["pauses"] if g == generation]
            if not pauses:
                print(f"| {label} | {results[mode]['frozen']:,} | {generation} | 0 | 0 "
                      "| | | | |")
                continue
            print(f"| {label} | {results[mode]['frozen']:,} | {generation} | {len(pauses)} | "
                  f"{100 * len(pauses) / requests:.1f} | "
                  f"{percentile(pauses, 0.5):.2f} | {percentile(pauses, 0.95):.2f} | "
                  f"{max(pauses):.1f} | {sum(pauses):.0f} |")
    print("\nA full collection forced after the requests (gc.collect(), 3 per process):\n")
    print("| mode | objects the collector walks | median (ms) | max (ms) |")
    print("|---|---:|---:|---:|")
    for mode, label in (("thaw", "without freeze"), ("freeze", "gc.freeze()")):
        f = results[mode]["forced"]
        print(f"| {label} | {results[mode]['tracked']:,} | {percentile(f, 0.5):.1f} | "
              f"{max(f):.1f} |")
    print("\n| mode | requests | median (ms) | p95 (ms) | p99 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode, label in (("thaw", "without freeze"), ("freeze", "gc.freeze()")):
        t = results[mode]["timings"]
        print(f"| {label} | {len(t)} | {percentile(t, 0.5):.2f} | {percentile(t, 0.95):.2f} | "
              f"{percentile(t, 0.99):.2f} | {max(t):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000,
                        help="cases the database must hold; seeded when fewer (default 20000)")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per process")
    parser.add_argument("--rounds", type=int, default=2, help="processes per mode (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--child", choices=["thaw", "freeze"], help=argparse.SUPPRESS)
    parser.add_argument("--static-root", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    if args.child:
        child(args.child, args.requests, args.seed, args.static_root)
    else:
        run(args)


if __name__ == "__main__":
    main()
