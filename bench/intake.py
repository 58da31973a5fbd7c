#!/usr/bin/env python
"""Benchmark of the police intake: saving a record with its risk grid, and printing the flyer.

    DATABASE_URL=sqlite:////work/main/var/bench.sqlite3 RELAIS_DEBUG=0 RELAIS_SECRET_KEY=bench \\
        .venv/bin/python bench/intake.py --cases 100000

- "intake + police grid": ``relais.intake.services.report_record`` (an official report with
  its counter checklist: record, timeline, audit, checklist assessment, forwarding to the
  prosecutor's office, notice to the SAPV) then ``relais.risk.services.assessment_record`` of
  the police grid, both inside one ``transaction.atomic()`` as in a request; baseline:
  ``relais.cases.services.note_add`` (one audited write) in its own transaction, on the same
  case, the order flipping on every pair.
- "flyer PDF": ``relais.intake.documents.render("flyer", ...)``; baseline: the same template
  rendered to a string with the same context, in the same language (everything but WeasyPrint).
  The injured-party declaration likewise.

The intakes are made by a bench police zone of Ixelles (21009, district brussel) on cases it
opens before the timing, in a database filled by ``seed_scale`` (100,000 cases by default), so
the audit chain and the indexes have a realistic size. See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections.abc import Callable

import django  # noqa: E402

# benchlib first: it sets up Django on the bench database.
from benchlib import prepare_database, summary  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import translation  # noqa: E402

from relais.access.scopes import Scope  # noqa: E402
from relais.access.services import prosecutor_for_municipality  # noqa: E402
from relais.accounts.models import (  # noqa: E402
    Agency,
    AgencyKind,
    JurisdictionMunicipality,
    Role,
    Unit,
    UnitKind,
    User,
)
from relais.accounts.services import user_create  # noqa: E402
from relais.audit.models import AuditEvent  # noqa: E402
from relais.cases import services as case_services  # noqa: E402
from relais.cases.models import ParticipantRole  # noqa: E402
from relais.core.actor import Actor  # noqa: E402
from relais.core.synthetic import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES  # noqa: E402
from relais.followup.models import Task, TaskKind  # noqa: E402
from relais.intake import documents  # noqa: E402
from relais.intake.examples import grid_answers, report_arguments  # noqa: E402
from relais.intake.models import Report  # noqa: E402
from relais.intake.selectors import report_get  # noqa: E402
from relais.intake.services import report_record  # noqa: E402
from relais.risk.services import assessment_record  # noqa: E402

BENCH_ZONE = "bench-intake-zone"
BENCH_OFFICER = "bench.intake.officer"
BENCH_SAPV = "bench.intake.sapv"
REFNIS, POSTCODE = "21009", "1050"  # Ixelles: judicial district brussel
GRID = "police_grid"
LANGUAGE = "fr"


# -- set-up ----------------------------------------------------------------------------------


def staff(username: str, agency: Agency, role: str, last_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, agency=agency, roles=[role], password=None,
                           first_name="Bench", last_name=last_name)
    return user


@transaction.atomic
def bench_zone() -> tuple[Actor, Agency]:
    """The bench police zone (Ixelles), its SAPV unit and user, and its intervention officer.

    The prosecutor's office of the district is the one of ``seed_scale`` (district brussel).
    """
    prosecutor = prosecutor_for_municipality(REFNIS)
    if prosecutor is None:
        raise SystemExit("No prosecutor's office for district brussel: this database was not "
                         "filled by seed_scale (use a separate DATABASE_URL for the benchmark).")
    zone, _created = Agency.objects.get_or_create(code=BENCH_ZONE, defaults={
        "name": "Zone synthétique Ixelles (banc d'essai)", "kind": AgencyKind.POLICE_ZONE,
        "languages": ["fr", "nl"], "phone": "02 000 00 00", "is_demo": False})
    JurisdictionMunicipality.objects.get_or_create(agency=zone, refnis=REFNIS)
    unit, _created = Unit.objects.get_or_create(agency=zone, name="Assistance aux victimes",
                                                defaults={"kind": UnitKind.VICTIM_ASSISTANCE,
                                                          "phone": "02 000 00 01"})
    staff(BENCH_SAPV, zone, Role.VICTIM_ASSISTANCE_WORKER, "SAPV")  # no e-mail: no mail sent
    officer = staff(BENCH_OFFICER, zone, Role.INTERVENTION_OFFICER, "Intervention")
    user = User.objects.select_related("agency").get(pk=officer.pk)
    return Actor.for_user(user, ip="127.0.0.1"), prosecutor


def open_cases(actor: Actor, count: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Cases of the bench zone with a victim and an alleged perpetrator, through the services
    (audited, as an officer would open them); (case id, victim id, perpetrator id)."""
    opened = []
    for _n in range(count):
        case = case_services.case_open(actor=actor, situation="couple", municipality=REFNIS)
        victim = case_services.person_add_to_case(
            actor=actor, case_id=case.pk, role=ParticipantRole.VICTIM,
            first_name=rng.choice(FIRST_NAMES_F), last_name=rng.choice(LAST_NAMES), sex="F",
            languages=["fr"], file_language="fr").person_id
        perpetrator = case_services.person_add_to_case(
            actor=actor, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
            first_name=rng.choice(FIRST_NAMES_M), last_name=rng.choice(LAST_NAMES),
            sex="M").person_id
        opened.append((case.pk, victim, perpetrator))
    return opened


# -- the operations --------------------------------------------------------------------------
# --safe-contact: the officer also fills in how the victim may be contacted safely (the form's
# section), which writes her SafeContactInstructions, a record with field history.
SAFE_CONTACT: dict[str, object] | None = None


def intake(actor: Actor, case_id: int, victim_id: int, perpetrator_id: int) -> Report:
    """An official report with its counter checklist, then the police grid: one transaction."""
    with transaction.atomic():
        report = report_record(actor=actor, case_id=case_id, safe_contact=SAFE_CONTACT,
                               **report_arguments(victim_id=victim_id,
                                                  perpetrator_id=perpetrator_id))
        assessment_record(actor=actor, case_id=case_id, person_id=victim_id,
                          instrument_code=GRID, report_id=report.pk,
                          answers=grid_answers(GRID, threats_to_kill="yes",
                                               recent_separation="yes"))
    return report


def note(actor: Actor, case_id: int) -> None:
    """The baseline: one audited write (note, timeline entry, audit event)."""
    with transaction.atomic():
        case_services.note_add(actor=actor, case_id=case_id, scope=Scope.JUDICIAL,
                               text="Note fictive du banc d'essai.")


def without_history():
    """Field history off (django-simple-history's own switch): the control of --history-control."""
    return override_settings(SIMPLE_HISTORY_ENABLED=False)


def html_only(document: str, view) -> str:
    """``documents.render`` without WeasyPrint: same context, same template, same language."""
    context = documents._context(document, view)
    with translation.override(LANGUAGE):
        return render_to_string(documents.DOCUMENTS[document],
                                {**context, "LANGUAGE_CODE": LANGUAGE})


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result






TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def query_count(call: Callable[[], object], show: str = "") -> str:
    """The SQL statements of one call, and how many of them are transaction control."""
    with CaptureQueriesContext(connection) as captured:
        call()
    if show:
        print(f"\n-- queries of {show}")
        for query in captured.captured_queries:
            print(f"{query['time']:>7} s  {query['sql'][:300]}")
    control = sum(query["sql"].upper().startswith(TRANSACTION_CONTROL)
                  for query in captured.captured_queries)
    return f"{len(captured)} ({control})"


# -- the run ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    db = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} ({db['NAME']}), DEBUG={settings.DEBUG}", flush=True)
    seeding, total = prepare_database(args.cases, args.seed)
    actor, prosecutor = bench_zone()
    rng = random.Random(args.seed)
    count = args.warmup + args.intakes + 1  # +1: the case used to count queries
    if args.history_control:
        count *= 2  # the control's intakes need cases of their own
    print(f"Opening {count} cases in {BENCH_ZONE}...", flush=True)
    opening, cases = timed(lambda: open_cases(actor, count, rng))
    events_before = AuditEvent.objects.count()

    # Queries of one intake and one note (on a case of its own, not timed).
    case_id, victim_id, perpetrator_id = cases.pop()
    controls = cases[len(cases) // 2:] if args.history_control else []
    cases = cases[:len(cases) // 2] if args.history_control else cases
    queries = {
        "intake": query_count(lambda: intake(actor, case_id, victim_id, perpetrator_id),
                              "one intake + police grid" if args.show_queries else ""),
        "note": query_count(lambda: note(actor, case_id),
                            "one note_add" if args.show_queries else ""),
    }
    if args.history_control:
        c_id, c_victim, c_perpetrator = controls.pop()
        with without_history():
            queries["intake_nohistory"] = query_count(
                lambda: intake(actor, c_id, c_victim, c_perpetrator),
                "one intake + police grid, history off" if args.show_queries else "")

    print(f"Timing {args.intakes} intakes and notes after {args.warmup} warm-up pairs...",
          flush=True)
    samples: dict[str, list[float]] = {"intake": [], "note": []}
    if args.history_control:
        samples["intake_nohistory"] = []
    kinds = list(samples)
    reports: list[Report] = []
    for n, (case_id, victim_id, perpetrator_id) in enumerate(cases):
        if args.history_control:  # three operations: each takes each place in turn
            shift = n % 3
            order = tuple(kinds[shift:] + kinds[:shift])
        else:
            order = ("intake", "note") if n % 2 == 0 else ("note", "intake")
        for kind in order:
            if kind == "intake":
                elapsed, report = timed(
                    lambda c=case_id, v=victim_id, p=perpetrator_id: intake(actor, c, v, p))
                reports.append(report)
            elif kind == "intake_nohistory":
                c, v, p = controls[n]
                with without_history():
                    elapsed, _report = timed(lambda c=c, v=v, p=p: intake(actor, c, v, p))
            else:
                elapsed, _none = timed(lambda c=case_id: note(actor, c))
            if n >= args.warmup:
                samples[kind].append(elapsed)

    # Documents of the last report, read once as the officer would (audited read).
    view = report_get(actor=actor, report_id=reports[-1].pk, language=LANGUAGE,
                      purpose="document: flyer")
    print(f"Rendering the documents {args.pdfs} times each after {args.pdf_warmup} warm-up...",
          flush=True)
    operations = {
        "flyer_pdf": lambda: documents.render("flyer", view=view, language=LANGUAGE)[0],
        "flyer_html": lambda: html_only("flyer", view),
        "declaration_pdf": lambda: documents.render("declaration", view=view,
                                                    language=LANGUAGE)[0],
        "declaration_html": lambda: html_only("declaration", view),
    }
    names = list(operations)
    documents_ms: dict[str, list[float]] = {name: [] for name in names}
    sizes: dict[str, int] = {}
    for n in range(args.pdf_warmup + args.pdfs):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, output = timed(operations[name])
            sizes[name] = len(output)
            if name.endswith("_pdf") and not output.startswith(b"%PDF-"):
                raise SystemExit(f"{name} is not a PDF")
            if n >= args.pdf_warmup:
                documents_ms[name].append(elapsed)

    # Sanity: every timed intake was forwarded, assessed and notified.
    ids = [r.pk for r in reports]
    saved = Report.objects.filter(pk__in=ids)
    checks = {
        "forwarded": saved.filter(forwarded_to=prosecutor).count(),
        "grids": saved.filter(assessments__instrument_code=GRID).count(),
        # The SAPV is told by a follow-up task (relais.followup), no longer by a notice.
        "notices": Task.objects.filter(source_type="intake.report",
                                       kind=TaskKind.VICTIM_ASSISTANCE_CONTACT,
                                       source_id__in=[str(i) for i in ids]).count(),
    }
    grid = reports[-1].assessments.get(instrument_code=GRID)
    events = AuditEvent.objects.count() - events_before

    stats = {kind: summary(values) for kind, values in {**samples, **documents_ms}.items()}
    show(args, total, seeding, opening, queries, stats, sizes, checks, len(reports), grid,
         prosecutor, events)


def show(args, total, seeding, opening, queries, stats, sizes, checks, intakes, grid,
         prosecutor, events) -> None:
    if connection.vendor == "postgresql":
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    elif connection.vendor == "sqlite":
        version = ".".join(str(v) for v in connection.Database.sqlite_version_info)
    else:
        version = ""
    print()
    print(f"### Intake with its assessment, and the flyer PDF, {connection.vendor} {version}, "
          f"{total:,} cases")
    print()
    opened_count = (args.warmup + args.intakes + 1) * (2 if args.history_control else 1)
    seeded = f"{seeding:.0f} s" if seeding is not None else "data already present"
    print(f"Python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cores; {args.intakes} intakes and notes after {args.warmup} warm-up "
          f"pairs, alternated; documents {args.pdfs} times each after {args.pdf_warmup} warm-up; "
          f"seeding: {seeded}; opening {opened_count} bench cases: "
          f"{opening / 1000:.1f} s.")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {load}.")
    print(f"Checks: {checks['forwarded']}/{intakes} reports forwarded to {prosecutor.code}, "
          f"{checks['grids']}/{intakes} with a police grid, {checks['notices']}/{intakes} "
          f"victim-assistance contact tasks for the SAPV; grid level {grid.computed_level} "
          f"(score {grid.score}/{grid.max_score}); {events:,} audit events written.")
    if args.safe_contact:
        print("Each intake also sets the victim's safe-contact instructions (--safe-contact).")
    print("Statements: all SQL of one call, in brackets those of transaction control (BEGIN, "
          "SAVEPOINT, RELEASE, COMMIT).")
    print()
    print("| operation | median (ms) | p95 (ms) | mean (ms) | max (ms) | statements (tx) |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = (("intake", "intake + police grid (one transaction)", queries["intake"]),
            ("note", "baseline: note_add (one audited write)", queries["note"]))
    if args.history_control:
        rows += (("intake_nohistory", "control: intake + police grid, field history off",
                  queries["intake_nohistory"]),)
    for kind, label, count in rows:
        s = stats[kind]
        print(f"| {label} | {s['median']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} | "
              f"{s['max']:.1f} | {count} |")
    print(f"| ratio intake / note | {stats['intake']['median'] / stats['note']['median']:.2f} | "
          f"{stats['intake']['p95'] / stats['note']['p95']:.2f} | | | |")
    if args.history_control:
        off = stats["intake_nohistory"]
        print(f"| ratio control / note | {off['median'] / stats['note']['median']:.2f} | "
              f"{off['p95'] / stats['note']['p95']:.2f} | | | |")
        print(f"| ratio intake / control (the cost of field history) | "
              f"{stats['intake']['median'] / off['median']:.3f} | "
              f"{stats['intake']['p95'] / off['p95']:.3f} | | | |")
    print()
    print("| document (fr) | median (ms) | p95 (ms) | mean (ms) | max (ms) | size (bytes) |")
    print("|---|---:|---:|---:|---:|---:|")
    for document, label in (("flyer", "flyer"), ("declaration", "injured-party declaration")):
        for kind, what in (("pdf", "PDF"), ("html", "HTML only (baseline)")):
            s = stats[f"{document}_{kind}"]
            print(f"| {label} {what} | {s['median']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} | "
                  f"{s['max']:.1f} | {sizes[f'{document}_{kind}']:,} |")
        pdf, html = stats[f"{document}_pdf"], stats[f"{document}_html"]
        print(f"| ratio {label} PDF / HTML | {pdf['median'] / html['median']:.1f} | "
              f"{pdf['p95'] / html['p95']:.1f} | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000,
                        help="cases the database must hold; seeded when fewer (default 100000)")
    parser.add_argument("--intakes", type=int, default=200,
                        help="measured intakes (and baseline notes)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up pairs")
    parser.add_argument("--pdfs", type=int, default=20, help="measured renders per document")
    parser.add_argument("--pdf-warmup", type=int, default=2, help="warm-up renders per document")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of one intake and one note")
    parser.add_argument("--history-control", action="store_true",
                        help="also time intakes with field history off (SIMPLE_HISTORY_ENABLED), "
                             "interleaved, on cases of their own")
    parser.add_argument("--safe-contact", action="store_true",
                        help="the intake also sets the victim's safe-contact instructions "
                             "(a record with field history)")
    args = parser.parse_args()
    if args.safe_contact:
        global SAFE_CONTACT
        SAFE_CONTACT = {"channel": "phone", "hours": "9h-12h", "can_speak_freely": "yes",
                        "never": [], "notes": "Fictitious: call on her mobile in the morning."}
    if args.intakes < 1 or args.pdfs < 1 or args.warmup < 0 or args.pdf_warmup < 0:
        parser.error("--intakes and --pdfs must be >= 1, the warm-ups >= 0")
    run(args)


if __name__ == "__main__":
    main()
