#!/usr/bin/env python
"""Benchmark of the case page at scale: the real view against a bare view of the same rows.

    DATABASE_URL=sqlite:////work/main/var/bench.sqlite3 RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench \\
        .venv/bin/python bench/case_page.py --cases 100000

- "case page": ``relais.cases.views.case_detail`` through the whole stack (middleware, session,
  second factor, access policy, ``selectors.case_get``, audit write, template).
- "bare view": a view defined here, reached through the same client and middleware, that reads
  the same rows (case with owner, participants and persons, phones, addresses, safe contact,
  timeline with its details, shares, consents; the case header and the index of the sections
  other apps add, through ``case_header`` and ``panel_index`` with the owner's access built by
  hand) without access policy or audit and renders the same template.

Both are requested for the same random cases of the bench user's agency, alternately (the
order flips on every pair), after a warm-up. See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import re
import secrets
import statistics
import time

import django  # noqa: E402

# benchlib first: it sets up Django on the bench database.
from benchlib import (  # noqa: E402
    bench_urlconf,
    percentile,
    prepare_database,
    prepare_static,
    verified_client,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from relais.access.cases import CaseAccess  # noqa: E402
from relais.access.models import Consent, Share  # noqa: E402
from relais.access.scopes import OWNER_SCOPES, scope_labels  # noqa: E402
from relais.accounts.models import Agency, Role, User, municipality_name  # noqa: E402
from relais.accounts.services import totp_device_with_secret, user_create  # noqa: E402
from relais.cases.header import case_header  # noqa: E402
from relais.cases.models import ROLE_RANK, Case, CaseParticipant, TimelineEntry  # noqa: E402
from relais.cases.panels import panel_index  # noqa: E402
from relais.cases.selectors import CaseView, _person_view  # noqa: E402
from relais.cases.timeline import attach_details, kind_label  # noqa: E402
from relais.core.actor import actor_from  # noqa: E402

BENCH_AGENCY = "scale-zone-1"
BENCH_USER = "bench.officer"
TARGET_P95_MS = 50.0
TARGET_RATIO = 1.5


# -- the bare view: same rows, same template, no policy, no audit ---------------------------
@login_required
def bare_case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("owner_agency", "opened_by"),
                             pk=case_id)
    # The owning agency's access as the policy would find it, built by hand (no policy query:
    # the bench user's agency owns every case requested).
    owner = CaseAccess(actor=actor_from(request), case=case, scopes=OWNER_SCOPES, is_owner=True)
    participants = (
        CaseParticipant.objects.filter(case=case)
        .select_related("person", "person__safe_contact")
        .prefetch_related("person__phones", "person__addresses", "person__needs")
        .order_by(ROLE_RANK, "id")
    )
    rows = [(participant, _person_view(participant.person, [participant.role], OWNER_SCOPES,
                                       lambda _address: True, True))
            for participant in participants]
    timeline = list(TimelineEntry.objects.filter(case=case).select_related("agency")
                    .order_by("occurred_at", "id"))
    attach_details(timeline)
    shares = list(Share.objects.filter(case=case).select_related(
        "recipient_agency", "recipient_user", "granted_by").order_by("-granted_at"))
    consents = list(Consent.objects.filter(case=case).select_related(
        "person", "recipient_agency").order_by("-obtained_at"))
    view = CaseView(access=owner, participants=rows, timeline=timeline, shares=shares,
                    consents=consents)
    # The case page's summary and its index of sections (each section's rows are loaded when
    # she opens it, by another request: not part of this page).
    return render(request, "cases/case_detail.html", {
        "view": view, "case": case, "access": owner,
        "timeline": [(entry, kind_label(entry.kind)) for entry in timeline],
        "header": case_header(access=owner, participants=rows),
        "panels": panel_index(owner),
        "municipality": municipality_name(case.municipality, request.LANGUAGE_CODE),
        "scope_labels": scope_labels(view.seen_scopes),
    })


# -- set-up ----------------------------------------------------------------------------------


def bench_user() -> User:
    agency = Agency.objects.filter(code=BENCH_AGENCY).first()
    if agency is None:
        raise SystemExit(f"No agency {BENCH_AGENCY}: this database was not filled by seed_scale "
                         "(use a separate DATABASE_URL for the benchmark).")
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_create(username=BENCH_USER, agency=agency,
                           roles=[Role.INTERVENTION_OFFICER], password=None,
                           first_name="Bench", last_name="Synthétique")
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    totp_device_with_secret(user=user, base32_secret=secret, name="bench")
    return user


# -- measuring -------------------------------------------------------------------------------
def fetch(client: Client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, response.content


# Per-render CSRF tokens, and the page's own path (the language form's "next").
MASK = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|name="next" type="hidden" '
                  rb'value=")[^"]+')


def same_page(a: bytes, b: bytes) -> bool:
    return MASK.sub(rb"\1", a) == MASK.sub(rb"\1", b)




def query_count(client: Client, url: str, show: bool = False) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    if show:
        print(f"\n-- queries of GET {url}")
        for query in captured.captured_queries:
            print(f"{query['time']:>7} s  {query['sql'][:300]}")
    return len(captured)


def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    seeding, total = prepare_database(args.cases, args.seed)
    static_root = prepare_static("relais-bench-static")
    user = bench_user()
    owned = list(Case.objects.filter(owner_agency__code=BENCH_AGENCY)
                 .values_list("pk", flat=True))
    rng = random.Random(args.seed)
    ids = [rng.choice(owned) for _ in range(args.warmup + args.requests)]

    urls = bench_urlconf("relais_bench_urls", [
        path("bench/bare/<int:case_id>/", bare_case_detail, name="bench_bare")])
    overrides = {"ROOT_URLCONF": urls.__name__}
    if static_root:
        overrides["STATIC_ROOT"] = static_root
    with override_settings(**overrides):
        client = verified_client(user)
        def policy_url(pk: int) -> str:
            return reverse("cases:case_detail", args=[pk])

        def bare_url(pk: int) -> str:
            return reverse("bench_bare", args=[pk])

        _ms, page = fetch(client, policy_url(ids[0]))
        _ms, bare_page = fetch(client, bare_url(ids[0]))
        identical = same_page(page, bare_page)
        queries = {"policy": query_count(client, policy_url(ids[0]), args.show_queries),
                   "bare": query_count(client, bare_url(ids[0]), args.show_queries)}

        samples: dict[str, list[float]] = {"policy": [], "bare": []}
        for n, pk in enumerate(ids):
            order = ("policy", "bare") if n % 2 == 0 else ("bare", "policy")
            for kind in order:
                url = policy_url(pk) if kind == "policy" else bare_url(pk)
                elapsed, _body = fetch(client, url)
                if n >= args.warmup:
                    samples[kind].append(elapsed)

    stats = {kind: {"median": statistics.median(values), "p95": percentile(values, 0.95),
                    "p99": percentile(values, 0.99), "mean": statistics.fmean(values),
                    "max": max(values)}
             for kind, values in samples.items()}
    ratio_median = stats["policy"]["median"] / stats["bare"]["median"]
    ratio_p95 = stats["policy"]["p95"] / stats["bare"]["p95"]
    report(args, total, seeding, identical, queries, stats, ratio_median, ratio_p95, len(owned))


def report(args, total, seeding, identical, queries, stats, ratio_median, ratio_p95,
           owned) -> None:
    if connection.vendor == "postgresql":
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    elif connection.vendor == "sqlite":
        version = ".".join(str(v) for v in connection.Database.sqlite_version_info)
    else:
        version = ""
    print()
    print(f"### Case page, {connection.vendor} {version}, {total:,} cases")
    print()
    seeded = f"{seeding:.0f} s" if seeding is not None else "data already present"
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; {args.requests} requests each after {args.warmup} warm-up, "
          f"alternated; cases drawn at random among the {owned:,} of {BENCH_AGENCY}; "
          f"seeding: {seeded}.")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {load}.")
    print("Same HTML from both views (CSRF tokens and own path masked): "
          f"{'yes' if identical else 'NO'}.")
    print()
    print("| view | median (ms) | p95 (ms) | p99 (ms) | mean (ms) | max (ms) | queries/request |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    names = {"policy": "case page (policy + audit)", "bare": "bare view (same rows)"}
    for kind in ("policy", "bare"):
        s = stats[kind]
        print(f"| {names[kind]} | {s['median']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | "
              f"{s['mean']:.2f} | {s['max']:.1f} | {queries[kind]} |")
    ratio_p99 = stats["policy"]["p99"] / stats["bare"]["p99"]
    print(f"| ratio policy / bare | {ratio_median:.2f} | {ratio_p95:.2f} | {ratio_p99:.2f} "
          "| | | |")
    print()
    ok_p95 = stats["policy"]["p95"] <= TARGET_P95_MS
    ok_ratio = ratio_median <= TARGET_RATIO and ratio_p95 <= TARGET_RATIO
    print(f"Target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok_p95 else 'MISSED'}; "
          f"ratio <= {TARGET_RATIO}: {'met' if ok_ratio else 'MISSED'}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000,
                        help="cases the database must hold; seeded when fewer (default 100000)")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per view")
    parser.add_argument("--warmup", type=int, default=30, help="warm-up requests per view")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of one request of each view")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
