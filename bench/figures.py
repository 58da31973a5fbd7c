#!/usr/bin/env python
"""Benchmark of the analyst's figures dashboard over 1,000,000 incidents (issue 17, §6).

    DATABASE_URL=postgres://postgres@127.0.0.1:54340/relais_final RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/figures.py --rounds 30

On a ``seed_scale`` database completed by ``bench/figures_fill.py`` (1,000,000 reports, their
entries) and counted by ``manage.py figures_refresh`` (the dashboard reads those counts; the
script says when they were computed and refuses to run without them). Each round times, in a
shuffled order:

- the baseline named in the issue, a bare ``SELECT COUNT(*) FROM intake_report``;
- ``relais.figures.dashboard.dashboard(actor=..., filters=...)`` (the scope, the panels with
  their tables and SVG charts, the audit event) for an analyst of a police zone
  (``scale-zone-1``), of a prosecutor's office (``scale-parquet-1``, district level: the
  office and the zones of its district) and of a national observatory (a platform whose
  jurisdiction spans the three regions: every zone, office and programme), the last twelve
  months, the view the analyst lands on (``--view``, default ``roadmap``);
- the same dashboards as pages (``GET /figures/`` through ``django.test.Client`` and the whole
  middleware stack, signed in and OTP-verified, template rendered), unless ``--no-pages``.

With ``--refresh`` it first recomputes the counts once (what the hourly ``figures_refresh``
costs at this size) and prints the time it took.

The first ``--warmup`` rounds are dropped. It prints median, p95 and p99 per case, the SQL
statements of one call, the ratio of each to the bare COUNT measured in the same rounds, and
the load average before and after.

Set-up written to the bench database on the first run (idempotent): the three analysts
(``bench.figures.zone``, ``.office``, ``.national``; no usable password), the observatory
agency ``bench-observatory`` with three municipalities (Ixelles, Liège, Gent), and the
jurisdiction of ``scale-parquet-1`` and ``scale-programme-1`` (the zones' four Brussels
municipalities: ``seed_scale`` gives none to them, and the figures' policy finds an office's
district and an area's agencies through it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

import benchlib  # noqa: F401  (first: Django on DATABASE_URL)
from benchlib import (
    captured,
    database_label,
    load_average,
    percentile,
    prepare_static,
    verified_client,
)
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, Role, User
from relais.accounts.services import user_create
from relais.core.actor import Actor
from relais.figures import dashboard as dashboard_module
from relais.figures.aggregates import last_refresh, refresh_counts

ZONE, OFFICE, PROGRAMME = "scale-zone-1", "scale-parquet-1", "scale-programme-1"
OBSERVATORY = "bench-observatory"
THREE_REGIONS = ("21009", "62063", "44021")  # Ixelles, Liège, Gent


def _jurisdiction(agency: Agency, codes: list[str] | tuple[str, ...]) -> None:
    for refnis in codes:
        JurisdictionMunicipality.objects.get_or_create(agency=agency, refnis=refnis)


def _analyst(username: str, agency: Agency) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, agency=agency, roles=[Role.ANALYST],
                           password=None, first_name="Analyste", last_name="Banc d'essai")
    return user


def set_up() -> dict[str, User]:
    """The three analysts, and the jurisdictions the figures' policy reads."""
    zone = Agency.objects.get(code=ZONE)
    zone_codes = sorted(set(JurisdictionMunicipality.objects.filter(
        agency__kind=AgencyKind.POLICE_ZONE).values_list("refnis", flat=True)))
    _jurisdiction(Agency.objects.get(code=OFFICE), zone_codes)
    programme = Agency.objects.filter(code=PROGRAMME).first()
    if programme is not None:
        _jurisdiction(programme, zone_codes)
    observatory, _created = Agency.objects.get_or_create(code=OBSERVATORY, defaults={
        "name": "Observatoire synthétique (banc d'essai)", "kind": AgencyKind.PLATFORM,
        "languages": ["fr"]})
    _jurisdiction(observatory, THREE_REGIONS)
    return {"zone": _analyst("bench.figures.zone", zone),
            "office": _analyst("bench.figures.office", Agency.objects.get(code=OFFICE)),
            "national": _analyst("bench.figures.national", observatory)}


def last_twelve_months() -> tuple[date, date]:
    """As the dashboard's default: the month twelve months ago up to this month (included)."""
    this = timezone.localdate().replace(day=1)
    end = date(this.year + this.month // 12, this.month % 12 + 1, 1)
    return date(this.year - 1, this.month, 1), end


def dashboard_call(user: User, view: str) -> Callable[[], object]:
    actor = Actor.for_user(user, channel="bench")
    start, end = last_twelve_months()
    filters = dashboard_module.Filters(start=start, end=end, view=view)
    return lambda: dashboard_module.dashboard(actor=actor, filters=filters)


def bare_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM intake_report")
        return cursor.fetchone()[0]


def timed_ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def dashboards(view: str) -> tuple[object, dict, str, int, dict[str, Callable[[], object]]]:
    """What every run times: the last refresh (there must be one), the analysts per level, the
    load before, the number of reports, and the cases: the bare ``COUNT`` (the baseline) and
    the dashboard's selector per level."""
    refresh = last_refresh()
    if refresh is None:
        raise SystemExit("No precomputed counts: run `manage.py figures_refresh` first.")
    users = set_up()
    before = load_average()
    cases: dict[str, Callable[[], object]] = {"COUNT(*) intake_report": bare_count}
    for level, user in users.items():
        cases[f"dashboard(), {level}"] = dashboard_call(user, view)
    return refresh, users, before, bare_count(), cases


def measure(cases: dict[str, Callable[[], object]], *, users: dict, view: str, pages: bool,
            rounds: int, warmup: int, seed: int) -> tuple[dict[str, int], dict[str, list[float]]]:
    """Add the whole page per level (``pages``), then time every case in shuffled rounds (the
    first ``warmup`` dropped): the queries of one call and the samples (ms) of each case."""
    static_root = prepare_static("relais-bench-static")
    overrides = {"STATIC_ROOT": static_root} if static_root else {}
    with override_settings(**overrides):
        if pages:
            url = f"{reverse('figures:dashboard')}?view={view}"
            for level, user in users.items():
                client = verified_client(user)

                def page(client=client) -> object:
                    response = client.get(url, secure=True)
                    assert response.status_code == 200, response.status_code
                    return response
                cases[f"page, {level}"] = page
        queries = {name: captured(call)[0] for name, call in cases.items()}
        samples: dict[str, list[float]] = {name: [] for name in cases}
        rng = random.Random(seed)
        names = list(cases)
        for round_number in range(warmup + rounds):
            rng.shuffle(names)
            for name in names:
                elapsed = timed_ms(cases[name])
                if round_number >= warmup:
                    samples[name].append(elapsed)
    return queries, samples


def print_table(cases: dict, queries: dict[str, int], samples: dict[str, list[float]],
                baseline: str = "COUNT(*) intake_report") -> None:
    """The markdown table: median, p95, p99, max, queries and the ratios to ``baseline``."""
    base_median = statistics.median(samples[baseline])
    base_p95 = percentile(samples[baseline], 0.95)
    print("| case | median (ms) | p95 (ms) | p99 (ms) | max (ms) | queries | "
          "ratio median / COUNT | ratio p95 / COUNT |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in cases:
        values = samples[name]
        median, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"| {name} | {median:.1f} | {p95:.1f} | {percentile(values, 0.99):.1f} | "
              f"{max(values):.1f} | {queries[name]} | {median / base_median:.2f} | "
              f"{p95 / base_p95:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="rounds dropped (default 3)")
    parser.add_argument("--view", default="roadmap",
                        help="the dashboard's set of tables (roadmap, eige, programmes)")
    parser.add_argument("--no-pages", action="store_true", help="the function only")
    parser.add_argument("--refresh", action="store_true",
                        help="first recompute the counts once (figures_refresh) and time it")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    if args.refresh:
        started, cpu = time.perf_counter(), time.process_time()
        refresh_counts()
        print(f"figures_refresh: {time.perf_counter() - started:.1f} s, of which "
              f"{time.process_time() - cpu:.1f} s of this process's CPU", flush=True)
    refresh, users, before, reports, cases = dashboards(args.view)

    queries, samples = measure(cases, users=users, view=args.view, pages=not args.no_pages,
                               rounds=args.rounds, warmup=args.warmup, seed=args.seed)
    print(f"\n### Figures dashboard, {database_label()}, {reports:,} reports\n")
    print(f"{args.rounds} rounds after {args.warmup} warm-up, shuffled; view `{args.view}`, "
          f"the last twelve months; counts computed {refresh.computed_at:%Y-%m-%d %H:%M} "
          f"in {refresh.seconds:.1f} s ({refresh.rows:,} rows); {os.cpu_count()} cores.")
    print(f"Load average (1, 5, 15 min) before: {before}; after: {load_average()}.\n")
    print_table(cases, queries, samples)

if __name__ == "__main__":
    main()
