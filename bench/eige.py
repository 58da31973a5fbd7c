#!/usr/bin/env python
"""Benchmark of the EIGE view of the figures dashboard: precomputed per agency and year
(relais.figures.eige_counts) against the direct count from the records it replaced
(relais.figures.eige_direct) and a bare ``COUNT(*)``, in the same shuffled rounds.

    DATABASE_URL=sqlite:////work/wt-eige/var/bench-eige.sqlite3 RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python manage.py seed_scale --cases 100000
    DATABASE_URL=... .venv/bin/python bench/eige.py --fill          # once: reports, entries
    DATABASE_URL=... .venv/bin/python bench/eige.py --rounds 20 --refresh

``--fill`` gives a ``seed_scale`` database what the EIGE tables count, with the ORM (SQLite or
PostgreSQL; ``bench/figures_fill.py`` does the same in PostgreSQL SQL at 1,000,000): one report
on each case without one, by its zone and officer on its victim and alleged perpetrator
(``seed_scale`` records their sex and date of birth), its facts 0 to 6 hours before the case
was opened (spread over three years), intimate partner violence when the case is a couple or
former couple, one to several forms of violence with the field's frequencies; 37.5 % are
information reports, the others official reports entered at the office the same day or up to
four days later, decided ten days after when that is past: 80 % closed, 20 % pursued (a
hearing, an investigation, a follow-up), 10 % of the pursued with a no-contact measure. Bench
data only: no audit event, timeline entry or share.

Each round times, in a shuffled order, for an analyst of a zone, of an office (district level)
and of a national observatory (as bench/figures.py sets them up), the last twelve months:

- ``COUNT(*) intake_report``, the baseline;
- ``dashboard()`` on the view ``eige`` (scope, catalogue, tables from the precomputed counts,
  audit event) and the same as a page (``GET /figures/?view=eige``, signed in, rendered);
- ``dashboard()`` on demand: the same call with the direct count from the records in place of
  the precomputed counts (what the view did before), for the before/after ratio.

With ``--refresh`` it first recomputes every count once (``figures_refresh``) and times the
EIGE part apart. It prints median, p95, p99 and max per case, the queries of one call, the
ratios to the bare COUNT and of on demand to precomputed, and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import benchlib  # noqa: F401  (first: Django on DATABASE_URL)
from benchlib import database_label, load_average, percentile
from django.db import transaction
from django.utils import timezone
from figures import dashboard_call, dashboards, measure, print_table

from relais.accounts.models import Agency, AgencyKind, User
from relais.cases.models import Case, CaseParticipant, ParticipantRole, Situation
from relais.figures import eige
from relais.figures.aggregates import refresh_counts
from relais.figures.eige_counts import yearly_rows
from relais.figures.eige_direct import direct_eige_tables
from relais.intake.models import Report
from relais.justice.models import Entry, Section

FORMS = (("physical", 0.72, 0.0), ("psychological", 0.55, 0.5), ("verbal", 0.5, 0.8),
         ("sexual", 0.05, 0.0), ("economic", 0.07, 0.04), ("administrative", 0.03, 0.0),
         ("objects", 0.12, 0.1), ("animals", 0.01, 0.0), ("stalking", 0.07, 0.03),
         ("digital_stalking", 0.04, 0.02))
INFORMATION_SHARE = 0.375
BATCH = 5000
IPV = {Situation.COUPLE, Situation.EX_COUPLE}


def _forms(rng: random.Random, official: bool) -> list[str]:
    drawn = [code for code, on_official, on_information in FORMS
             if rng.random() < (on_official if official else on_information)]
    return drawn or ["verbal"]


def fill(seed: int) -> None:
    """One report on each case without one, and the entries of the official ones."""
    rng = random.Random(seed)
    started = time.perf_counter()
    office = Agency.objects.filter(kind=AgencyKind.PROSECUTOR).order_by("pk").first()
    section, _created = Section.objects.get_or_create(agency=office,
                                                      defaults={"name": "Bench section"})
    reader = User.objects.filter(agency=office).order_by("pk").first()
    roles: dict[int, dict[str, int]] = {}
    for case_id, role, person_id in CaseParticipant.objects.filter(
            role__in=(ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR)
    ).values_list("case_id", "role", "person_id").iterator(chunk_size=BATCH):
        roles.setdefault(case_id, {})[role] = person_id
    cases = (Case.objects.exclude(reports__isnull=False).order_by("pk")
             .values_list("pk", "owner_agency_id", "opened_by_id", "opened_at", "situation",
                          "municipality"))
    reports: list[Report] = []
    for pk, zone, officer, opened_at, situation, municipality in cases.iterator(
            chunk_size=BATCH):
        victim = roles.get(pk, {}).get(ParticipantRole.VICTIM)
        if victim is None:
            continue
        official = rng.random() >= INFORMATION_SHARE
        offence_at = opened_at - timedelta(hours=rng.uniform(0, 6))
        reports.append(Report(
            case_id=pk, agency_id=zone, officer_id=officer, victim_id=victim,
            perpetrator_id=roles[pk].get(ParticipantRole.ALLEGED_PERPETRATOR),
            kind="official" if official else "information",
            pv_number=f"BENCH.{pk}" if official else "", source="victim_call",
            offence_at=offence_at, recorded_on=timezone.localdate(offence_at
                                                                  + timedelta(hours=2)),
            municipality=municipality, is_intimate_partner=situation in IPV,
            forms=_forms(rng, official), facts_context="Fictitious bench report.",
            seen_alone="yes", spoke_freely="yes",
            forwarded_to_id=office.pk if official else None,
            forwarded_at=offence_at + timedelta(hours=3) if official else None))
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=BATCH)
    print(f"  reports added: {len(reports):,} in {time.perf_counter() - started:.1f} s",
          flush=True)
    now = timezone.now()
    entries: list[Entry] = []
    for report, forwarded_at in (Report.objects.filter(forwarded_to=office,
                                                       prosecution_entry__isnull=True)
                                 .values_list("pk", "forwarded_at").iterator(chunk_size=BATCH)):
        received = forwarded_at if rng.random() < 0.55 else min(
            forwarded_at + timedelta(days=rng.randint(1, 4)), now)
        decided = received + timedelta(days=10) if received < now - timedelta(days=25) else None
        pursued = decided is not None and rng.random() < 0.2
        entries.append(Entry(
            agency=office, report_id=report, received_at=received, section=section,
            reader=reader, due_on=timezone.localdate(received + timedelta(days=30)),
            decision=(rng.choice(("hearing", "investigation", "follow_up")) if pursued
                      else "closed" if decided else ""),
            measures=["no_contact"] if pursued and rng.random() < 0.1 else [],
            decided_at=decided, decided_by=reader if decided else None))
    with transaction.atomic():
        Entry.objects.bulk_create(entries, batch_size=BATCH)
    print(f"  entries added: {len(entries):,}; done in {time.perf_counter() - started:.1f} s",
          flush=True)


def on_demand(call: Callable[[], object]) -> Callable[[], object]:
    """The same dashboard call, with the direct count from the records in place of the
    precomputed counts: what the EIGE view did before."""
    def run() -> object:
        with mock.patch.object(eige, "eige_tables", direct_eige_tables):
            return call()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fill", action="store_true", help="add the reports and entries")
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="rounds dropped (default 2)")
    parser.add_argument("--refresh", action="store_true",
                        help="first recompute the counts once (figures_refresh) and time it")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if args.fill:
        fill(args.seed)
        return
    if args.refresh:
        started = time.perf_counter()
        rows = yearly_rows()
        eige_seconds = time.perf_counter() - started
        started = time.perf_counter()
        refresh_counts()
        print(f"figures_refresh: {time.perf_counter() - started:.1f} s in all, of which "
              f"EIGE's {eige_seconds:.1f} s ({len(rows):,} rows)", flush=True)
    refresh, users, before, reports, cases = dashboards("eige")
    for level, user in users.items():
        cases[f"dashboard() on demand, {level}"] = on_demand(dashboard_call(user, "eige"))
    queries, samples = measure(cases, users=users, view="eige", pages=True,
                               rounds=args.rounds, warmup=args.warmup, seed=args.seed)
    print(f"\n### EIGE view, {database_label()}, {reports:,} reports\n")
    print(f"{args.rounds} rounds after {args.warmup} warm-up, shuffled; the last twelve months; "
          f"counts computed {refresh.computed_at:%Y-%m-%d %H:%M} in {refresh.seconds:.1f} s "
          f"({refresh.rows:,} rows); {os.cpu_count()} cores.")
    print(f"Load average (1, 5, 15 min) before: {before}; after: {load_average()}.\n")
    print_table(cases, queries, samples)
    print("\n| level | on demand / precomputed, median | p95 |")
    print("|---|---:|---:|")
    for level in users:
        new, old = samples[f"dashboard(), {level}"], samples[f"dashboard() on demand, {level}"]
        print(f"| {level} | {statistics.median(old) / statistics.median(new):.1f} | "
              f"{percentile(old, 0.95) / percentile(new, 0.95):.1f} |")


if __name__ == "__main__":
    main()
