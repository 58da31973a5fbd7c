#!/usr/bin/env python
"""Benchmark of the harassment alarm: from a press of the button to the dispatcher's summary,
over HTTP, with 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:54334/relais_bench_alarm RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/alarm.py

(SQLite in ``var/bench-alarm.sqlite3`` unless DATABASE_URL names another database.)

Per iteration, as the dispatch service account of the device's zone (a dispatcher with an API
token, ``Authorization: Token ...``):

- "activation": ``POST /api/alarms/activations/`` for a random assigned device, with a fresh
  ``at`` and a location (``relais.alarms.api.ActivationApi`` → ``services.activation_receive``:
  the activation, its audit event, the urgent timeline entry, the notice to the dispatchers
  and its e-mail), then ``GET`` the ``summary_api_url`` it answers (``ActivationSummaryApi`` →
  ``selectors.activation_summary``: risk, measures, persons, weapons, last events; an audited
  read). "Activation to summary ready" is the two together, as the dispatch software sees it;
  then the HTML screen ``/alarms/activations/<id>/`` with the same dispatcher's verified
  browser session.
- "unknown device": the same POST with a serial no zone owns (stored, 202, logged, alerted).
- Baseline: ``POST /bench/alarm/device/``, a DRF view defined here, with the same token, body,
  client and middleware, that looks the device up by its serial (unique index) and answers a
  tiny JSON. Also a plain Django view doing the same without authentication (the floor of the
  middleware stack).

The blocks rotate in order every iteration. Two transports: ``django.test.Client`` in this
process (as the other page benchmarks; query counts and the profile come from it), and a live
gunicorn (one sync worker, as in docs/production.md) on loopback, a new TCP connection per
request, as behind the reverse proxy.

The data: the cases of ``seed_scale`` (4 zones), and, built once (idempotent: skipped when the
bench devices exist), risk assessments (the alarm cases and 30 % of the others), an official
report and its prosecution entry on every forwarded case, 560 alarm requests (490 granted with
a device in use, 20 ended, 30 refused, 20 waiting), 520 devices, past activations, residence
bans, detentions, timeline entries, and safe-contact instructions (every alarm victim and a
fifth of the others). See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import platform
import random
import re
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(BENCH_DIR.parent / "var"
                                                         / "bench-alarm.sqlite3"))

import django  # noqa: E402

# benchlib next: it sets up Django on the bench database.
from benchlib import (  # noqa: E402
    bench_urlconf,
    captured,
    database_label,
    load_average,
    percentile,
    prepare_database,
    prepare_static,
    summary,
    verified_client,
)
from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from relais.access.models import Share, ShareKind  # noqa: E402
from relais.access.scopes import OWNER_ONLY, Scope  # noqa: E402
from relais.accounts.authentication import GatewayCredentials  # noqa: E402
from relais.accounts.models import Agency, ApiTokenKind, Role, User  # noqa: E402
from relais.accounts.services import api_token_issue, user_create  # noqa: E402
from relais.alarms import api, selectors, services, views  # noqa: E402
from relais.alarms.models import (  # noqa: E402
    AlarmActivation,
    AlarmAssignment,
    AlarmDevice,
    AlarmRequest,
    Anomaly,
    DeviceStatus,
    RequestStatus,
)
from relais.alarms.rules import alarm_rules  # noqa: E402
from relais.cases.models import (  # noqa: E402
    Case,
    CaseParticipant,
    ContactChannel,
    NeverDo,
    ParticipantRole,
    SafeContactInstructions,
    TimelineEntry,
)
from relais.intake.models import Report  # noqa: E402
from relais.justice.models import Decision, Entry, Measure, Section  # noqa: E402
from relais.measures.models import Detention, DetentionKind, ResidenceBan  # noqa: E402
from relais.measures.rules import ban_rules  # noqa: E402
from relais.notifications.models import Notice  # noqa: E402
from relais.risk.instruments import instrument_get  # noqa: E402
from relais.risk.models import RiskAssessment  # noqa: E402

ZONES = ("scale-zone-1", "scale-zone-2", "scale-zone-3", "scale-zone-4")
PROSECUTOR = "scale-parquet-1"
STAFF = "bench.alarm."  # dispatchers: bench.alarm.z1.dispatch ...
SERIAL = "BENCH-BTN-"  # the bench devices: BENCH-BTN-1-0001 ...
UNKNOWN_SERIAL = "BENCH-NOSUCH-"
ACTIVATIONS_URL = "/api/alarms/activations/"
BARE_URL = "/bench/alarm/device/"
PLAIN_URL = "/bench/alarm/plain-device/"
CHECKLIST, GRID = "counter_checklist", "police_grid"
# The alarm cases, by what became of the request (490 buttons in use, as at national launch).
ALARMS = (("active", 490), ("returned", 6), ("back", 14), ("refused", 30), ("waiting", 20))
SPARE_DEVICES, BROKEN_DEVICES = 6, 4  # besides those of the requests: in stock, out of service
SCREENED, GRADED = 0.20, 0.10  # other cases: a counter checklist only; checklist and grid
BANS_ELSEWHERE = 3000  # expired residence bans on other forwarded cases
WEAPON_TEXT = "Fictif : un fusil de chasse chez sa mère (banc d'essai)"
CHUNK = 20_000
STATIC_ENV = "RELAIS_BENCH_ALARM_STATIC"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


# -- the baselines: the device by its serial, a tiny JSON -----------------------------------
class BareDevice(APIView):
    """The same authentication (token), body, client and middleware as the activation API;
    one indexed lookup of the device."""

    permission_classes = [GatewayCredentials]

    def post(self, request: Request) -> Response:
        serial = str(request.data.get("device", "")).strip()
        device = AlarmDevice.objects.filter(serial=serial).values("pk", "status").first()
        if device is None:
            return Response({"id": None}, status=404)
        return Response({"id": device["pk"], "status": device["status"]})


@csrf_exempt
def plain_device(request: HttpRequest) -> JsonResponse:
    """The floor: the same lookup in a plain Django view, no DRF, no authentication."""
    serial = str(json.loads(request.body or b"{}").get("device", "")).strip()
    device = AlarmDevice.objects.filter(serial=serial).values("pk", "status").first()
    if device is None:
        return JsonResponse({"id": None}, status=404)
    return JsonResponse({"id": device["pk"], "status": device["status"]})


def urlconf() -> str:
    return bench_urlconf("relais_bench_alarm_urls", [
        path(BARE_URL.lstrip("/"), BareDevice.as_view()),
        path(PLAIN_URL.lstrip("/"), plain_device)]).__name__


def wsgi_application():
    """For the live server: ``gunicorn --chdir bench 'alarm:wsgi_application()'``."""
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = urlconf()
    if os.environ.get(STATIC_ENV):
        settings.STATIC_ROOT = os.environ[STATIC_ENV]
    if os.environ.get("RELAIS_EMAIL_PORT") is None:
        settings.EMAIL_BACKEND = LOCMEM
    return get_wsgi_application()


# -- staff -----------------------------------------------------------------------------------
@dataclass
class Zone:
    agency: Agency
    number: int
    dispatcher: User
    token: str  # the alarm gateway's: posts presses
    reader_token: str  # the dispatcher's personal token: reads summaries
    reference: User  # IPV reference officer (seed_scale): requests, assigns, returns
    officer: User  # intervention officer (seed_scale): reports, assessments, bans


def zones() -> tuple[dict[int, Zone], Agency, User]:
    """The seeded zones with a dispatcher each (role dispatcher, an API token, an e-mail)."""
    out = {}
    for number, code in enumerate(ZONES, start=1):
        agency = Agency.objects.get(code=code)
        name = f"{STAFF}z{number}.dispatch"
        user = User.objects.filter(username=name).first()
        if user is None:
            user = user_create(username=name, agency=agency, roles=[Role.DISPATCHER],
                               password=None, first_name="Dispatch",
                               last_name=f"Synthétique {number}",
                               email=f"{name}@example.invalid")
        _gateway, token = api_token_issue(actor=None, user=user, kind=ApiTokenKind.GATEWAY,
                                          issued_by="bench/alarm.py")
        _personal, reader_token = api_token_issue(actor=None, user=user, issued_by="bench")
        out[agency.pk] = Zone(
            agency=agency, number=number, dispatcher=user, token=token,
            reader_token=reader_token,
            reference=User.objects.get(username=f"scale.zone{number}.reference"),
            officer=User.objects.get(username=f"scale.zone{number}.intervention"))
    return (out, Agency.objects.get(code=PROSECUTOR),
            User.objects.get(username="scale.magistrate"))


# -- the stored data -------------------------------------------------------------------------
@contextmanager
def explicit_dates(*fields: tuple[type, str]) -> Iterator[None]:
    """Let ``bulk_create`` keep the dates we set in ``auto_now_add`` fields."""
    saved = []
    for model, name in fields:
        model_field = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now_add))
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, value in saved:
            model_field.auto_now_add = value


def answer_pool(code: str, rng: random.Random, yes: float, count: int = 400,
                keep: Callable[[dict], bool] = lambda row: True) -> list[dict]:
    """Random complete answer sets of an instrument, scored by the instrument itself."""
    instrument = instrument_get(code)
    pool: list[dict] = []
    while len(pool) < count:
        answers = {item.code: rng.choices(("yes", "no", "unknown"), (yes, 0.9 - yes, 0.1))[0]
                   for item in instrument.items}
        evaluation = instrument.evaluate(answers)
        row = {"answers": answers, "score": evaluation.score,
               "max_score": evaluation.max_score, "computed_level": evaluation.level,
               "critical_signals": list(evaluation.critical),
               "unknown_items": list(evaluation.unknown)}
        if keep(row):
            pool.append(row)
    return pool


@dataclass
class AlarmCase:
    case_id: int
    zone: Zone
    fate: str  # active, returned, back, refused, waiting
    victim: int = 0
    perpetrator: int | None = None
    opened: object = None
    forwarded: object = None
    grid: RiskAssessment | None = None


def assessment(code: str, scored: dict, *, case_id: int, person_id: int, zone: Zone,
               at) -> RiskAssessment:
    instrument = instrument_get(code)
    days = instrument.level(scored["computed_level"]).reassess_days
    return RiskAssessment(
        case_id=case_id, person_id=person_id, instrument_code=code,
        instrument_version=instrument.version, scope=instrument.scope, assessor=zone.officer,
        agency=zone.agency, **scored, final_level=scored["computed_level"], assessed_at=at,
        next_reassessment=timezone.localdate(at) + timedelta(days=days))


def choose_alarm_cases(zone_of: dict[int, Zone], prosecutor: Agency, rng: random.Random
                       ) -> tuple[dict[int, AlarmCase], dict[int, object]]:
    """Alarm cases among the forwarded cases opened at least 4 months ago, spread over the
    zones; (alarm cases, forwarding date of every forwarded case)."""
    forwarded: dict[int, object] = {}
    candidates: dict[int, list[int]] = defaultdict(list)
    old = timezone.now() - timedelta(days=120)
    for case_id, owner, granted, opened in (
            Share.objects.filter(kind=ShareKind.JUDICIAL_FORWARDING, recipient_agency=prosecutor,
                                 case__owner_agency_id__in=list(zone_of))
            .order_by("case_id").values_list("case_id", "case__owner_agency_id", "granted_at",
                                              "case__opened_at")):
        forwarded[case_id] = granted
        if opened < old:
            candidates[owner].append(case_id)
    fates = [fate for fate, count in ALARMS for _n in range(count)]
    zone_ids = sorted(zone_of)
    wanted: dict[int, list[str]] = defaultdict(list)
    for index, fate in enumerate(fates):
        wanted[zone_ids[index % len(zone_ids)]].append(fate)
    chosen = {}
    for zone_id, zone_fates in wanted.items():
        if len(candidates[zone_id]) < len(zone_fates):
            raise SystemExit(f"Too few forwarded cases in {zone_of[zone_id].agency.code} for "
                             f"{len(zone_fates)} alarm requests: seed more cases.")
        for case_id, fate in zip(rng.sample(candidates[zone_id], len(zone_fates)), zone_fates,
                                 strict=True):
            chosen[case_id] = AlarmCase(case_id=case_id, zone=zone_of[zone_id], fate=fate)
    return chosen, forwarded


def build(zone_of: dict[int, Zone], prosecutor: Agency, magistrate: User, seed: int
          ) -> Counter:
    """Everything the alarm path reads, at scale, in one transaction."""
    rng = random.Random(seed)
    now = timezone.now()
    sizes: Counter = Counter()
    section, _created = Section.objects.get_or_create(
        agency=prosecutor, name="Section synthétique (banc d'essai)")
    section.readers.add(magistrate)
    pools = {CHECKLIST: answer_pool(CHECKLIST, rng, 0.15), GRID: answer_pool(GRID, rng, 0.15)}
    grid = instrument_get(GRID)
    severe = answer_pool(GRID, rng, 0.45, 600,
                         keep=lambda row: grid.rank(row["computed_level"]) >= 2)
    for row in severe[::2]:  # half of them: a weapon
        row["answers"] = {**row["answers"], "weapons": "yes"}
        evaluation = grid.evaluate(row["answers"])
        row.update(score=evaluation.score, computed_level=evaluation.level,
                   critical_signals=list(evaluation.critical))
    alarm_of, forwarded = choose_alarm_cases(zone_of, prosecutor, rng)
    pks = list(Case.objects.filter(owner_agency_id__in=list(zone_of)).order_by("pk")
               .values_list("pk", flat=True))
    decisions = ((Decision.CLOSED, 40), (Decision.FOLLOW_UP, 35), (Decision.HEARING, 15),
                 (Decision.INVESTIGATION, 10))
    for start in range(0, len(pks), CHUNK):
        low, high = pks[start], pks[min(start + CHUNK, len(pks)) - 1]
        people: dict[int, dict[str, int]] = defaultdict(dict)
        for case_id, role, person_id in CaseParticipant.objects.filter(
                case_id__gte=low, case_id__lte=high,
                role__in=[ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR]
        ).values_list("case_id", "role", "person_id"):
            people[case_id].setdefault(role, person_id)
        assessments: list[RiskAssessment] = []
        reports: list[Report] = []
        for pk, owner, opened in (Case.objects.filter(pk__gte=low, pk__lte=high,
                                                      owner_agency_id__in=list(zone_of))
                                  .values_list("pk", "owner_agency_id", "opened_at")):
            zone, victim = zone_of[owner], people[pk].get(ParticipantRole.VICTIM)
            alarm = alarm_of.get(pk)
            draw = rng.random()
            if victim is not None and (alarm or draw < SCREENED + GRADED):
                checked = opened + timedelta(hours=rng.uniform(0.5, 6))
                assessments.append(assessment(CHECKLIST, rng.choice(pools[CHECKLIST]),
                                              case_id=pk, person_id=victim, zone=zone,
                                              at=checked))
                if alarm or draw >= SCREENED:
                    graded = min(checked + timedelta(days=rng.uniform(1, 10)), now)
                    scored = rng.choice(severe if alarm else pools[GRID])
                    assessments.append(assessment(GRID, scored, case_id=pk, person_id=victim,
                                                  zone=zone, at=graded))
                    if alarm:
                        alarm.grid = assessments[-1]
            if alarm:
                alarm.victim = victim
                alarm.perpetrator = people[pk].get(ParticipantRole.ALLEGED_PERPETRATOR)
                alarm.opened, alarm.forwarded = opened, forwarded[pk]
            if pk in forwarded and victim is not None:
                reports.append(Report(
                    case_id=pk, agency=zone.agency, officer=zone.officer, victim_id=victim,
                    perpetrator_id=people[pk].get(ParticipantRole.ALLEGED_PERPETRATOR),
                    kind="official", source="victim_call",
                    offence_at=opened - timedelta(hours=rng.uniform(1, 48)),
                    recorded_on=timezone.localdate(opened), postcode="1050",
                    seen_alone="yes", spoke_freely="yes", is_intimate_partner=True,
                    risk_weapons=WEAPON_TEXT if alarm and rng.random() < 0.4 else "",
                    forwarded_to=prosecutor, forwarded_at=forwarded[pk], created_at=opened))
        with explicit_dates((RiskAssessment, "assessed_at"), (Report, "created_at")):
            RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
            Report.objects.bulk_create(reports, batch_size=2000)
        entries = []
        for report in reports:
            received = report.forwarded_at
            entry = Entry(agency=prosecutor, report=report, received_at=received,
                          section=section, reader=magistrate,
                          due_on=timezone.localdate(received) + timedelta(days=30))
            if report.case_id in alarm_of:
                entry.decision, entry.measures = Decision.FOLLOW_UP, [
                    Measure.NO_CONTACT, Measure.HARASSMENT_ALARM]
            elif received < now - timedelta(days=40) and rng.random() < 0.85:
                entry.decision = rng.choices(*zip(*decisions, strict=True))[0]
                if entry.decision != Decision.CLOSED and rng.random() < 0.4:
                    entry.measures = [rng.choice((Measure.NO_CONTACT,
                                                  Measure.CONTACT_CONDITIONS))]
            if entry.decision:
                entry.decided_at = min(received + timedelta(days=rng.uniform(2, 30)), now)
                entry.decided_by = magistrate
            entries.append(entry)
        Entry.objects.bulk_create(entries, batch_size=2000)
        sizes.update({"risk assessments": len(assessments), "reports": len(reports),
                      "prosecution entries": len(entries)})
        done = min(start + CHUNK, len(pks))
        if done % 100_000 < CHUNK:
            print(f"  {done:>9,}/{len(pks):,} cases", flush=True)
    sizes += alarms(alarm_of, forwarded, zone_of, prosecutor, magistrate, rng, now)
    return sizes


def review_dates(paired, today) -> tuple[object, object]:
    """(last review or None, next review due) for an alarm paired on ``paired``."""
    every = alarm_rules().review_every_months
    due, reviewed = services.add_months(paired, every), None
    while due < today:
        reviewed, due = due, services.add_months(due, every)
    return reviewed, due


def alarms(alarm_of: dict[int, AlarmCase], forwarded: dict[int, object],
           zone_of: dict[int, Zone], prosecutor: Agency, magistrate: User, rng: random.Random,
           now) -> Counter:
    """Requests, devices, assignments, past activations, bans, detentions and timeline."""
    rules, today = alarm_rules(), timezone.localdate()
    cases = sorted(alarm_of.values(), key=lambda a: a.case_id)
    timeline: list[TimelineEntry] = []

    def event(alarm: AlarmCase, kind: str, at, summary: str, scope: str | None = None,
              source: str = "") -> None:
        if scope is None:  # as the services write them
            scope = services.ALARM_TIMELINE_SCOPE if kind.startswith("alarm_") \
                else Scope.JUDICIAL
        timeline.append(TimelineEntry(case_id=alarm.case_id, occurred_at=at, kind=kind,
                                      scope=scope, agency=alarm.zone.agency, summary=summary,
                                      source_type=source))

    requests = []
    for alarm in cases:
        asked = min(alarm.grid.assessed_at + timedelta(days=rng.uniform(1, 5)),
                    now - timedelta(days=60))
        if alarm.fate == "waiting":
            asked = now - timedelta(days=rng.uniform(1, 10))
        request = AlarmRequest(
            case_id=alarm.case_id, victim_id=alarm.victim, perpetrator_id=alarm.perpetrator,
            agency=alarm.zone.agency, requested_by=alarm.zone.reference, requested_at=asked,
            assessment=alarm.grid, criteria_version=rules.version,
            criteria={c.code: "yes" if c.required or rng.random() < 0.7 else "unknown"
                      for c in rules.criteria},
            motivation="Fictif : il l'attend devant son travail (banc d'essai).",
            prosecutor_office=prosecutor)
        if alarm.fate != "waiting":
            request.decided_by, request.decided_at = magistrate, asked + timedelta(
                days=rng.uniform(0.2, 4))
            request.status = RequestStatus.REFUSED if alarm.fate == "refused" \
                else RequestStatus.GRANTED
            request.decision_reasons = ("Critères non remplis (synthétique)." if alarm.fate
                                        == "refused" else "Harcèlement mettant la vie en danger "
                                        "(synthétique).")
        requests.append(request)
        event(alarm, "risk_assessed", alarm.grid.assessed_at, "Grille de risque policière")
        event(alarm, "prosecution_decision", alarm.forwarded + timedelta(days=2),
              "Suivi — pas de contact, alarme harcèlement")
        event(alarm, "alarm_requested", asked, "Alarme harcèlement demandée",
              source="alarms.alarmrequest")
        if request.decided_at:
            event(alarm, "alarm_decided", request.decided_at, "Alarme harcèlement "
                  + ("refusée" if alarm.fate == "refused" else "accordée"),
                  source="alarms.alarmrequest")
        for _n in range(rng.randint(0, 3)):
            event(alarm, "note_added", alarm.opened + timedelta(days=rng.uniform(1, 100)),
                  "Note synthétique (banc d'essai).", scope=rng.choice(("", Scope.JUDICIAL)))
        for _n in range(rng.randint(0, 2)):
            event(alarm, "followup_contact", alarm.opened + timedelta(days=rng.uniform(1, 60)),
                  "Contact de suivi : joint", scope=OWNER_ONLY)
    with explicit_dates((AlarmRequest, "requested_at")):
        AlarmRequest.objects.bulk_create(requests)

    devices, holders = [], []  # holders: (device, request, alarm) of the assignments
    count: Counter = Counter()
    for request, alarm in zip(requests, cases, strict=True):
        if alarm.fate in ("refused", "waiting"):
            continue
        count[alarm.zone.number] += 1
        status = {"active": DeviceStatus.ASSIGNED, "returned": DeviceStatus.RETURNED,
                  "back": DeviceStatus.IN_STOCK}[alarm.fate]
        device = AlarmDevice(agency=alarm.zone.agency, status=status,
                             serial=f"{SERIAL}{alarm.zone.number}-{count[alarm.zone.number]:04d}",
                             model="Bouton synthétique v2")
        devices.append(device)
        holders.append((device, request, alarm))
    for n in range(SPARE_DEVICES + BROKEN_DEVICES):
        zone = zone_of[sorted(zone_of)[n % len(zone_of)]]
        count[zone.number] += 1
        devices.append(AlarmDevice(
            agency=zone.agency, serial=f"{SERIAL}{zone.number}-{count[zone.number]:04d}",
            model="Bouton synthétique v2",
            status=DeviceStatus.IN_STOCK if n < SPARE_DEVICES else DeviceStatus.OUT_OF_SERVICE))
    AlarmDevice.objects.bulk_create(devices)

    assignments, presses, bans, detentions = [], [], [], []
    for device, request, alarm in holders:
        assigned = request.decided_at + timedelta(days=rng.uniform(1, 5))
        paired = timezone.localdate(assigned)
        reviewed, due = review_dates(paired, today)
        assignment = AlarmAssignment(
            device=device, request=request, case_id=alarm.case_id,
            assigned_by=alarm.zone.reference, assigned_at=assigned, paired_on=paired,
            review_due=due, reviewed_at=None if reviewed is None else assigned.replace(
                year=reviewed.year, month=reviewed.month, day=reviewed.day))
        event(alarm, "alarm_assigned", assigned, "Alarme harcèlement remise et couplée",
              source="alarms.alarmassignment")
        end = now
        if alarm.fate in ("returned", "back"):
            end = now - timedelta(days=rng.uniform(3, 30))
            request.status, request.ended_at = RequestStatus.ENDED, end
            request.end_reason = "Révision : plus nécessaire (synthétique)."
            event(alarm, "alarm_ended", end, "Alarme harcèlement terminée",
                  source="alarms.alarmrequest")
            if alarm.fate == "back":
                assignment.returned_at = end + timedelta(days=rng.uniform(1, 3))
                assignment.returned_by = alarm.zone.reference
        assignments.append(assignment)
        for _n in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
            pressed = assigned + (end - assigned) * rng.random()
            presses.append((assignment, alarm, pressed))
    with explicit_dates((AlarmAssignment, "assigned_at")):
        AlarmAssignment.objects.bulk_create(assignments)
    AlarmRequest.objects.bulk_update([r for r in requests if r.status == RequestStatus.ENDED],
                                     ["status", "ended_at", "end_reason"])

    activations = []
    for assignment, alarm, pressed in presses:
        handled = pressed + timedelta(minutes=rng.uniform(2, 20))
        activations.append(AlarmActivation(
            serial=assignment.device.serial, device=assignment.device, assignment=assignment,
            case_id=alarm.case_id, agency=alarm.zone.agency, received_from=alarm.zone.agency,
            received_by=alarm.zone.dispatcher, occurred_at=pressed,
            received_at=pressed + timedelta(seconds=1),
            latitude=round(50.80 + rng.random() / 10, 6),
            longitude=round(4.30 + rng.random() / 10, 6), accuracy_m=rng.randint(5, 60),
            handled_at=handled, handled_by=alarm.zone.dispatcher))
        event(alarm, "alarm_activated", pressed, "URGENT : l'alarme harcèlement a été pressée",
              source="alarms.alarmactivation")
    for n in range(20):  # unknown buttons, answered and handled
        zone = zone_of[sorted(zone_of)[n % len(zone_of)]]
        pressed = now - timedelta(days=rng.uniform(1, 300))
        activations.append(AlarmActivation(
            serial=f"{UNKNOWN_SERIAL}{n}", agency=zone.agency, received_from=zone.agency,
            received_by=zone.dispatcher, occurred_at=pressed,
            received_at=pressed + timedelta(seconds=1), anomaly=Anomaly.UNKNOWN_DEVICE,
            handled_at=pressed + timedelta(minutes=5), handled_by=zone.dispatcher))
    with explicit_dates((AlarmActivation, "received_at")):
        AlarmActivation.objects.bulk_create(activations)

    version = ban_rules().version
    others = [pk for pk in forwarded if pk not in alarm_of]
    perpetrators = CaseParticipant.objects.filter(
        case_id__in=rng.sample(others, min(BANS_ELSEWHERE, len(others))),
        role=ParticipantRole.ALLEGED_PERPETRATOR).order_by("case_id").values_list(
        "case_id", "person_id", "case__owner_agency_id")
    banned = [(alarm.case_id, alarm.perpetrator, alarm.zone, rng.random() < 1 / 3)
              for alarm in cases if alarm.perpetrator and rng.random() < 0.15]
    banned += [(pk, person, zone_of[owner], False) for pk, person, owner in perpetrators]
    for case_id, person, zone, in_force in banned:
        starts = now - timedelta(days=2) if in_force else forwarded[case_id] + timedelta(
            hours=rng.uniform(2, 48))
        bans.append(ResidenceBan(
            case_id=case_id, perpetrator_id=person, ordered_by_agency=zone.agency,
            ordered_by=zone.officer, ordered_at=starts, starts_at=starts,
            ends_at=starts + timedelta(days=10), ordered_ends_at=starts + timedelta(days=10),
            rules_version=version, grounds="Faits synthétiques (banc d'essai).",
            serving_agency=zone.agency, served_at=starts))
    for alarm in cases:
        if alarm.perpetrator and alarm.fate == "active" and rng.random() < 0.08:
            released = rng.random() < 0.5
            detentions.append(Detention(
                case_id=alarm.case_id, person_id=alarm.perpetrator,
                kind=DetentionKind.ARREST_WARRANT, since=now - timedelta(days=rng.uniform(20, 60)),
                recorded_by=alarm.zone.officer, recorded_by_agency=alarm.zone.agency,
                recorded_at=now - timedelta(days=19),
                released_at=now - timedelta(days=rng.uniform(1, 15)) if released else None,
                conditions=["no_contact"] if released else []))
    with explicit_dates((ResidenceBan, "ordered_at"), (Detention, "recorded_at")):
        ResidenceBan.objects.bulk_create(bans)
        Detention.objects.bulk_create(detentions)
    TimelineEntry.objects.bulk_create(timeline, batch_size=2000)
    return Counter({"alarm requests": len(requests), "devices": len(devices),
                    "assignments": len(assignments), "past activations": len(activations),
                    "residence bans": len(bans), "detentions": len(detentions),
                    "alarm timeline entries": len(timeline)})


def safe_contacts(zone_of: dict[int, Zone], seed: int) -> Counter:
    """Safe-contact instructions for every victim with an alarm request and a fifth of the
    other victims."""
    rng = random.Random(seed + 7)
    alarm_victims = set(AlarmRequest.objects.filter(agency_id__in=list(zone_of))
                        .values_list("victim_id", flat=True))
    victims = CaseParticipant.objects.filter(
        role=ParticipantRole.VICTIM, case__owner_agency_id__in=list(zone_of)
    ).order_by("person_id").values_list("person_id", flat=True)
    rows = []
    for person_id in victims.iterator(chunk_size=CHUNK):
        if person_id in alarm_victims or rng.random() < 0.2:
            rows.append(SafeContactInstructions(
                person_id=person_id, channel=rng.choice(ContactChannel.values),
                hours=rng.choice(("9-12", "en semaine 14-16", "")),
                can_speak_freely=rng.choice(("yes", "no", "unknown")),
                never=rng.sample(NeverDo.values, rng.randint(0, 2)),
                notes="Consigne synthétique (banc d'essai)." if rng.random() < 0.3 else ""))
    SafeContactInstructions.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return Counter({"safe-contact instructions": len(rows)})


def prepare_alarms(zone_of: dict[int, Zone], prosecutor: Agency, magistrate: User, seed: int
                   ) -> tuple[float | None, Counter]:
    """Each step once (idempotent): skipped when its data is there."""
    started, sizes = time.perf_counter(), Counter()
    if not AlarmDevice.objects.filter(serial__startswith=SERIAL).exists():
        print("Building the assessments, reports, prosecution entries and alarms...",
              flush=True)
        with transaction.atomic():
            sizes += build(zone_of, prosecutor, magistrate, seed)
    if not SafeContactInstructions.objects.filter(person_id__in=AlarmRequest.objects.filter(
            agency_id__in=list(zone_of)).values("victim_id")).exists():
        print("Writing the safe-contact instructions...", flush=True)
        with transaction.atomic():
            sizes += safe_contacts(zone_of, seed)
    if not sizes:
        return None, sizes
    if connection.vendor == "postgresql":  # what autovacuum would do after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started, sizes


# -- transports ------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class InProcess:
    """``django.test.Client``: the whole middleware stack, no WSGI server, no socket."""

    label = "django.test.Client (in process)"

    def __init__(self, browsers: dict[int, Client]) -> None:
        self.api = Client(HTTP_HOST="localhost")
        self.browsers = browsers  # verified sessions of the zones' dispatchers

    def post(self, url: str, body: dict, token: str | None) -> Answer:
        extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        response = self.api.post(url, data=json.dumps(body), content_type="application/json",
                                 secure=True, **extra)
        return Answer(response.status_code, response.content)

    def get(self, url: str, *, token: str | None = None, zone: int | None = None) -> Answer:
        if token:
            response = self.api.get(url, secure=True, HTTP_AUTHORIZATION=f"Token {token}")
        else:
            response = self.browsers[zone].get(url, secure=True)
        return Answer(response.status_code, response.content)


class Live:
    """A gunicorn sync worker on loopback; one TCP connection per request (sync workers do not
    keep connections alive), ``X-Forwarded-Proto: https`` as from the TLS proxy."""

    label = "gunicorn, 1 sync worker, loopback TCP (live)"

    def __init__(self, port: int, sessions: dict[int, str]) -> None:
        self.port = port
        self.sessions = sessions  # session keys of the zones' dispatchers

    def _send(self, method: str, url: str, body: bytes | None, headers: dict) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, url, body=body, headers={
                "Host": "localhost", "X-Forwarded-Proto": "https", **headers})
            response = conn.getresponse()
            return Answer(response.status, response.read())
        finally:
            conn.close()

    def post(self, url: str, body: dict, token: str | None) -> Answer:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        return self._send("POST", url, json.dumps(body).encode(), headers)

    def get(self, url: str, *, token: str | None = None, zone: int | None = None) -> Answer:
        headers = {"Authorization": f"Token {token}"} if token else {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.sessions[zone]}"}
        return self._send("GET", url, None, headers)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(static_root: str | None, mail_port: int | None) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, STATIC_ENV: static_root or ""}
    if mail_port:
        env.update(RELAIS_EMAIL_HOST="127.0.0.1", RELAIS_EMAIL_PORT=str(mail_port))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--chdir", str(BENCH_DIR), "--pythonpath", str(BENCH_DIR), "--log-level", "warning",
         "alarm:wsgi_application()"], env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message (EHLO, MAIL, RCPT, DATA, QUIT)."""

    received = 0

    def handle(self) -> None:
        self.wfile.write(b"220 bench ESMTP\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    type(self).received += 1
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@contextmanager
def smtp_sink() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


# -- measuring -------------------------------------------------------------------------------
@dataclass
class Fleet:
    active: list[tuple[str, int]]  # (serial, zone id) of the devices in use
    zone_of: dict[int, Zone]


def press_body(serial: str, rng: random.Random) -> dict:
    return {"device": serial, "at": timezone.now().isoformat(),
            "latitude": round(50.80 + rng.random() / 10, 6),
            "longitude": round(4.30 + rng.random() / 10, 6), "accuracy_m": rng.randint(5, 60)}


def expect(answer: Answer, status: int, what: str) -> Answer:
    if answer.status != status:
        raise SystemExit(f"{what}: answered {answer.status}, expected {status}: "
                         f"{answer.body[:300]!r}")
    return answer


REQUESTS = ("activation POST", "summary GET (JSON)", "activation to summary ready",
            "summary page (HTML)", "unknown device POST", "bare: device by serial (token)",
            "plain view: device by serial (no auth)")


def one_round(transport, fleet: Fleet, rng: random.Random, order: list[str],
              clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """One of each block, in ``order``; milliseconds per request."""
    out: dict[str, float] = {}
    for block in order:
        serial, zone_id = rng.choice(fleet.active)
        zone = fleet.zone_of[zone_id]
        if block == "activation":
            started = clock()
            posted = expect(transport.post(ACTIVATIONS_URL, press_body(serial, rng), zone.token),
                            201, "activation")
            links = posted.json()
            mid = clock()
            expect(transport.get(links["summary_api_url"], token=zone.reader_token), 200,
                   "summary")
            got = clock()
            expect(transport.get(links["summary_url"], zone=zone_id), 200, "summary page")
            end = clock()
            # The summary in the POST's answer (since issue 14): ready with the answer; the GET
            # is still timed (the software that follows summary_api_url).
            ready = mid if links.get("summary") else got
            out["activation POST"] = (mid - started) * 1000
            out["summary GET (JSON)"] = (got - mid) * 1000
            out["activation to summary ready"] = (ready - started) * 1000
            out["summary page (HTML)"] = (end - got) * 1000
        elif block == "unknown":
            started = clock()
            expect(transport.post(ACTIVATIONS_URL, press_body(f"{UNKNOWN_SERIAL}{zone.number}",
                                                              rng), zone.token), 202, "unknown")
            out["unknown device POST"] = (clock() - started) * 1000
        elif block == "bare":
            started = clock()
            expect(transport.post(BARE_URL, press_body(serial, rng), zone.token), 200, "bare")
            out["bare: device by serial (token)"] = (clock() - started) * 1000
        else:
            started = clock()
            expect(transport.post(PLAIN_URL, press_body(serial, rng), None), 200, "plain")
            out["plain view: device by serial (no auth)"] = (clock() - started) * 1000
    return out


BLOCKS = ["activation", "bare", "unknown", "plain"]


def tidy(fleet: Fleet) -> None:
    """As the dispatchers do (untimed): the activations handled, their notices acknowledged,
    so that the menu's badges count a handful, not every press of every run."""
    now = timezone.now()
    for zone_id, zone in fleet.zone_of.items():
        AlarmActivation.objects.filter(received_from_id=zone_id, handled_at__isnull=True).update(
            handled_at=now, handled_by=zone.dispatcher)
        Notice.objects.filter(agency_id=zone_id, for_role=Role.DISPATCHER,
                              acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=zone.dispatcher)


def cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return values[3] + values[4], sum(values)  # idle + iowait, total


@contextmanager
def full_collections() -> Iterator[list[float]]:
    """Durations (ms) of this process's full (generation 2) garbage collections meanwhile."""
    durations: list[float] = []
    started = [0.0]

    def hook(phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                durations.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(hook)
    try:
        yield durations
    finally:
        gc.callbacks.remove(hook)


def measure(transport, fleet: Fleet, requests: int, warmup: int, seed: int) -> dict:
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {name: [] for name in REQUESTS}
    load_before = load_average()
    idle0, total0 = cpu_times()
    started = time.perf_counter()
    with full_collections() as collected:
        for n in range(warmup + requests):
            shift = n % len(BLOCKS)
            times = one_round(transport, fleet, rng, BLOCKS[shift:] + BLOCKS[:shift])
            tidy(fleet)
            if hasattr(mail, "outbox"):
                mail.outbox.clear()
            if n >= warmup:
                for name, value in times.items():
                    samples[name].append(value)
    idle1, total1 = cpu_times()
    stats = {name: {**summary(values), "p99": percentile(values, 0.99)}
             for name, values in samples.items()}
    return {"stats": stats, "samples": samples, "load": (load_before, load_average()),
            "idle": 100 * (idle1 - idle0) / max(1, total1 - total0),
            "gc": collected,
            "seconds": time.perf_counter() - started}


def check_and_count(transport: InProcess, fleet: Fleet, show: bool) -> dict:
    """One untimed round: the query count of each request, and what the summary holds."""
    rng = random.Random(0)
    serial, zone_id = fleet.active[0]
    zone = fleet.zone_of[zone_id]
    counts: dict[str, int] = {}
    counts["activation POST"], posted = captured(
        lambda: transport.post(ACTIVATIONS_URL, press_body(serial, rng), zone.token),
        "activation POST" if show else "")
    links = expect(posted, 201, "activation").json()
    counts["summary GET (JSON)"], got = captured(
        lambda: transport.get(links["summary_api_url"], token=zone.reader_token),
        "summary GET (JSON)" if show else "")
    body = expect(got, 200, "summary").json()
    counts["summary page (HTML)"], page = captured(
        lambda: transport.get(links["summary_url"], zone=zone_id),
        "summary page (HTML)" if show else "")
    expect(page, 200, "summary page")
    counts["unknown device POST"], unknown = captured(
        lambda: transport.post(ACTIVATIONS_URL, press_body(f"{UNKNOWN_SERIAL}{zone.number}",
                                                          rng), zone.token),
        "unknown device POST" if show else "")
    expect(unknown, 202, "unknown")
    counts["bare: device by serial (token)"], _answer = captured(
        lambda: transport.post(BARE_URL, press_body(serial, rng), zone.token),
        "bare view" if show else "")
    counts["plain view: device by serial (no auth)"], _answer = captured(
        lambda: transport.post(PLAIN_URL, press_body(serial, rng), None),
        "plain view" if show else "")
    counts["activation to summary ready"] = counts["activation POST"]
    if links.get("summary"):
        body = links["summary"]  # what the dispatch software reads (the same as the GET)
    else:
        counts["activation to summary ready"] += counts["summary GET (JSON)"]
    problems = [what for what, ok in (
        ("risk level", body["risk"]["level"]), ("victim", body["victim"]),
        ("perpetrator", body["perpetrator"]), ("events", body["events"]),
        ("safe-contact instructions", body["safe_contact"]),
        ("alarm among the measures", any(m["kind"] == "harassment_alarm"
                                         for m in body["measures"])),
        ("case reference on the page", body["case"]["reference"].encode() in page.body))
        if not ok]
    return {"queries": counts, "summary": body, "problems": problems,
            "page_bytes": len(page.body), "json_bytes": len(got.body)}


# -- where the time goes (in process) --------------------------------------------------------
PROFILED = ((api, "api_actor"), (services, "activation_receive"), (services, "_prior"),
            (services, "_after_receive"), (services, "audit_record"),
            (services, "timeline_add"), (services, "notice_send"),
            (services, "_alert_anomaly"), (api, "alarm_summary_access"),
            (selectors, "activation_summary"), (selectors, "received_summary"),
            (selectors, "_activation"),
            (selectors, "_persons"), (selectors, "_risk"), (selectors, "measures_in_force"),
            (selectors, "_weapons"), (selectors, "audit_record"), (selectors, "summary_data"),
            (views, "render"))


@contextmanager
def step_timers() -> Iterator[Counter]:
    spent: Counter = Counter()
    originals = [(module, name, getattr(module, name)) for module, name in PROFILED
                 if hasattr(module, name)]  # the steps of the code measured

    def wrapped(label: str, function: Callable) -> Callable:
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += (time.perf_counter() - started) * 1000
        return call

    for module, name, function in originals:
        setattr(module, name, wrapped(f"{module.__name__.rsplit('.', 1)[-1]}.{name}", function))
    try:
        yield spent
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


SAVEPOINT_NAME = re.compile(r'"s\d+_x\d+"')


@dataclass
class SqlLog:
    calls: list[tuple[str, object, float]] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((SAVEPOINT_NAME.sub('"s…"', sql), params,
                               (time.perf_counter() - started) * 1000))


@contextmanager
def timed_commits(log: SqlLog) -> Iterator[None]:
    """COMMIT goes to the driver without a cursor (``connection.commit()``): time it too."""
    original = connection._commit

    def commit():
        started = time.perf_counter()
        try:
            return original()
        finally:
            log.calls.append(("COMMIT", None, (time.perf_counter() - started) * 1000))

    connection._commit = commit
    try:
        yield
    finally:
        del connection._commit


def profile(transport: InProcess, fleet: Fleet, rounds: int, seed: int) -> dict:
    """Rounds of the activation, the unknown device and the bare view, with the time spent in
    each step of the code and in the database (each statement timed around the driver)."""
    rng = random.Random(seed + 100)
    per_request: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    statements: dict[tuple[str, str], list[float]] = defaultdict(list)
    last_params: dict[tuple[str, str], object] = {}
    calls = {"activation POST": lambda s, z: transport.post(ACTIVATIONS_URL, press_body(s, rng),
                                                            z.token),
             "unknown device POST": lambda s, z: transport.post(
                 ACTIVATIONS_URL, press_body(f"{UNKNOWN_SERIAL}{z.number}", rng), z.token),
             "bare: device by serial (token)": lambda s, z: transport.post(
                 BARE_URL, press_body(s, rng), z.token)}
    with step_timers() as spent:
        for _n in range(rounds):
            serial, zone_id = rng.choice(fleet.active)
            zone = fleet.zone_of[zone_id]
            links: dict = {}
            plan = [("activation POST", lambda s=serial, z=zone: calls["activation POST"](s, z)),
                    ("summary GET (JSON)", lambda z=zone, got=links: transport.get(
                        got["summary_api_url"], token=z.reader_token)),
                    ("summary page (HTML)", lambda z=zone_id, got=links: transport.get(
                        got["summary_url"], zone=z)),
                    ("unknown device POST",
                     lambda s=serial, z=zone: calls["unknown device POST"](s, z)),
                    ("bare: device by serial (token)",
                     lambda s=serial, z=zone: calls["bare: device by serial (token)"](s, z))]
            for name, call in plan:
                log = SqlLog()
                spent.clear()
                started = time.perf_counter()
                with connection.execute_wrapper(log), timed_commits(log):
                    answer = call()
                total = (time.perf_counter() - started) * 1000
                if name == "activation POST":
                    links.update(answer.json())
                row = per_request[name]
                row["total"].append(total)
                row["sql"].append(sum(ms for _sql, _params, ms in log.calls))
                row["statements"].append(len(log.calls))
                for label, ms in spent.items():
                    row[label].append(ms)
                for sql, params, ms in log.calls:
                    statements[(name, sql)].append(ms)
                    last_params[(name, sql)] = params
            tidy(fleet)
            if hasattr(mail, "outbox"):
                mail.outbox.clear()
    return {"per_request": per_request, "statements": statements, "params": last_params}


def explain(statements: dict, params: dict, top: int) -> list[tuple[str, float, str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECTs (by median), PostgreSQL only; each in
    a transaction rolled back (some lock rows)."""
    if connection.vendor != "postgresql" or top < 1:
        return []
    ranked = sorted(((statistics.median(ms), key) for key, ms in statements.items()
                     if key[1].lstrip().upper().startswith("SELECT")), reverse=True)
    out, seen = [], set()
    for median, key in ranked:
        if key[1] in seen:  # the same statement in another request
            continue
        seen.add(key[1])
        if len(out) == top:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + key[1], params[key])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        out.append((key[0], median, key[1], plan))
    return out


# -- the run ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    seeding, total = prepare_database(args.cases, args.seed)
    static_root = prepare_static()
    zone_of, prosecutor, magistrate = zones()
    building, built = prepare_alarms(zone_of, prosecutor, magistrate, args.seed)
    fleet = Fleet(active=list(AlarmAssignment.objects.filter(
        returned_at__isnull=True, device__status=DeviceStatus.ASSIGNED,
        device__serial__startswith=SERIAL).order_by("device__serial")
        .values_list("device__serial", "device__agency_id")), zone_of=zone_of)
    if not fleet.active:
        raise SystemExit("No device in use: the alarm data is missing.")
    browsers = {pk: verified_client(zone.dispatcher) for pk, zone in zone_of.items()}
    overrides = {"ROOT_URLCONF": urlconf()}
    if static_root:
        overrides["STATIC_ROOT"] = static_root
    results: dict[str, dict] = {}
    with smtp_sink() as sink_port:
        mail_port = sink_port if args.smtp else None
        if args.smtp:
            overrides.update(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=sink_port)
        else:
            overrides["EMAIL_BACKEND"] = LOCMEM
        with override_settings(**overrides):
            tidy(fleet)
            inproc = InProcess(browsers)
            counted = check_and_count(inproc, fleet, args.show_queries)
            if "client" in args.transport:
                print(f"Timing in process: {args.warmup} + {args.requests} rounds...",
                      flush=True)
                results[InProcess.label] = measure(inproc, fleet, args.requests, args.warmup,
                                                   args.seed)
            if "live" in args.transport:
                sessions = {pk: client.cookies[settings.SESSION_COOKIE_NAME].value
                            for pk, client in browsers.items()}
                with gunicorn(static_root, mail_port) as port:
                    print(f"Timing against gunicorn on port {port}: {args.warmup} + "
                          f"{args.requests} rounds...", flush=True)
                    results[Live.label] = measure(Live(port, sessions), fleet, args.requests,
                                                  args.warmup, args.seed)
            profiled = None
            if args.profile:
                print(f"Profiling in process: {args.profile} rounds...", flush=True)
                profiled = profile(inproc, fleet, args.profile, args.seed)
        mails = _SmtpSink.received
    plans = explain(profiled["statements"], profiled["params"], args.explain) if profiled \
        else []
    volume = {"cases": Case.objects.count(), "risk assessments": RiskAssessment.objects.count(),
              "reports": Report.objects.count(), "prosecution entries": Entry.objects.count(),
              "timeline entries": TimelineEntry.objects.count(),
              "alarm devices": AlarmDevice.objects.count(),
              "devices in use": len(fleet.active),
              "alarm requests": AlarmRequest.objects.count(),
              "activations": AlarmActivation.objects.count(),
              "notices": Notice.objects.count()}
    report(args, total, seeding, building, built, volume, counted, results, profiled, plans,
           mails)


def report(args, total, seeding, building, built, volume, counted, results, profiled, plans,
           mails) -> None:
    print()
    print(f"### Harassment alarm, {database_label()}, {total:,} cases")
    print()
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; run at {timezone.localtime():%Y-%m-%d %H:%M %Z}; "
          f"e-mail: {'SMTP to a loopback sink' if args.smtp else 'locmem backend'}"
          + (f" ({mails} messages)" if args.smtp else "") + ".")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            shown = []
            for name in ("synchronous_commit", "fsync", "shared_buffers"):
                cursor.execute(f"SHOW {name}")
                shown.append(f"{name}={cursor.fetchone()[0]}")
        print(f"PostgreSQL settings of the session: {', '.join(shown)}.")
    seeded = f"{seeding:.0f} s" if seeding is not None else "already present"
    stored = (f"built in {building:.0f} s ({', '.join(f'{k} {v:,}' for k, v in built.items())})"
              if building is not None else "reused")
    print(f"Cases (seed_scale): {seeded}. Alarm data: {stored}.")
    print("Data at the end: " + ", ".join(f"{k} {v:,}" for k, v in volume.items()) + ".")
    print()
    problems = counted["problems"]
    print(f"Summary check: {'complete' if not problems else 'MISSING ' + ', '.join(problems)}"
          f" (JSON {counted['json_bytes']:,} bytes, page {counted['page_bytes']:,} bytes; "
          f"level {counted['summary']['risk']['level']}, "
          f"{len(counted['summary']['measures'])} measures, "
          f"{len(counted['summary']['events'])} events).")
    for label, result in results.items():
        stats = result["stats"]
        bare = stats["bare: device by serial (token)"]
        print()
        print(f"**{label}**: {args.requests} rounds after {args.warmup} warm-up, "
              f"{result['seconds']:.0f} s; load average before {result['load'][0]}, after "
              f"{result['load'][1]}; idle CPU {result['idle']:.0f} %; full garbage collections "
              f"in this process: {len(result['gc'])}"
              + (f" (longest {max(result['gc']):.0f} ms)" if result["gc"] else "") + ".")
        print()
        print("| request | median (ms) | p95 (ms) | p99 (ms) | max (ms) | ratio to bare "
              "median / p99 | queries |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name in REQUESTS:
            s = stats[name]
            print(f"| {name} | {s['median']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
                  f"{s['max']:.0f} | {s['median'] / bare['median']:.2f} / "
                  f"{s['p99'] / bare['p99']:.2f} | {counted['queries'][name]} |")
        ready = stats["activation to summary ready"]
        print()
        print(f"Target p99 ≤ 50 ms for activation to summary ready: "
              f"{'met' if ready['p99'] <= 50 else 'NOT met'} ({ready['p99']:.1f} ms).")
    if profiled:
        print()
        print(f"Where the time goes, in process ({args.profile} rounds; median ms; SQL = the "
              "statements and the commits, each timed around the driver):")
        print()
        print("| request | total | SQL | statements and commits | rest (Python, middleware) |")
        print("|---|---:|---:|---:|---:|")
        for name, row in profiled["per_request"].items():
            t, s = statistics.median(row["total"]), statistics.median(row["sql"])
            print(f"| {name} | {t:.1f} | {s:.1f} | {statistics.median(row['statements']):.0f}"
                  f" | {t - s:.1f} |")
        print()
        print("| request | step | median (ms) |")
        print("|---|---|---:|")
        for name, row in profiled["per_request"].items():
            for label, values in row.items():
                if label in ("total", "sql", "statements"):
                    continue
                print(f"| {name} | `{label}` | {statistics.median(values):.2f} |")
        print()
        print("Slowest statements (median ms over the rounds):")
        print()
        print("| request | median | max | statement |")
        print("|---|---:|---:|---|")
        ranked = sorted(((statistics.median(ms), key, ms)
                         for key, ms in profiled["statements"].items()), reverse=True)
        for median, (name, sql), ms in ranked[:args.top]:
            text = " ".join(sql.split())
            print(f"| {name} | {median:.2f} | {max(ms):.1f} | `{text[:160]}` |")
    for name, median, sql, plan in plans:
        print()
        print(f"EXPLAIN ANALYZE ({name}, median {median:.2f} ms): {' '.join(sql.split())[:300]}")
        print()
        print("```")
        print(plan)
        print("```")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000,
                        help="cases the database must hold; seeded when fewer")
    parser.add_argument("--requests", type=int, default=1000, help="timed rounds")
    parser.add_argument("--warmup", type=int, default=30, help="warm-up rounds")
    parser.add_argument("--seed", type=int, default=1,
                        help="random seed of the synthetic data and of the devices pressed")
    parser.add_argument("--transport", choices=("client", "live", "client+live"),
                        default="client+live",
                        help="django.test.Client in process, a live gunicorn, or both")
    parser.add_argument("--smtp", action="store_true",
                        help="send the e-mails by SMTP to a loopback sink (else locmem)")
    parser.add_argument("--profile", type=int, default=200,
                        help="rounds timed step by step in process (0: none)")
    parser.add_argument("--explain", type=int, default=4,
                        help="EXPLAIN ANALYZE of the N slowest SELECTs (PostgreSQL)")
    parser.add_argument("--top", type=int, default=12, help="slowest statements listed")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of one request of each kind")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be >= 1 and --warmup >= 0")
    run(args)


if __name__ == "__main__":
    main()
