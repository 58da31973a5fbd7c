#!/usr/bin/env python
"""Fault drill: crash during writes. A stream of intake saves (the intake page's form POST)
and harassment-alarm presses (the alarm gateway's API POST) from several client threads,
against gunicorn on PostgreSQL or SQLite, while processes are killed with ``kill -9``:

    .venv/bin/python bench/faults/drill.py --db postgres            # full: several kills
    .venv/bin/python bench/faults/drill.py --db sqlite --short      # CI: one of each kill

PostgreSQL: a server of its own (``--pgbin``, ``--port`` 54350, data under ``--workdir``),
``fsync`` and ``synchronous_commit`` on. Kills: one gunicorn worker, then the postmaster
(restarted after ``--down`` seconds: crash recovery). SQLite (the embedded default, WAL): one
worker, then the whole gunicorn (master and workers), restarted.

Every answer "saved" (302 to the new report, 201/200 with the activation's id) goes to a
ledger; a request that got no answer (connection reset, 5xx while the database is down) is
retried as a browser or the alarm platform would: the same submission token, the same
Idempotency-Key. After the stream: every answered save is in the database, nothing is
half-written (bench/faults/fixture.py ``check``), and ``manage.py audit_verify`` exits 0. With
``--backup`` (PostgreSQL), bench/faults/backup.py then dumps and restores the drill database.
Exit code 0 when all holds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    DEFAULT_PGBIN,
    FAULTS,
    PYTHON,
    ROOT,
    Gunicorn,
    Postgres,
    Sealer,
    audit_verify,
    base_env,
    checkpoint_setting,
    free_port,
    log,
    seal_once,
)

CSRF = "faultdrillcsrfsecret0123456789ab"  # 32 characters: an unmasked CSRF secret
REPORT_URL = re.compile(r"/reports/(\d+)/")
ACTIVATIONS = "/api/alarms/activations/"


# -- the clients ------------------------------------------------------------------------------
@dataclass
class Ledger:
    """Every save answered "saved", appended to a file as it comes."""

    path: Path
    started: float
    rows: list[dict] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)  # no answer or 5xx, then retried
    failed_at: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # answers that are neither saved nor errors
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saved(self, kind: str, pk: int, **extra) -> None:
        row = {"kind": kind, "id": pk, "t": round(time.monotonic() - self.started, 3), **extra}
        with self.lock:
            self.rows.append(row)
            with open(self.path, "a") as out:
                out.write(json.dumps(row) + "\n")

    def failed(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1
            self.failed_at.append(time.monotonic())

    def refused(self, what: str) -> None:
        with self.lock:
            self.wrong.append(what)


def send(port: int, method: str, url: str, body: bytes, headers: dict) -> tuple[int, dict,
                                                                              bytes]:
    """One request on a new connection, as from the TLS proxy (``X-Forwarded-Proto``)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, url, body=body, headers={
            "Host": "localhost", "X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Stream:
    """The client threads; each retries a request until it is answered, or gives up
    ``grace`` seconds after the stream was told to stop."""

    def __init__(self, port_of, plan: dict, ledger: Ledger, intake_threads: int,
                 alarm_threads: int, grace: float) -> None:
        self.port_of, self.plan, self.ledger, self.grace = port_of, plan, ledger, grace
        self.stop = threading.Event()
        self.stopped_at = 0.0
        self.cases = list(plan["cases"])
        self.cases_lock = threading.Lock()
        self.threads = [threading.Thread(target=self.intakes, args=(n,), daemon=True)
                        for n in range(intake_threads)]
        self.threads += [threading.Thread(target=self.presses, args=(n,), daemon=True)
                         for n in range(alarm_threads)]
        self.gave_up = 0

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stopped_at = time.monotonic()
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _until_answered(self, what: str, call) -> object | None:
        """``call()`` returns a result, or None to be retried."""
        while True:
            try:
                result = call()
            except OSError as error:
                result = None
                self.ledger.failed(f"{what}: no answer ({type(error).__name__})")
            if result is not None:
                return result
            if self.stop.is_set() and time.monotonic() - self.stopped_at > self.grace:
                self.gave_up += 1
                return None
            time.sleep(0.2)

    def _next_case(self) -> list | None:
        with self.cases_lock:
            return self.cases.pop(0) if self.cases else None

    def intakes(self, number: int) -> None:
        session = self.plan["sessions"][number % len(self.plan["sessions"])]
        cookie = f"{self.plan['session_cookie']}={session}; {self.plan['csrf_cookie']}={CSRF}"
        while not self.stop.is_set():
            case = self._next_case()
            if case is None:
                return
            case_id, victim, perpetrator = case
            url = f"/cases/{case_id}/reports/new/"
            token = f"drill-intake-{case_id}"
            fields = {**self.plan["fields"], "victim_id": victim, "perpetrator_id": perpetrator,
                      "submission_token": token, "csrfmiddlewaretoken": CSRF}
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                       "Referer": f"https://localhost{url}"}
            tries = Counter()

            def post(url=url, body=body, headers=headers, tries=tries,
                     case_id=case_id) -> object | None:
                tries["n"] += 1
                status, answer, content = send(self.port_of(), "POST", url, body, headers)
                saved = REPORT_URL.search(answer.get("Location", "")) if status == 302 else None
                if saved:
                    return int(saved.group(1))
                if status >= 500:
                    self.ledger.failed(f"intake: {status}")
                    return None
                return f"intake on case {case_id} answered {status}: {content[:200]!r}"

            result = self._until_answered("intake", post)
            if isinstance(result, int):
                self.ledger.saved("intake", result, case=case_id, tries=tries["n"])
            elif result is not None:
                self.ledger.refused(result)

    def presses(self, number: int) -> None:
        headers = {"Authorization": f"Token {self.plan['gateway_token']}",
                   "Content-Type": "application/json"}
        while not self.stop.is_set():
            key = f"drill-press-{uuid.uuid4().hex}"
            body = json.dumps({"device": self.plan["device"],
                               "at": datetime.now(UTC).isoformat(),
                               "latitude": 50.8270, "longitude": 4.3720,
                               "accuracy_m": 10 + number}).encode()
            tries = Counter()

            def post(body=body, key=key, tries=tries) -> object | None:
                tries["n"] += 1
                status, _answer, content = send(self.port_of(), "POST", ACTIVATIONS, body,
                                                {**headers, "Idempotency-Key": key})
                if status in (200, 201):
                    return (status, json.loads(content)["id"])
                if status >= 500:
                    self.ledger.failed(f"alarm: {status}")
                    return None
                return f"press answered {status}: {content[:200]!r}"

            result = self._until_answered("alarm", post)
            if isinstance(result, tuple):
                self.ledger.saved("alarm", result[1], replayed=result[0] == 200,
                                  tries=tries["n"])
            elif result is not None:
                self.ledger.refused(result)
            time.sleep(0.05)


# -- the drill --------------------------------------------------------------------------------
def first_answer_after(ledger: Ledger, moment: float) -> float | None:
    """Seconds from ``moment`` (monotonic) to the first save answered after it."""
    since = moment - ledger.started
    later = [row["t"] for row in ledger.rows if row["t"] > since]
    return round(min(later) - since, 2) if later else None


def run(args: argparse.Namespace) -> dict:
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix=f"relais-faults-{args.db}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    pg = Postgres(args.pgbin, workdir / "pgdata", args.port) if args.db == "postgres" else None
    try:
        return drill(args, workdir, pg)
    finally:
        for process in list(RUNNING):
            process.stop()
        if pg is not None and not args.keep:
            pg.stop()


RUNNING: list = []  # the gunicorn and the sealer, stopped whatever happens


def drill(args: argparse.Namespace, workdir: Path, pg: Postgres | None) -> dict:
    if pg is not None:
        log(f"PostgreSQL: initdb in {pg.datadir}, port {args.port}")
        pg.init()
        pg.start()
        pg.createdb("relais_drill")
        url = pg.url("relais_drill")
    else:
        url = f"sqlite:///{workdir / 'drill.sqlite3'}"
    env = base_env(url, workdir)
    plan_path, ledger_path = workdir / "plan.json", workdir / "ledger.jsonl"
    ledger_path.write_text("")
    started = time.monotonic()
    log(f"Preparing the database ({url}): migrate, seed_scale --cases {args.cases}, "
        f"{args.intakes} drill cases...")
    subprocess.run([PYTHON, str(FAULTS / "fixture.py"), "prepare", "--plan", str(plan_path),
                    "--cases", str(args.cases), "--intakes", str(args.intakes),
                    "--sessions", str(args.intake_threads)], env=env, check=True, cwd=ROOT)
    preparing = time.monotonic() - started
    plan = json.loads(plan_path.read_text())
    env["RELAIS_FAULTS_STATIC"] = plan["static_root"] or ""

    port = free_port()
    server = Gunicorn(env, port, args.workers, workdir / "gunicorn.log")
    sealer = Sealer(env, workdir / "sealer.log")
    RUNNING.extend((server, sealer))
    boot = server.start()
    sealer.start(wait=True)
    log(f"gunicorn on port {port} with {args.workers} workers (up in {boot:.1f} s); sealer: "
        f"{'audit_seal --loop' if sealer.enabled else 'none (no audit_seal command)'}")

    ledger = Ledger(ledger_path, time.monotonic())
    stream = Stream(lambda: server.port, plan, ledger, args.intake_threads, args.alarm_threads,
                    args.grace)
    kills: list[dict] = []
    plan_of_kills = schedule(args)
    stream.start()
    t0 = time.monotonic()
    for at, what in plan_of_kills:
        while time.monotonic() - t0 < at:
            sealer.keep_alive()
            time.sleep(0.05)
        answered = len(ledger.rows)
        moment = time.monotonic()
        if what == "worker":
            pid = server.kill_worker()
            back = server.wait_workers(30)
            kills.append({"back": time.monotonic(), "what": "kill -9 of a gunicorn worker",
                          "pid": pid, "at_s": moment - t0,
                          "answered_before": answered,
                          "recovery": f"master started a new worker in {back:.2f} s",
                          "moment": moment})
        elif what == "postgres":
            pid = pg.kill9()
            time.sleep(args.down)
            restart = pg.start()
            back_at = time.monotonic()
            kills.append({"back": back_at, "what": "kill -9 of the PostgreSQL postmaster",
                          "pid": pid,
                          "at_s": moment - t0, "answered_before": answered,
                          "recovery": f"down {args.down:.0f} s, then pg_ctl start with crash "
                                      f"recovery in {restart:.2f} s", "moment": moment})
        elif what == "gunicorn":
            pids = server.kill_all()
            time.sleep(args.down)
            server.port = free_port() if args.new_port else port
            boot = server.start()
            back_at = time.monotonic()
            kills.append({"back": back_at,
                          "what": "kill -9 of the gunicorn master and all its workers",
                          "pid": pids[0], "at_s": moment - t0, "answered_before": answered,
                          "recovery": f"down {args.down:.0f} s, restarted in {boot:.2f} s",
                          "moment": moment})
        log(f"{kills[-1]['what']} (pid {kills[-1]['pid']}) after {answered} answered saves; "
            f"{kills[-1]['recovery']}")
    while time.monotonic() - t0 < args.seconds:
        sealer.keep_alive()
        time.sleep(0.05)
    stream.finish()
    streaming = time.monotonic() - t0
    for _n in range(50):  # the sealer's last rounds (restarted if it had exited)
        sealer.keep_alive()
        time.sleep(0.1)
    moments = [kill["moment"] for kill in kills][1:] + [float("inf")]
    for kill, following in zip(kills, moments, strict=True):
        kill["first_save_after_s"] = first_answer_after(ledger, kill.pop("moment"))
        back = kill.pop("back")  # failed attempts once it was back, until the next kill
        kill["failed_after_back"] = sum(1 for t in ledger.failed_at
                                        if back < t < min(back + 30, following))
    sealer.stop()
    server.stop()
    checkpoint_file = Path(env[checkpoint_setting()])
    checkpoint_lines = (len(checkpoint_file.read_text().splitlines())
                        if checkpoint_file.exists() else 0)
    sealing = seal_once(env)
    log(f"Stream over after {streaming:.0f} s: {len(ledger.rows)} saves answered; checking...")

    checked = subprocess.run([PYTHON, str(FAULTS / "fixture.py"), "check", "--plan",
                              str(plan_path), "--ledger", str(ledger_path)], env=env,
                             cwd=ROOT, capture_output=True, text=True)
    if checked.returncode != 0:
        print(checked.stdout, checked.stderr)
        raise SystemExit("the check failed to run")
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    verify_code, verify_output = audit_verify(env)
    replays = sum(1 for row in ledger.rows if row.get("replayed"))
    retried = sum(1 for row in ledger.rows if row.get("tries", 1) > 1)
    outcome = {
        "db": args.db, "mode": "short" if args.short else "full", "workers": args.workers,
        "cases": plan["seeded_cases"], "threads": f"{args.intake_threads} intake + "
        f"{args.alarm_threads} alarm", "preparing_s": round(preparing, 1),
        "stream_s": round(streaming, 1), "kills": kills,
        "answered": Counter(row["kind"] for row in ledger.rows),
        "retried_then_answered": retried, "replayed_presses": replays,
        "failed_attempts": dict(ledger.failures), "gave_up": stream.gave_up,
        "wrong_answers": ledger.wrong[:5], "check": result,
        "sealer": {"enabled": sealer.enabled, "restarts": sealer.restarts,
                   "checkpoints_written_by_the_loop": checkpoint_lines,
                   "last_pass": sealing[-300:]},
        "audit_verify": {"exit": verify_code, "output": verify_output[-500:]},
        "workdir": str(workdir),
    }
    if pg is not None:  # what PostgreSQL says of its crash recoveries
        log_text = (pg.datadir / "server.log").read_text(errors="replace").splitlines()
        outcome["recoveries"] = [line.split("LOG:", 1)[-1].strip() for line in log_text
                                 if "redo done" in line or "not properly shut down" in line]
    outcome["ok"] = (not result["problems"] and verify_code == 0 and not ledger.wrong
                     and stream.gave_up == 0 and len(ledger.rows) > 0)
    if args.backup and pg is not None:
        import backup

        outcome["backup"] = backup.backup_and_restore(pg, "relais_drill", env, workdir)
        outcome["ok"] = outcome["ok"] and outcome["backup"]["ok"]
    if not args.keep and outcome["ok"]:
        shutil.rmtree(workdir, ignore_errors=True)
    return outcome


def schedule(args: argparse.Namespace) -> list[tuple[float, str]]:
    """When to kill what, in seconds from the start of the stream."""
    big = "postgres" if args.db == "postgres" else "gunicorn"
    if args.short:
        return [(args.seconds * 0.25, "worker"), (args.seconds * 0.5, big)]
    return [(args.seconds * 0.12, "worker"), (args.seconds * 0.25, big),
            (args.seconds * 0.4, "worker"), (args.seconds * 0.55, "worker"),
            (args.seconds * 0.7, big), (args.seconds * 0.85, "worker")]


def report(outcome: dict) -> None:
    answered = outcome["answered"]
    check = outcome["check"]
    print()
    print(f"### Crash during writes, {outcome['db']} ({outcome['mode']})")
    print()
    print(f"{outcome['cases']:,} cases seeded; gunicorn {outcome['workers']} sync workers; "
          f"{outcome['threads']} client threads; stream {outcome['stream_s']:.0f} s "
          f"(preparing {outcome['preparing_s']:.0f} s).")
    print()
    print("| kill | at (s) | saves answered before | recovery | first save answered after "
          "(s) | failed attempts once back (30 s, until the next kill) |")
    print("|---|---:|---:|---|---:|---:|")
    for kill in outcome["kills"]:
        print(f"| {kill['what']} | {kill['at_s']:.0f} | {kill['answered_before']} | "
              f"{kill['recovery']} | {kill['first_save_after_s']} | "
              f"{kill['failed_after_back']} |")
    print()
    print(f"Answered \"saved\": {answered.get('intake', 0)} intake saves, "
          f"{answered.get('alarm', 0)} alarm presses ({outcome['replayed_presses']} answered "
          f"as a replay of a press already stored); {outcome['retried_then_answered']} "
          f"answered after a retry; failed attempts (retried): "
          f"{outcome['failed_attempts'] or 'none'}; gave up: {outcome['gave_up']}.")
    print(f"In the database: {check['reports_in_db']} reports, {check['activations_in_db']} "
          f"activations; saved but never answered: {check['unanswered_but_saved']}; tasks per "
          f"report: {check['tasks_per_report']}.")
    print(f"Check: {'every answered save is there, nothing half-written' if not check['problems'] else 'FAILED: ' + '; '.join(check['problems'])}.")  # noqa: E501
    sealer = outcome["sealer"]
    print(f"Sealer: {'audit_seal --loop, restarted ' + str(sealer['restarts']) + ' time(s) after it exited, ' + str(sealer['checkpoints_written_by_the_loop']) + ' checkpoints written during the drill' if sealer['enabled'] else 'none'}.")  # noqa: E501
    print(f"`audit_verify`: exit {outcome['audit_verify']['exit']}: "
          f"{outcome['audit_verify']['output'].splitlines()[-1] if outcome['audit_verify']['output'] else ''}")  # noqa: E501
    for line in outcome.get("recoveries", []):
        print(f"PostgreSQL: {line}")
    if outcome["wrong_answers"]:
        print(f"Unexpected answers: {outcome['wrong_answers']}")
    if "backup" in outcome:
        import backup

        backup.report(outcome["backup"])
    print()
    print(f"Result: {'PASS' if outcome['ok'] else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--db", choices=("postgres", "sqlite"), required=True)
    parser.add_argument("--short", action="store_true",
                        help="the CI drill: a short stream, one kill of each kind")
    parser.add_argument("--pgbin", default=DEFAULT_PGBIN, help="PostgreSQL's bin directory")
    parser.add_argument("--port", type=int, default=54350, help="PostgreSQL's port")
    parser.add_argument("--workdir", help="data, logs and ledger (default: a new temp dir)")
    parser.add_argument("--cases", type=int, help="seed_scale cases (2000; short: 200)")
    parser.add_argument("--intakes", type=int, help="drill cases, at most one intake each")
    parser.add_argument("--seconds", type=float, help="length of the stream (150; short: 12)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--intake-threads", type=int, default=3)
    parser.add_argument("--alarm-threads", type=int, default=2)
    parser.add_argument("--down", type=float, default=2.0,
                        help="seconds the killed server stays down before its restart")
    parser.add_argument("--grace", type=float, default=60.0,
                        help="seconds a client keeps retrying after the stream ends")
    parser.add_argument("--new-port", action="store_true",
                        help="restart gunicorn on another port (default: the same)")
    parser.add_argument("--backup", action="store_true",
                        help="PostgreSQL: then pg_dump, pg_restore and compare (backup.py)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the server running and the work directory")
    parser.add_argument("--json", help="write the outcome as JSON here")
    args = parser.parse_args()
    args.cases = args.cases or (200 if args.short else 2000)
    args.seconds = args.seconds or (12.0 if args.short else 150.0)
    args.intakes = args.intakes or (80 if args.short else 1500)
    outcome = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(outcome, indent=1, default=str))
    report(outcome)
    sys.exit(0 if outcome["ok"] else 1)


if __name__ == "__main__":
    main()
