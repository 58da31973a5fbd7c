#!/usr/bin/env python
"""Benchmark of the red list for dispatch (issue 18 §2): the dispatch's look-up at 1,000,000
listed addresses and phone numbers, against a bare indexed look-up in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:54340/relais_redlist RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/redlist.py --entries 1000000

(SQLite in ``var/bench-redlist.sqlite3`` unless DATABASE_URL names another database; the budget
is for PostgreSQL.)

The data, seeded once in bulk SQL (``INSERT ... SELECT generate_series``; skipped when the
entries are there): 4 police zones with a reference officer and a dispatcher (gateway token),
1,000 fictitious cases, and ``--entries`` red-list entries, half addresses (one street name, a
fifth of them bilingual: two keys) and half Belgian mobile numbers, 3 % past their review date
(still keyed: the look-up's date filter must hide them). About 1.1 keys per entry.

Timed blocks, rotating every round (the first ``--warmup`` rounds dropped), each a random
listed key (hit) or an unlisted one (miss), alternating:

- ``bare SQL``: the baseline, ``SELECT entry_id FROM redlist_redlistkey WHERE key = %s``
  through Django's cursor (the index ``redlist_key_idx``), in autocommit;
- ``answer``: ``selectors._answer`` (the one ORM query with its join and date filter);
- ``lookup``: ``selectors.lookup`` as the API calls it: the answer, the hour's tally counted,
  one transaction;
- through HTTP (``APIClient`` in this process, the whole middleware stack): ``POST
  /api/redlist/lookup/`` with the dispatcher's gateway token, a body to normalise (an address
  or a national-format number); and its baseline, a DRF view defined here with the same token,
  permission, client and body that runs the bare indexed look-up.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(BENCH_DIR.parent / "var"
                                                         / "bench-redlist.sqlite3"))

# benchlib next: it sets up Django on the bench database.
from benchlib import (  # noqa: E402
    bench_urlconf,
    database_label,
    load_average,
    percentile,
)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from relais.accounts.authentication import GatewayCredentials  # noqa: E402
from relais.accounts.models import Agency, AgencyKind, ApiTokenKind, Role, User  # noqa: E402
from relais.accounts.services import api_token_issue, user_create  # noqa: E402
from relais.cases.models import Case  # noqa: E402
from relais.core.actor import Actor  # noqa: E402
from relais.redlist import selectors  # noqa: E402
from relais.redlist.models import RedListEntry  # noqa: E402
from relais.redlist.normalise import lookup_keys  # noqa: E402

POSTCODES = ["1000", "2000", "3000", "4000", "5000", "6000", "7000", "8000", "9000", "8500"]
ZONES = 4
CASES = 1000
BARE_URL = "/bench/redlist/bare/"
MOBILE_BASE = 470_000_000  # +32 470 000 000 and up: Belgian mobile numbers
BARE_SQL = "SELECT entry_id FROM redlist_redlistkey WHERE key = %s LIMIT 10"


class BareLookup(APIView):
    """The same token, permission, client and body as the look-up API; one indexed look-up of
    the key as typed (no normalisation, no tally)."""

    permission_classes = [GatewayCredentials]

    def post(self, request: Request) -> Response:
        key = str(request.data.get("key", ""))
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [key])
            rows = cursor.fetchall()
        return Response({"listed": bool(rows)})


def urlconf() -> str:
    return bench_urlconf("relais_bench_redlist_urls", [
        path(BARE_URL.lstrip("/"), BareLookup.as_view())]).__name__


# -- seeding ---------------------------------------------------------------------------------
def address(i: int) -> tuple[str, str, str]:
    """(postcode, street, number) of the i-th address entry (i even)."""
    return POSTCODES[i % len(POSTCODES)], f"Benchstraat {i // 100}", str(i % 100 + 1)


def address_key_sql(i_expr: str, street: str) -> str:
    """The normalised key of ``address(i)`` in SQL (normalise.address_key)."""
    codes = ",".join(f"'{c}'" for c in POSTCODES)
    return (f"'a:' || (ARRAY[{codes}])[mod({i_expr}, {len(POSTCODES)}) + 1] || '|' || "
            f"'{street}' || (({i_expr}) / 100)::text || '|' || "
            f"(mod({i_expr}, 100) + 1)::text || '|'")


def seed(entries: int) -> tuple[float, dict]:
    call_command("migrate", verbosity=0)
    zones = list(Agency.objects.filter(code__startswith="bench-rl-zone-").order_by("code"))
    if not zones:
        zones = [Agency.objects.create(code=f"bench-rl-zone-{n}", kind=AgencyKind.POLICE_ZONE,
                                       name=f"Zone banc d'essai {n} (fictitious)",
                                       languages=["fr", "nl"]) for n in range(ZONES)]
        for n, zone in enumerate(zones):
            user_create(username=f"bench_rl_reference_{n}", agency=zone,
                        roles=[Role.IPV_REFERENCE_OFFICER], password=None)
            user_create(username=f"bench_rl_dispatch_{n}", agency=zone,
                        roles=[Role.DISPATCHER], password=None)
    present = RedListEntry.objects.count()
    started = time.perf_counter()
    if present < entries:
        print(f"Seeding {entries - present:,} entries (database has {present:,})...",
              flush=True)
        _seed_sql(zones, present, entries)
    return time.perf_counter() - started, {"zones": zones}


def _seed_sql(zones: list[Agency], start: int, end: int) -> None:
    references = list(User.objects.filter(username__startswith="bench_rl_reference_")
                      .order_by("username").values_list("pk", flat=True))
    if not Case.objects.filter(reference__startswith="BENCH-RL-").exists():
        Case.objects.bulk_create([
            Case(reference=f"BENCH-RL-{n:05d}", owner_agency=zones[n % ZONES],
                 opened_by_id=references[n % ZONES], situation="couple", municipality="21004")
            for n in range(CASES)])
    cases = list(Case.objects.filter(reference__startswith="BENCH-RL-").order_by("pk")
                 .values_list("pk", flat=True))
    zone_ids = ",".join(str(z.pk) for z in zones)
    ref_ids = ",".join(str(r) for r in references)
    case_ids = ",".join(str(c) for c in cases)
    today = timezone.localdate()
    chunk = 100_000
    vendor = connection.vendor
    for low in range(start, end, chunk):
        high = min(low + chunk, end)
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor != "postgresql":
                raise SystemExit("bulk seeding is written for PostgreSQL")
            # The entry's review date: 3 % already past (i % 33 == 0).
            cursor.execute(f"""
                INSERT INTO redlist_redlistentry
                  (reference, kind, case_id, zone_id, placed_by_agency_id, placed_by_id,
                   placed_at, reason, reason_text, review_on, postcode, refnis, streets,
                   number, box, phone, priority, high_risk, weapons, ban_in_force, alarm,
                   children, flags_at, lifted_at, lifted_by_id, lift_reason)
                SELECT 'RB-' || lpad(i::text, 9, '0'),
                       CASE WHEN mod(i, 2) = 0 THEN 'address' ELSE 'phone' END,
                       (ARRAY[{case_ids}])[mod(i, {len(cases)}) + 1],
                       (ARRAY[{zone_ids}])[mod(i, {ZONES}) + 1],
                       (ARRAY[{zone_ids}])[mod(i, {ZONES}) + 1],
                       (ARRAY[{ref_ids}])[mod(i, {ZONES}) + 1],
                       now(), 'serious_violence', '',
                       CASE WHEN mod(i, 33) = 0 THEN %(past)s ELSE %(future)s END,
                       CASE WHEN mod(i, 2) = 0 THEN (ARRAY[{",".join(repr(c) for c in POSTCODES)}])
                            [mod(i, {len(POSTCODES)}) + 1] ELSE '' END,
                       '',
                       CASE WHEN mod(i, 2) = 0 THEN jsonb_build_array('Benchstraat ' || (i / 100))
                            ELSE '[]'::jsonb END,
                       CASE WHEN mod(i, 2) = 0 THEN (mod(i, 100) + 1)::text ELSE '' END, '',
                       CASE WHEN mod(i, 2) = 1 THEN '+32' || ({MOBILE_BASE} + i / 2)::text
                            ELSE '' END,
                       1 + mod(i, 3), mod(i, 5) = 0, mod(i, 7) = 0, mod(i, 11) = 0,
                       mod(i, 13) = 0, mod(i, 2) = 0,
                       now(), NULL, NULL, ''
                FROM generate_series(%(low)s, %(high)s - 1) AS i
            """, {"past": today - timedelta(days=3),  # noqa: S608 (ids and constants)
                  "future": today + timedelta(days=120), "low": low, "high": high})
            # One key per entry; a fifth of the addresses also in a second language.
            cursor.execute(f"""
                INSERT INTO redlist_redlistkey (key, entry_id, review_on)
                SELECT CASE WHEN e.kind = 'phone' THEN 't:' || e.phone
                            ELSE {address_key_sql("i", "benchstraat")} END,
                       e.id, e.review_on
                FROM redlist_redlistentry e,
                     LATERAL (SELECT substr(e.reference, 4)::int AS i) n
                WHERE e.reference >= 'RB-' || lpad(%(low)s::text, 9, '0')
                  AND e.reference < 'RB-' || lpad(%(high)s::text, 9, '0')
                UNION ALL
                SELECT {address_key_sql("i", "ruedubanc")}, e.id, e.review_on
                FROM redlist_redlistentry e,
                     LATERAL (SELECT substr(e.reference, 4)::int AS i) n
                WHERE e.reference >= 'RB-' || lpad(%(low)s::text, 9, '0')
                  AND e.reference < 'RB-' || lpad(%(high)s::text, 9, '0')
                  AND e.kind = 'address' AND mod(n.i, 10) = 0
            """, {"low": low, "high": high})  # noqa: S608 (ids and constants only)
        print(f"  {high:,} entries", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE redlist_redlistentry; ANALYZE redlist_redlistkey")


# -- the look-ups ----------------------------------------------------------------------------
def probe(i: int, rng: random.Random, entries: int, hit: bool) -> tuple[str, dict]:
    """(the normalised key, the API body) of a listed entry, or of one nobody listed."""
    if not hit:
        i = entries + rng.randrange(1_000_000)  # beyond the seeded range: never listed
    if i % 2 == 0:
        postcode, street, number = address(i)
        body = {"postcode": postcode, "street": street.upper(), "number": number}
    else:
        body = {"phone": "0" + str(MOBILE_BASE + i // 2)}
    return lookup_keys(**body)[0], body


def run(rounds: int, warmup: int, entries: int, seed_value: int) -> dict[str, list[float]]:
    settings.ROOT_URLCONF = urlconf()
    dispatcher = User.objects.get(username="bench_rl_dispatch_0")
    _token, key = api_token_issue(actor=None, user=dispatcher, kind=ApiTokenKind.GATEWAY,
                                  issued_by="bench")
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    actor = Actor.for_user(dispatcher, ip="127.0.0.1", channel="api")
    rng = random.Random(seed_value)
    times: dict[str, list[float]] = {}
    listed = {"hit": 0, "miss": 0}

    def timed(name: str, call) -> object:
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
        if counting:
            times.setdefault(name, []).append(elapsed)
        return result

    for n in range(rounds + warmup):
        counting = n >= warmup
        hit = n % 2 == 0
        i = rng.randrange(entries)
        while hit and i % 33 == 0:  # a past review date: not a hit
            i = rng.randrange(entries)
        key_, body = probe(i, rng, entries, hit)
        blocks = [
            ("bare SQL", lambda k=key_: _bare(k)),
            ("answer (selector, no tally)", lambda k=key_: selectors._answer([k])),
            ("lookup (selector + tally)",
             lambda k=key_: selectors.lookup(actor=actor, keys=[k])),
            ("HTTP baseline (bare DRF view)",
             lambda k=key_: client.post(BARE_URL, {"key": k}, format="json", secure=True)),
            ("HTTP look-up API",
             lambda b=body: client.post("/api/redlist/lookup/", b, format="json",
                                          secure=True)),
        ]
        shift = n % len(blocks)
        for name, call in blocks[shift:] + blocks[:shift]:
            result = timed(name, call)
            if name == "HTTP look-up API" and counting:
                assert result.status_code == 200, (result.status_code, result.content)
                listed["hit" if result.json()["listed"] else "miss"] += 1
                assert result.json()["listed"] == hit, (body, result.json())
    times["_listed"] = [listed["hit"], listed["miss"]]
    return times


def _bare(key: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [key])
        return cursor.fetchall()


def report(times: dict[str, list[float]], label: str) -> None:
    hits, misses = times.pop("_listed")
    print(f"\n- database: {database_label()}; {label}")
    print(f"- API answers: {hits} listed, {misses} not listed (as expected each time)")
    print(f"- load average: {load_average()}\n")
    print("| look-up | n | median ms | p95 ms | p99 ms | max ms | ratio median | ratio p95 | "
          "ratio p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    baselines = {"sql": times["bare SQL"], "http": times["HTTP baseline (bare DRF view)"]}
    order = ["bare SQL", "answer (selector, no tally)", "lookup (selector + tally)",
             "HTTP baseline (bare DRF view)", "HTTP look-up API"]
    for name in order:
        values = times[name]
        base = baselines["http" if name.startswith("HTTP") else "sql"]
        q = [percentile(values, p) for p in (0.5, 0.95, 0.99)]
        ratios = [q[n] / percentile(base, p) for n, p in enumerate((0.5, 0.95, 0.99))]
        print(f"| {name} | {len(values)} | {q[0]:.3f} | {q[1]:.3f} | {q[2]:.3f} | "
              f"{max(values):.3f} | " + " | ".join(f"{r:.2f}×" for r in ratios) + " |")
    print("\nRatios: the selector rows to `bare SQL`, the HTTP rows to the HTTP baseline.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    spent, _world = seed(args.entries)
    keys = RedListEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM redlist_redlistkey")
        key_rows = cursor.fetchone()[0]
    print(f"entries: {keys:,}; keys: {key_rows:,}; seeding took {spent:.0f} s", flush=True)
    times = run(args.rounds, args.warmup, args.entries, args.seed)
    report(times, f"{keys:,} entries, {key_rows:,} keys; {args.rounds} rounds after "
                  f"{args.warmup} warm-up; command: {' '.join(sys.argv)}")


if __name__ == "__main__":
    main()
