#!/usr/bin/env python
"""The Django side of the fault drills, run as its own process on the drill's database:

    fixture.py prepare --plan plan.json --cases 2000 --intakes 400
        migrate, seed_scale, the bench police zone of bench/intake.py with its officer and
        SAPV, cases opened through the services (one per intake to come, each with a victim
        and an alleged perpetrator), a zone dispatcher with a gateway token and a paired alarm
        device (relais.alarms.demo, through the real services), verified browser sessions;
        writes what the clients need (sessions, token, cases, the intake form's fields).

    fixture.py check --plan plan.json --ledger ledger.jsonl
        every save the clients were answered for is in the database, and nothing the drill
        wrote is half-written (see ``check``); prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))

# benchlib first: it sets up Django on DATABASE_URL.
import benchlib  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from intake import BENCH_OFFICER, bench_zone, open_cases  # noqa: E402
from intake import intake as intake_with_grid  # noqa: E402

from relais.accounts.models import ApiTokenKind, Role, User  # noqa: E402
from relais.accounts.services import api_token_issue, user_create  # noqa: E402
from relais.alarms.demo import load_demo_alarms  # noqa: E402
from relais.alarms.models import AlarmActivation, AlarmDevice, DeviceStatus  # noqa: E402
from relais.audit.models import AuditEvent  # noqa: E402
from relais.cases.models import Case, CaseParticipant, TimelineEntry  # noqa: E402
from relais.core.models import SubmittedForm  # noqa: E402
from relais.followup.models import Task  # noqa: E402
from relais.intake.forms import IntakeForm  # noqa: E402
from relais.intake.models import Report  # noqa: E402
from relais.justice.models import Entry  # noqa: E402
from relais.notifications.models import Notice  # noqa: E402
from relais.risk.forms import item_fields  # noqa: E402
from relais.risk.models import RiskAssessment  # noqa: E402

DISPATCHER = "bench.faults.dispatch"
REFERENCE = "bench.faults.reference"
TOKEN_PREFIX = "drill-"  # submission tokens and Idempotency-Keys of the drill


def form_fields() -> dict[str, object]:
    """What the intake page posts for a complete official report (as
    relais/intake/tests/test_views.py ``form_data``), the victim and the token left out."""
    offence = timezone.localtime() - timedelta(days=1)
    data: dict[str, object] = {
        "kind": "official", "source": "walk_in", "pv_number": "BR.00.L0.000001/2026",
        "offence_at": offence.strftime("%Y-%m-%dT%H:%M"),
        "recorded_on": timezone.localdate().isoformat(),
        "postcode": "1050", "municipality": "21009", "forms": ["physical", "verbal"],
        "visible_injuries": "on",
        "facts_context": "Fictitious (fault drill). Dispute about the car keys.",
        "facts_words": "He said: 'Give me the keys.'",
        "facts_actions": "He grabbed her wrist; red marks visible.",
        "children_present": "no", "children_impact": "The child was at school.",
        "risk_weapons": "", "risk_threats": "", "risk_history": "",
        "perpetrator_left": "no", "accommodation": "", "referred_sapv": "on",
        "referral_note": "", "interpreter": "none", "interpreter_language": "",
        "seen_alone": "yes", "spoke_freely": "yes", "childcare": "not_needed",
        "day2_contact_agreed": "on",
        "sc_channel": "", "sc_hours": "", "sc_can_speak_freely": "unknown", "sc_notes": "",
    }
    for name in item_fields("counter_checklist", "en"):
        data[name] = "no"
    return data


def staff(username: str, agency, role: str, **extra) -> User:
    return User.objects.filter(username=username).first() or user_create(
        username=username, agency=agency, roles=[role], password=None, first_name="Drill",
        last_name=username.rsplit(".", 1)[-1], **extra)


def session_of(user: User) -> str:
    client = benchlib.verified_client(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare(args: argparse.Namespace) -> None:
    seconds, total = benchlib.prepare_database(args.cases, 1)
    actor, _prosecutor = bench_zone()
    zone = actor.agency
    rng = random.Random(7)
    cases = open_cases(actor, args.intakes, rng)
    # The alarm: a case of the zone with a report and a police grid, a granted request, a
    # paired device; presses come from the zone's dispatch account (a gateway token).
    alarm_case = open_cases(actor, 1, rng)[0]
    intake_with_grid(actor, *alarm_case)
    dispatcher = staff(DISPATCHER, zone, Role.DISPATCHER, email="drill.dispatch@example.invalid")
    reference = staff(REFERENCE, zone, Role.IPV_REFERENCE_OFFICER)
    load_demo_alarms(zone=zone, intervention=actor.user, reference=reference,
                     magistrate=User.objects.get(username="scale.magistrate"),
                     dispatcher=dispatcher,
                     case=Case.objects.get(pk=alarm_case[0]))
    device = (AlarmDevice.objects.filter(agency=zone, status=DeviceStatus.ASSIGNED)
              .values_list("serial", flat=True).first())
    if device is None:
        raise SystemExit("No alarm device in use in the drill zone.")
    _gateway, token = api_token_issue(actor=None, user=dispatcher, kind=ApiTokenKind.GATEWAY,
                                      issued_by="bench/faults")
    officer = User.objects.get(username=BENCH_OFFICER)
    fields = form_fields()
    victim, perpetrator = cases[0][1], cases[0][2]
    persons = [(p.person, p.role) for p in CaseParticipant.objects.filter(
        case_id=cases[0][0]).select_related("person")]
    form = IntakeForm({**fields, "victim_id": victim, "perpetrator_id": perpetrator},
                      persons=persons)
    if not form.is_valid():  # the form changed: say so before the drill, not during it
        raise SystemExit(f"The drill's intake fields no longer validate: {form.errors}")
    plan = {
        "cases": [list(c) for c in cases], "fields": fields,
        "sessions": [session_of(officer) for _n in range(args.sessions)],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "gateway_token": token, "device": device, "zone": zone.code,
        "seeded_cases": total, "seeding_seconds": seconds,
        "static_root": benchlib.prepare_static(),
    }
    Path(args.plan).write_text(json.dumps(plan))
    print(f"prepared: {total} cases, {len(cases)} drill cases, device {device}", flush=True)


# -- the check --------------------------------------------------------------------------------
def label(model) -> str:
    return model._meta.label_lower


def audited(model, ids: list[int]) -> set[int]:
    """Ids of ``model`` objects that have their "create" audit event."""
    return {int(pk) for pk in AuditEvent.objects.filter(
        action="create", object_type=label(model), object_id__in=[str(i) for i in ids]
    ).values_list("object_id", flat=True)}


def sourced(queryset, model, ids: list[int]) -> Counter:
    """How many rows of ``queryset`` stand for each ``model`` object (source_type/id)."""
    return Counter(int(pk) for pk in queryset.filter(
        source_type=label(model), source_id__in=[str(i) for i in ids]
    ).values_list("source_id", flat=True))


def check(args: argparse.Namespace) -> dict:
    plan = json.loads(Path(args.plan).read_text())
    answered = [json.loads(line) for line in Path(args.ledger).read_text().splitlines()
                if line.strip()]
    said = {"intake": {a["id"] for a in answered if a["kind"] == "intake"},
            "alarm": {a["id"] for a in answered if a["kind"] == "alarm"}}
    case_ids = [c[0] for c in plan["cases"]]
    problems: list[str] = []

    # Intake saves: every report on a drill case (answered or not) is whole.
    reports = list(Report.objects.filter(case_id__in=case_ids).values_list("pk", "case_id",
                                                                          "forwarded_to_id"))
    report_ids = [pk for pk, _case, _office in reports]
    per_case = Counter(case for _pk, case, _office in reports)
    missing = said["intake"] - set(report_ids)
    if missing:
        problems.append(f"{len(missing)} answered intake saves missing: {sorted(missing)[:10]}")
    doubled = [case for case, n in per_case.items() if n > 1]
    if doubled:
        problems.append(f"{len(doubled)} drill cases with more than one report (a retried "
                        f"save recorded twice): {doubled[:10]}")
    with_event = audited(Report, report_ids)
    timeline = sourced(TimelineEntry.objects, Report, report_ids)
    tasks = list(Task.objects.filter(source_type=label(Report),
                                     source_id__in=[str(i) for i in report_ids])
                 .values_list("pk", "source_id"))
    task_events = audited(Task, [pk for pk, _source in tasks])
    tasks_of = Counter(int(source) for _pk, source in tasks)
    checklists = dict(RiskAssessment.objects.filter(report_id__in=report_ids,
                                                    instrument_code="counter_checklist")
                      .values_list("report_id").annotate(n=Count("pk")))
    entries = set(Entry.objects.filter(report_id__in=report_ids)
                  .values_list("report_id", flat=True))
    tokens = {url for url in SubmittedForm.objects.filter(
        token__startswith=TOKEN_PREFIX).values_list("result_url", flat=True)}
    task_counts = Counter(tasks_of[pk] for pk in report_ids)
    half: Counter = Counter()
    for pk, _case, office in reports:
        for what, whole in (("audit event", pk in with_event), ("timeline entry", timeline[pk]),
                            ("follow-up tasks", tasks_of[pk] > 0),
                            ("counter checklist", checklists.get(pk)),
                            ("forwarding", office is not None),
                            ("prosecution entry", pk in entries),
                            ("submission token", any(u.rstrip("/").endswith(f"/{pk}")
                                                     for u in tokens))):
            if not whole:
                half[what] += 1
    unaudited_tasks = len(tasks) - len(task_events)
    if unaudited_tasks:
        half["audit event of a task"] += unaudited_tasks
    if len(task_counts) > 1:
        half["a different number of tasks"] += sum(sorted(task_counts.values())[:-1])
    if half:
        problems.append("half-written reports: " + ", ".join(
            f"{n} without {what}" for what, n in half.items()))

    # Alarm presses: every activation of the drill is whole.
    activations = list(AlarmActivation.objects.filter(idempotency_key__startswith=TOKEN_PREFIX)
                       .values_list("pk", flat=True))
    lost = said["alarm"] - set(activations)
    if lost:
        problems.append(f"{len(lost)} answered alarm presses missing: {sorted(lost)[:10]}")
    pressed = audited(AlarmActivation, activations)
    on_timeline = sourced(TimelineEntry.objects, AlarmActivation, activations)
    noticed = sourced(Notice.objects, AlarmActivation, activations)
    partial: Counter = Counter()
    for pk in activations:
        for what, whole in (("audit event", pk in pressed), ("timeline entry", on_timeline[pk]),
                            ("notice", noticed[pk])):
            if not whole:
                partial[what] += 1
    if partial:
        problems.append("half-written activations: " + ", ".join(
            f"{n} without {what}" for what, n in partial.items()))
    result = {
        "answered_intakes": len(said["intake"]), "answered_presses": len(said["alarm"]),
        "reports_in_db": len(report_ids), "activations_in_db": len(activations),
        "unanswered_but_saved": {"intake": len(set(report_ids) - said["intake"]),
                                 "alarm": len(set(activations) - said["alarm"])},
        "tasks_per_report": dict(task_counts), "audit_events": AuditEvent.objects.count(),
        "problems": problems,
    }
    print(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ready = commands.add_parser("prepare")
    ready.add_argument("--plan", required=True)
    ready.add_argument("--cases", type=int, default=2000)
    ready.add_argument("--intakes", type=int, default=400)
    ready.add_argument("--sessions", type=int, default=4)
    verify = commands.add_parser("check")
    verify.add_argument("--plan", required=True)
    verify.add_argument("--ledger", required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
    else:
        check(args)


if __name__ == "__main__":
    main()
