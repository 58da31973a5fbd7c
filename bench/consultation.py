#!/usr/bin/env python
"""Benchmark of the multi-agency consultation's pages: a meeting (agenda and record) and a plan,
at 200 open cases and 15 member agencies, against the same pages at 20 cases.

    RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench .venv/bin/python bench/consultation.py

(SQLite in ``var/bench-consultation.sqlite3`` unless DATABASE_URL names another database; the
data is built on the first run, through the real services, and reused afterwards.)

The data: a secretariat (a multi-agency platform and its coordinator) and 15 member agencies
(4 police zones, the prosecutor's office, the house of justice, victim support, a shelter, the
CPAS, two youth-aid services, a hospital, a mental-health service, a sexual-violence care
centre, a perpetrator programme), each with one member of staff. Two bodies with the same 15
members: "20" and "200". For each, that many open cases of the zones (a victim, an alleged
perpetrator, a child in one case of two, the victim's home address), each referred by its
zone (one in ten as an emergency), all on one meeting's agenda; the 16 agencies attend; four
agencies contribute on each case (its zone, victim support, the prosecutor, the hospital); each
case is heard (its plan opens, shared with the 15 other agencies) and given three actions (its
zone, victim support, the programme), each a task in that agency's queue. Everything goes
through ``relais.cases.services`` and ``relais.consultation.services`` (audit events, shares,
tasks, notices included): nothing is bulk-inserted.

What is timed, through ``django.test.Client`` and the whole middleware stack, as the body's
coordinator and as the victim-support worker (a participant of every plan):
- "meeting": ``consultation:meeting`` (``selectors.meeting_record``: the agenda with the
  protocol's identification, attendance, each agency's contribution within the reader's scopes,
  the decisions; audit events for every case read) at 20 and at 200 cases;
- "plan": ``consultation:plan`` (``selectors.plan_get``) of a plan of each body;
- "bare": a view defined here that renders ``base.html`` (the page frame and menu) with no
  query of its own: the stack's fixed cost.
Rounds rotate the order of the five requests; the first rounds are dropped. The query count of
each page is taken once at 20 and at 200 cases: they must be equal. The agenda PDF
(``consultation:agenda_pdf``) is counted and timed once at each size.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from datetime import date, timedelta
from pathlib import Path

# A database of its own by default: the data is built once and reused.
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(
    Path(__file__).resolve().parent.parent / "var" / "bench-consultation.sqlite3"))

import django  # noqa: E402

# benchlib next: it sets up Django on the bench database.
from benchlib import (  # noqa: E402
    bench_urlconf,
    database_label,
    load_average,
    percentile,
    prepare_static,
    summary,
    timed,
    verified_client,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.accounts.models import Agency, AgencyKind, Role, User  # noqa: E402
from relais.accounts.services import user_create  # noqa: E402
from relais.cases import services as case_services  # noqa: E402
from relais.cases.models import ParticipantRole  # noqa: E402
from relais.consultation import services  # noqa: E402
from relais.consultation.models import Body, Hearing, Meeting, Plan  # noqa: E402
from relais.core.actor import Actor  # noqa: E402

SIZES = (20, 200)
PREFIX = "bench-consult-"
SECRETARIAT = ("platform", AgencyKind.PLATFORM, Role.PLATFORM_COORDINATOR,
               "Plateforme DIViCo (synthétique)")
# (code, kind, role of its member of staff, name): the 15 members.
MEMBERS = (
    ("zone-1", AgencyKind.POLICE_ZONE, Role.INTERVENTION_OFFICER, "Zone de police 1 (synth.)"),
    ("zone-2", AgencyKind.POLICE_ZONE, Role.INTERVENTION_OFFICER, "Zone de police 2 (synth.)"),
    ("zone-3", AgencyKind.POLICE_ZONE, Role.INTERVENTION_OFFICER, "Zone de police 3 (synth.)"),
    ("zone-4", AgencyKind.POLICE_ZONE, Role.INTERVENTION_OFFICER, "Zone de police 4 (synth.)"),
    ("parquet", AgencyKind.PROSECUTOR, Role.MAGISTRATE, "Parquet (synthétique)"),
    ("mj", AgencyKind.HOUSE_OF_JUSTICE, Role.JUSTICE_ASSISTANT, "Maison de justice (synth.)"),
    ("support", AgencyKind.VICTIM_SUPPORT, Role.SUPPORT_WORKER, "Aide aux victimes (synth.)"),
    ("shelter", AgencyKind.SHELTER, Role.SHELTER_WORKER, "Refuge (synthétique)"),
    ("cpas", AgencyKind.CPAS, Role.SUPPORT_WORKER, "CPAS (synthétique)"),
    ("saj", AgencyKind.YOUTH_AID, Role.SUPPORT_WORKER, "SAJ (synthétique)"),
    ("one", AgencyKind.YOUTH_AID, Role.SUPPORT_WORKER, "ONE (synthétique)"),
    ("hospital", AgencyKind.HEALTH, Role.SUPPORT_WORKER, "Hôpital (synthétique)"),
    ("ssm", AgencyKind.HEALTH, Role.SUPPORT_WORKER, "Santé mentale (synthétique)"),
    ("cpvs", AgencyKind.SEXUAL_VIOLENCE_CENTRE, Role.SUPPORT_WORKER, "CPVS (synthétique)"),
    ("programme", AgencyKind.PERPETRATOR_PROGRAMME, Role.PROGRAMME_COUNSELLOR,
     "Programme auteurs (synth.)"),
)
ZONES = ("zone-1", "zone-2", "zone-3", "zone-4")
CONTRIBUTORS = ("support", "parquet", "hospital")  # with the case's own zone
ACTIONS = (("support", "contact", "Appel hebdomadaire (fictif)"),
           ("programme", "programme", "Entretien d'accueil (fictif)"))  # with a zone patrol
MUNICIPALITIES = ("62063", "62096", "62051", "62003")  # Liège, Seraing, Herstal, Ans
NAME = re.compile(rb"Fictive-(\d{4})")


def body_name(size: int) -> str:
    return f"Bench DIViCo {size} (synthétique)"


# -- the bare view: the page frame, nothing else ------------------------------------------------
@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


# -- building the data through the services -----------------------------------------------------
def staff_of(code: str, agency: Agency, role: str) -> User:
    username = f"{PREFIX}{code}"
    return User.objects.filter(username=username).first() or user_create(
        username=username, agency=agency, roles=[role], password=None, first_name="Agent",
        last_name=f"Synthétique {code}", email=f"{username}@example.invalid")


def agencies() -> dict[str, tuple[Agency, User]]:
    out = {}
    for code, kind, role, name in (SECRETARIAT, *MEMBERS):
        agency, _created = Agency.objects.get_or_create(
            code=PREFIX + code, defaults={"name": name, "kind": kind, "languages": ["fr"],
                                          "arrondissement": "liege"})
        out[code] = (agency, staff_of(code, agency, role))
    return out


def as_actor(user: User) -> Actor:
    return Actor.for_user(User.objects.get(pk=user.pk), ip="127.0.0.1")


def a_case(officer: Actor, n: int) -> int:
    case = case_services.case_open(actor=officer, situation="couple",
                                   municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)])
    victim = case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Aline",
        last_name=f"Fictive-{n:04d}", birth_date=date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
        sex="F")
    case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
        first_name="Marc", last_name=f"Fictif-{n:03d}", birth_date=date(1978 + n % 20, 6, 1))
    if n % 2 == 0:
        case_services.person_add_to_case(
            actor=officer, case_id=case.pk, role=ParticipantRole.CHILD, first_name="Léa",
            last_name=f"Fictif-{n:03d}", birth_date=date(2015 + n % 8, 3, 1))
    case_services.address_add(actor=officer, person_id=victim.person_id,
                              street=f"Rue Synthétique {n}", postcode="4000",
                              municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)])
    return case.pk


def build_body(size: int, cast: dict[str, tuple[Agency, User]]) -> dict[str, float]:
    """One body of 15 members with ``size`` cases heard at one meeting; seconds per step."""
    spent: dict[str, float] = {}
    started = time.perf_counter()
    platform_agency, coordinator_user = cast["platform"]
    body = services.body_create(actor=None, name=body_name(size), agency=platform_agency,
                                area="liege", protocol_reference=f"Protocole bench {size}",
                                coordinator=coordinator_user)
    coordinator = as_actor(coordinator_user)
    for code, *_rest in MEMBERS:
        agency, user = cast[code]
        services.member_save(actor=coordinator, body_id=body.pk, agency_id=agency.pk,
                             representative_id=user.pk, deputy_id=None)
    actors = {code: as_actor(user) for code, (_agency, user) in cast.items()}
    referrals = []
    zone_of: dict[int, str] = {}
    for n in range(size):
        zone = ZONES[n % len(ZONES)]
        case_id = a_case(actors[zone], n)
        zone_of[case_id] = zone
        referrals.append(services.referral_create(
            actor=actors[zone], case_id=case_id, body_id=body.pk,
            concern="Inquiétude professionnelle (fictive).", emergency=n % 10 == 0,
            informed="yes", consents=True, basis="consent", justification="",
            scopes=["contact", "health", "judicial"]))
    spent["cases and referrals"] = time.perf_counter() - started
    started = time.perf_counter()
    meeting = services.meeting_create(actor=coordinator, body_id=body.pk,
                                      starts_at=timezone.now() + timedelta(days=1),
                                      kind="regular", place="Salle du conseil (fictive)")
    services.agenda_add(actor=coordinator, meeting_id=meeting.pk,
                        referral_ids=[r.pk for r in referrals])
    services.attendance_record(actor=coordinator, meeting_id=meeting.pk,
                               present={agency.pk: user.pk for agency, user in cast.values()})
    for hearing in Hearing.objects.filter(meeting=meeting).select_related("referral"):
        for code in (zone_of[hearing.referral.case_id], *CONTRIBUTORS):
            services.contribution_save(
                actor=actors[code], hearing_id=hearing.pk, risk_seen="very_high",
                facts="Faits connus (fictifs).", situation="Situation (fictive).",
                children="Les enfants (fictif).", health="Santé (fictive).")
    spent["agenda and contributions"] = time.perf_counter() - started
    started = time.perf_counter()
    due = timezone.localdate() + timedelta(days=14)
    for hearing in Hearing.objects.filter(meeting=meeting).select_related("referral"):
        plan = services.hearing_record(
            actor=coordinator, hearing_id=hearing.pk, level="very_high",
            decisions="Patrouille deux fois par jour ; interdiction à envisager (fictif).",
            children="SAJ informé ; l'école est attentive (fictif).")
        zone = zone_of[hearing.referral.case_id]
        for code, kind, detail in ((zone, "patrol", "Passage devant le domicile (fictif)"),
                                   *ACTIONS):
            services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=cast[code][0].pk,
                                kind=kind, detail=detail, owner_id=None, due_on=due,
                                priority=2, hearing_id=hearing.pk)
    spent["hearings, plans and actions"] = time.perf_counter() - started
    return spent


def prepare(rebuild_sizes: tuple[int, ...]) -> dict[int, dict[str, float]]:
    call_command("migrate", verbosity=0)
    cast = agencies()
    built = {}
    for size in rebuild_sizes:
        if Body.objects.filter(name=body_name(size)).exists():
            continue
        print(f"Building the body of {size} cases through the services...", flush=True)
        built[size] = build_body(size, cast)
    return built


# -- measuring ----------------------------------------------------------------------------------
def get(client: Client, url: str) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response.content


def urls_of(size: int) -> dict[str, str]:
    body = Body.objects.get(name=body_name(size))
    meeting = Meeting.objects.filter(body=body).order_by("pk").first()
    plan = Plan.objects.filter(body=body).order_by("pk").first()
    return {"meeting": reverse("consultation:meeting", args=[meeting.pk]),
            "plan": reverse("consultation:plan", args=[plan.pk]),
            "agenda PDF": reverse("consultation:agenda_pdf", args=[meeting.pk]) + "?lang=fr"}


def counted(client: Client, url: str, show: bool) -> tuple[int, int, bytes]:
    """(SQL statements, of which inserts of audit events, body) of one request. SQLite takes at
    most 999 parameters a statement: Django splits the bulk insert of the events of a long
    list into several statements (one on PostgreSQL)."""
    with CaptureQueriesContext(connection) as queries:
        body = get(client, url)
    if show:
        print(f"\n-- queries of GET {url}")
        for query in queries.captured_queries:
            print(f"{query['time']:>7} s  {query['sql'][:300]}")
    inserts = sum(1 for q in queries.captured_queries
                  if q["sql"].startswith('INSERT INTO "audit_auditevent"'))
    return len(queries), inserts, body


def measure(client: Client, rounds: int, warmup: int, show: bool) -> dict:
    urls = {size: urls_of(size) for size in SIZES}
    requests = {"bare": "/bench/bare/"}
    for page in ("meeting", "plan"):
        for size in SIZES:
            requests[f"{page}, {size} cases"] = urls[size][page]
    out: dict = {"queries": {}, "audit inserts": {}, "rows": {}, "pdf": {}}
    for url in requests.values():  # the session's first writes, before counting
        get(client, url)
    for name, url in requests.items():
        out["queries"][name], out["audit inserts"][name], html = counted(client, url, show)
        out["rows"][name] = len(set(NAME.findall(html)))
    for size in SIZES:
        url = urls[size]["agenda PDF"]
        queries, inserts, _pdf = counted(client, url, False)
        ms, _pdf = timed(lambda u=url: get(client, u))
        out["pdf"][size] = (queries, inserts, ms)
    names = list(requests)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for n in range(warmup + rounds):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, _html = timed(lambda u=requests[name]: get(client, u))
            if n >= warmup:
                samples[name].append(elapsed)
    out["stats"] = {name: {**summary(values), "p99": percentile(values, 0.99)}
                    for name, values in samples.items()}
    return out


def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    built = prepare(SIZES)
    static_root = prepare_static()
    overrides = {"ROOT_URLCONF": bench_urlconf("relais_bench_consultation_urls", [
        path("bench/bare/", bare, name="bench_bare")]).__name__}
    if static_root:
        overrides["STATIC_ROOT"] = static_root
    readers = {"coordinator": f"{PREFIX}platform", "victim support": f"{PREFIX}support"}
    results = {}
    with override_settings(**overrides):
        for label, username in readers.items():
            print(f"Timing as the {label}: {args.rounds} rounds of 5 requests after "
                  f"{args.warmup}...", flush=True)
            client = verified_client(User.objects.get(username=username))
            results[label] = measure(client, args.rounds, args.warmup, args.show_queries)
    report(args, built, results)


def report(args, built, results) -> None:
    print()
    print(f"### Consultation pages, {database_label()}, 15 member agencies, 20 and 200 cases")
    print()
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; run at {timezone.localtime():%Y-%m-%d %H:%M %Z}; "
          f"{args.rounds} rounds after {args.warmup}; load average at the end (1, 5, 15 min): "
          f"{load_average()}.")
    if built:
        print("Built through the services: " + "; ".join(
            f"{size} cases: " + ", ".join(f"{step} {s:.0f} s" for step, s in steps.items())
            for size, steps in built.items()) + ".")
    else:
        print("Data: reused.")
    for label, result in results.items():
        print()
        print(f"As the {label}:")
        print()
        print("| request | median (ms) | p95 (ms) | p99 (ms) | max (ms) | queries (audit "
              "inserts) | cases shown | ratio median / bare | ratio p95 / bare |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        base = result["stats"]["bare"]
        for name, s in result["stats"].items():
            print(f"| {name} | {s['median']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
                  f"{s['max']:.0f} | {result['queries'][name]} "
                  f"({result['audit inserts'][name]}) | {result['rows'][name]} | "
                  f"{s['median'] / base['median']:.2f} | {s['p95'] / base['p95']:.2f} |")
        stats = result["stats"]
        for page in ("meeting", "plan"):
            small, large = stats[f"{page}, 20 cases"], stats[f"{page}, 200 cases"]
            print(f"\n{page}: 200 cases / 20 cases, median {large['median'] / small['median']:.2f}"
                  f", p95 {large['p95'] / small['p95']:.2f}; queries "
                  f"{constancy(result, f'{page}, 20 cases', f'{page}, 200 cases')}.")
        pdf = result["pdf"]
        print(f"\nagenda PDF (one request each): 20 cases {pdf[20][0]} queries ({pdf[20][1]} "
              f"audit inserts), {pdf[20][2]:.0f} ms; 200 cases {pdf[200][0]} queries "
              f"({pdf[200][1]}), {pdf[200][2]:.0f} ms.")


def constancy(result: dict, small: str, large: str) -> str:
    queries, inserts = result["queries"], result["audit inserts"]
    if queries[small] == queries[large]:
        return "the same"
    if queries[small] - inserts[small] == queries[large] - inserts[large]:
        return "the same but for the audit events' insert, split by SQLite's parameter limit"
    return "DIFFERENT"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100, help="timed rounds of 5 requests")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up rounds")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of each request once")
    args = parser.parse_args()
    if min(args.rounds, args.warmup + 1) < 1:
        parser.error("--rounds must be >= 1")
    run(args)


if __name__ == "__main__":
    main()
