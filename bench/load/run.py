#!/usr/bin/env python
"""The load test: 200 simulated users doing a working day's mix against gunicorn (4 workers) on
PostgreSQL, then the same mix against the bare views, then the knee.

    DATABASE_URL=postgres://postgres@127.0.0.1:54340/relais_load RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/load/run.py

See bench/load/README.md (how to make the database, what is measured, the options).

Phases, each a headless Locust run bounded by ``--run-time`` and ``--max-requests``, after
which ``manage.py audit_verify`` is run and recorded:

1. "relais": ``gunicorn relais.wsgi`` (the production entry point) with ``--users`` users;
2. "bare": ``gunicorn bare:application`` (``bench/load/bare.py``), the same users and mix;
3. "knee": the real server again, ``--knee`` user counts, ``--knee-time`` each.

Beside the server for the whole run: ``manage.py followup_tick`` every ``--tick-every`` seconds
(its durations and failures are a row of the table), ``manage.py audit_seal --loop`` when that
command exists, and an SMTP sink that accepts the alarm e-mails. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

LOAD_DIR = Path(__file__).resolve().parent
BENCH_DIR = LOAD_DIR.parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(LOAD_DIR))

# alarm first: it imports benchlib, which sets up Django on DATABASE_URL.
import alarm  # noqa: E402
import bare  # noqa: E402, F401  (checks that the baseline's URLconf imports)
import directory  # noqa: E402
from benchlib import database_label, percentile  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from relais.accounts.models import Agency, Role, User  # noqa: E402
from relais.accounts.services import totp_device_with_secret, user_create  # noqa: E402
from relais.alarms.models import AlarmAssignment, DeviceStatus  # noqa: E402
from relais.cases.models import Case, CaseParticipant, ParticipantRole  # noqa: E402
from relais.demo.management.commands.seed_scale import PLACES  # noqa: E402

PAGES_P95_MS, PRESS_P99_MS = 200.0, 50.0
# Who is on line, by weight, and how long each waits between two actions (seconds).
WEIGHTS = {"officer": 40, "sapv": 15, "legal": 15, "dispatch": 10, "public": 20,
           "case_pages_per_intake": 4}
WAIT = {"staff": (5, 15), "dispatch": (10, 30), "public": (5, 20)}
CASES_PER_ZONE = 5000  # the cases officers open and record intakes on, per zone
USER_PREFIX = "bench.load."
ALARM_ROWS = ("alarm press", "alarm summary (JSON)", "alarm press to summary ready")
URLS = {
    "relais": {"case": "/cases/{case}/", "intake": "/cases/{case}/reports/new/",
               "queue": "/follow-up/?queue=team", "table": "/prosecution/?status=to_decide",
               "press": alarm.ACTIVATIONS_URL},
    "bare": {"case": bare.CASE_URL, "intake": bare.INTAKE_URL, "queue": bare.QUEUE_URL,
             "table": bare.TABLE_URL, "press": bare.PRESS_URL},
}


# -- the data and the users ------------------------------------------------------------------
TICK_APP = "relais-load-tick"  # libpq's application_name of the ticks (PGAPPNAME)


def manage(*arguments: str, check: bool = False, timeout: float | None = None
           ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], cwd=ROOT,
                          capture_output=True, text=True, check=check, timeout=timeout,
                          env={**os.environ, "PGAPPNAME": TICK_APP})


def cancel_ticks() -> None:
    """A killed tick's query goes on in PostgreSQL until it next writes to the client: end it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE application_name = %s", [TICK_APP])


def prepare_static() -> None:
    """``relais.wsgi`` serves ``STATIC_ROOT`` (whitenoise, hashed names): collect it if stale."""
    root = Path(settings.STATIC_ROOT)
    manifest = root / "staticfiles.json"
    collected = manifest.stat().st_mtime if manifest.exists() else 0.0
    newest = max(Path(storage.path(name)).stat().st_mtime
                 for finder in finders.get_finders() for name, storage in finder.list([]))
    if newest > collected:
        print(f"Collecting static files into {root}...", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)


def staff_user(username: str, agency: Agency, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, agency=agency, roles=[role], password=None,
                           first_name="Charge", last_name="Synthétique")
    return user


def verified_session(user: User) -> str:
    """A session past both sign-in steps (as benchlib.verified_client), without a client."""
    device = totp_device_with_secret(user=user, base32_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                                     name="bench")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def pool_sizes(users: int) -> dict[str, int]:
    total = sum(WEIGHTS[role] for role in ("officer", "sapv", "legal", "dispatch", "public"))
    return {role: math.ceil(users * WEIGHTS[role] / total) + 1
            for role in ("officer", "sapv", "legal")}


@dataclass
class World:
    zones: dict[int, alarm.Zone]
    cases: dict[str, list[list[int | None]]]
    places: dict[str, tuple[str, str]]
    dispatch: list[dict]
    staff: dict[str, list[tuple[User, int]]] = field(default_factory=dict)


CATCH_UP: list[str] = []


def prepare(seed: int, most_users: int, catch_up: float) -> World:
    """What the mix needs beyond ``seed_scale``, each step skipped when already there."""
    zone_of, prosecutor, magistrate = alarm.zones()
    building, built = alarm.prepare_alarms(zone_of, prosecutor, magistrate, seed)
    if building:
        print(f"  alarm data built in {building:.0f} s: {dict(built)}", flush=True)
    print("  followup_tick once (the day's catch-up, before the load)...", flush=True)
    started = time.perf_counter()
    try:
        ticked = manage("followup_tick", timeout=catch_up)
        CATCH_UP.append(f"the day's catch-up tick before the load: "
                        f"{time.perf_counter() - started:.0f} s, exit {ticked.returncode} "
                        f"({(ticked.stdout + ticked.stderr).strip()[-200:]})")
    except subprocess.TimeoutExpired:
        cancel_ticks()
        CATCH_UP.append(f"**the day's catch-up tick before the load did not end in "
                        f"{catch_up:.0f} s: stopped**")
    print(f"  {CATCH_UP[-1]}", flush=True)
    keeper = directory.bench_user()[1]
    directory.prepare_directory(1000, seed, False, keeper)
    rng = random.Random(seed)
    cases: dict[str, list[list[int | None]]] = {}
    places: dict[str, tuple[str, str]] = {}
    for zone in zone_of.values():
        ids = list(Case.objects.filter(owner_agency=zone.agency, closed_at__isnull=True)
                   .order_by("-pk").values_list("pk", flat=True)[:CASES_PER_ZONE * 4])
        chosen = sorted(rng.sample(ids, min(CASES_PER_ZONE, len(ids))))
        people: dict[int, dict[str, int]] = defaultdict(dict)
        for case_id, role, person_id in CaseParticipant.objects.filter(
                case_id__in=chosen,
                role__in=[ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR]
        ).values_list("case_id", "role", "person_id"):
            people[case_id].setdefault(role, person_id)
        cases[str(zone.number)] = [
            [pk, people[pk][ParticipantRole.VICTIM],
             people[pk].get(ParticipantRole.ALLEGED_PERPETRATOR)]
            for pk in chosen if ParticipantRole.VICTIM in people[pk]]
        _refnis, postcode, _street = PLACES[(zone.number - 1) % len(PLACES)]
        places[str(zone.number)] = (postcode, _refnis)
    serials: dict[int, list[str]] = defaultdict(list)
    for serial, agency_id in AlarmAssignment.objects.filter(
            returned_at__isnull=True, device__status=DeviceStatus.ASSIGNED,
            device__serial__startswith=alarm.SERIAL).values_list("device__serial",
                                                                 "device__agency_id"):
        serials[agency_id].append(serial)
    dispatch = [{"zone": zone.number, "token": zone.token, "reader": zone.reader_token,
                 "serials": sorted(serials[pk])} for pk, zone in zone_of.items()
                if serials[pk]]
    if not dispatch:
        raise SystemExit("No alarm device in use: bench/alarm.py's data is missing.")
    world = World(zones=zone_of, cases=cases, places=places, dispatch=dispatch)
    sizes = pool_sizes(most_users)
    numbers = sorted(zone.number for zone in zone_of.values())
    by_number = {zone.number: zone for zone in zone_of.values()}
    for role, code in (("officer", Role.INTERVENTION_OFFICER),
                       ("sapv", Role.VICTIM_ASSISTANCE_WORKER)):
        world.staff[role] = []
        for index in range(sizes[role]):
            number = numbers[index % len(numbers)]
            world.staff[role].append((staff_user(
                f"{USER_PREFIX}z{number}.{role}{index:03d}", by_number[number].agency, code),
                number))
    world.staff["legal"] = [(staff_user(f"{USER_PREFIX}legal{index:03d}", prosecutor,
                                        Role.LEGAL_ADVISOR), 0)
                            for index in range(sizes["legal"])]
    return world


def write_fixture(world: World, mode: str, path: Path, samples: Path, max_requests: int,
                  warmup: float) -> None:
    """Fresh sessions for every staff user, and what the simulated users need."""
    sessions = {role: [{"session": verified_session(user), "zone": number}
                       for user, number in users] for role, users in world.staff.items()}
    path.write_text(json.dumps({
        "mode": mode, "urls": URLS[mode], "weights": WEIGHTS, "wait": WAIT,
        "sessions": sessions, "dispatch": world.dispatch, "cases": world.cases,
        "places": world.places, "public_postcodes": ["1050", "1030", "1000", "1070", "1180"],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME, "samples": str(samples),
        "max_requests": max_requests, "warmup": warmup}), encoding="utf-8")


def tidy(world: World) -> None:
    """As the dispatchers would: the presses of the previous phase handled, their notices read
    (else the dispatchers' menu badges count every press of the run)."""
    alarm.tidy(alarm.Fleet(active=[], zone_of=world.zones))


# -- the processes beside the load -----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, workers: int, env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """The server as docs/production.md runs it (sync workers), on a loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--chdir", str(ROOT), "--log-level", "warning"]
    if app.startswith("bare:"):
        command += ["--pythonpath", f"{LOAD_DIR},{BENCH_DIR}"]
    process = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn {app} did not start") from None
                time.sleep(0.3)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


class Tick(threading.Thread):
    """``manage.py followup_tick`` every ``every`` seconds, as a systemd timer would (a
    subprocess; a run that lasts longer delays the next one); ``stop`` ends a run in progress."""

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True)
        self.every, self.stopping = every, threading.Event()
        self.runs: list[tuple[float, float, int]] = []  # (started, seconds, exit status)
        self.process: subprocess.Popen | None = None
        self.cut_short = 0  # runs still going when the test ended

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            started = time.time()
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "followup_tick"], cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "PGAPPNAME": TICK_APP})
            status = self.process.wait()
            if self.stopping.is_set() and status < 0:
                self.cut_short += 1
                break
            self.runs.append((started, time.time() - started, status))

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
        self.join(timeout=60)
        cancel_ticks()


@contextmanager
def beside(commands: list[str]) -> Iterator[str]:
    """Management commands that run beside the server (``audit_seal --loop`` by default), each
    started only when the code has it (``manage.py help NAME`` succeeds)."""
    logs = Path(tempfile.mkdtemp(prefix="relais-load-beside-"))
    started: list[tuple[str, subprocess.Popen]] = []
    notes: list[str] = []
    try:
        for command in commands:
            words = command.split()
            if manage("help", words[0]).returncode != 0:
                notes.append(f"no `{words[0]}` command in this code")
                continue
            log = logs / f"{words[0]}.log"
            with open(log, "w", encoding="utf-8") as output:
                process = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *words],
                                           cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
            started.append((command, process))
            notes.append(f"`manage.py {command}` ran beside the server (log {log})")
        time.sleep(2 if started else 0)
        for command, process in started:
            if process.poll() is not None:
                raise SystemExit(f"`manage.py {command}` stopped at once: see {logs}")
        yield "; ".join(notes) or "nothing else beside the server"
    finally:
        if started:
            time.sleep(5)  # e.g. the sealer: let it seal the last events
        for _command, process in started:
            process.terminate()
            process.wait(timeout=60)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            pending += [int(child) for child in
                        Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


class LoadSampler(threading.Thread):
    """Every second: the load average, and what the database's busy sessions are doing
    (``pg_stat_activity``: running, or waiting on a lock, I/O, the client...)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.values: list[float] = []
        self.waits: Counter = Counter()
        self.polls = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connections

        name = settings.DATABASES["default"]["NAME"]
        try:
            while not self.stopping.wait(1):
                self.values.append(os.getloadavg()[0])
                if connection.vendor != "postgresql":
                    continue
                with connections["default"].cursor() as cursor:
                    cursor.execute(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid() AND state <> 'idle'",
                        [name])
                    for state, kind, event in cursor.fetchall():
                        self.waits[f"{state}: {kind or 'CPU'}/{event or '-'}"] += 1
                self.polls += 1
        finally:
            connections.close_all()

    def busy(self) -> str:
        if not self.polls:
            return ""
        return "; ".join(f"{what} {count / self.polls:.2f}"
                         for what, count in self.waits.most_common(6))

    def stop(self) -> str:
        self.stopping.set()
        self.join()
        if not self.values:
            return "n/a"
        return f"mean {statistics.fmean(self.values):.1f}, max {max(self.values):.1f}"


# -- one phase -------------------------------------------------------------------------------
@dataclass
class Phase:
    label: str
    mode: str
    users: int
    run_time: str
    rows: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    load: str = ""
    busy: str = ""  # the database's busy sessions, on average, by what they were doing
    server_cpu: float = 0.0  # CPU seconds of gunicorn's workers during the run
    ticks: list[tuple[float, float, int]] = field(default_factory=list)
    locust_rc: int = 0
    generator_busy: bool = False  # Locust warned that its own CPU was above 90 %


def warm(port: int, fixture: Path, workers: int) -> float:
    """Each kind of request a few times on every worker before Locust starts: a worker's first
    request of a page loads its views, templates and translations (seconds on a busy machine),
    which is start-up, not load. Concurrent connections, so that every worker gets some."""
    data = json.loads(fixture.read_text())
    urls, officer = data["urls"], data["sessions"]["officer"][0]
    case = data["cases"][str(officer["zone"])][0][0]
    cookie = {"officer": officer, "sapv": data["sessions"]["sapv"][0],
              "legal": data["sessions"]["legal"][0]}
    gateway = data["dispatch"][0]
    pages = [("officer", urls["case"].format(case=case)),
             ("officer", urls["intake"].format(case=case)), ("sapv", urls["queue"]),
             ("legal", urls["table"]), (None, "/help/fr/")]

    def send(method: str, url: str, headers: dict, body: bytes | None = None) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.request(method, url, body=body, headers={"X-Forwarded-Proto": "https",
                                                          **headers})
            return conn.getresponse().read()
        finally:
            conn.close()

    def one_of_each() -> None:
        for role, url in pages:
            headers = {"Cookie": f"{data['session_cookie']}={cookie[role]['session']}"} \
                if role else {}
            send("GET", url, headers)
        send("POST", "/help/fr/", {"Content-Type": "application/x-www-form-urlencoded"},
             b"where=1050&need=support")
        body = json.dumps({"device": gateway["serials"][0],
                           "at": datetime.now(UTC).isoformat()}).encode()
        answer = send("POST", urls["press"], {"Content-Type": "application/json",
                                              "Authorization": f"Token {gateway['token']}"},
                      body)
        summary = json.loads(answer or b"{}").get("summary_api_url")
        if summary:
            send("GET", summary, {"Authorization": f"Token {gateway['reader']}"})

    started = time.perf_counter()
    for _round in range(2):
        threads = [threading.Thread(target=one_of_each) for _n in range(workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return time.perf_counter() - started


def seconds(duration: str) -> float:
    """"90", "90s", "10m", "1h" -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1:] in units:
        return float(duration[:-1]) * units[duration[-1]]
    return float(duration)


def locust(phase: Phase, port: int, world: World, workdir: Path, args, server: int) -> None:
    fixture, samples = workdir / f"{phase.label}.json", workdir / f"{phase.label}-samples.json"
    write_fixture(world, phase.mode, fixture, samples, args.max_requests, args.warmup)
    print(f"[{now()}] {phase.label}: warming the workers up...", flush=True)
    warmed = warm(port, fixture, args.workers)
    print(f"  {warmed:.0f} s", flush=True)
    ramp = phase.users / args.spawn_rate
    total = math.ceil(ramp + args.warmup + seconds(phase.run_time))
    command = [sys.executable, "-m", "locust", "-f", str(LOAD_DIR / "locustfile.py"),
               "--headless", "--users", str(phase.users), "--spawn-rate", str(args.spawn_rate),
               "--run-time", f"{total}s", "--host", f"http://127.0.0.1:{port}",
               "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
               "--exit-code-on-error", "0"]
    print(f"[{now()}] {phase.label}: {phase.users} users for {phase.run_time} after a "
          f"{ramp:.0f} s ramp-up and {args.warmup:.0f} s warm-up (at most "
          f"{args.max_requests:,} requests)...", flush=True)
    sampler = LoadSampler()
    sampler.start()
    cpu = cpu_seconds(server)
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "LOAD_FIXTURE": str(fixture)},
                          capture_output=True, text=True)
    phase.server_cpu = cpu_seconds(server) - cpu
    phase.load, phase.busy = sampler.stop(), sampler.busy()
    phase.locust_rc = done.returncode
    (workdir / f"{phase.label}-locust.log").write_text(done.stdout + done.stderr)
    phase.generator_busy = "CPU usage above" in done.stdout + done.stderr
    if not samples.exists():
        raise SystemExit(f"Locust wrote no samples ({done.returncode}): "
                         f"{(done.stdout + done.stderr)[-2000:]}")
    recorded = json.loads(samples.read_text())
    phase.seconds = recorded["measured_to"] - recorded["measured_from"]
    by_name: dict[str, list[tuple[float, bool, int]]] = defaultdict(list)
    for name, ms, ok, status in recorded["samples"]:
        by_name[name].append((ms, ok, status))
    for name, rows in sorted(by_name.items()):
        times = [ms for ms, _ok, _status in rows]
        failed = [status for _ms, ok, status in rows if not ok]
        phase.rows[name] = {"count": len(rows), "errors": len(failed),
                            "statuses": sorted(set(failed)),
                            "median": statistics.median(times),
                            "p95": percentile(times, 0.95), "p99": percentile(times, 0.99),
                            "times": times}


def now() -> str:
    return datetime.now(UTC).strftime("%H:%M:%S")


def run_phase(phase: Phase, args, world: World, env: dict[str, str], workdir: Path,
              tick: Tick) -> Phase:
    tidy(world)
    app = "relais.wsgi:application" if phase.mode == "relais" else "bare:application"
    with gunicorn(app, args.workers, env) as (port, pid):
        first = len(tick.runs)
        locust(phase, port, world, workdir, args, pid)
        phase.ticks = tick.runs[first:]
    return phase


# -- the report ------------------------------------------------------------------------------
def pages(phase: Phase) -> list[float]:
    return [ms for name, row in phase.rows.items()
            if not name.startswith("alarm") for ms in row["times"]]


def table(phase: Phase, baseline: Phase | None = None) -> list[str]:
    head = "| request | count | errors | median ms | p95 ms | p99 ms |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    if baseline:
        head += " bare p95 ms | ratio p95 |"
        rule += " ---: | ---: |"
    lines = [head, rule]
    for name, row in phase.rows.items():
        errors = f"{row['errors']}" + (f" ({', '.join(map(str, row['statuses']))})"
                                       if row["errors"] else "")
        line = (f"| {name} | {row['count']:,} | {errors} | {row['median']:.1f} | "
                f"{row['p95']:.1f} | {row['p99']:.1f} |")
        if baseline:
            other = baseline.rows.get(name)
            line += (f" {other['p95']:.1f} | {row['p95'] / other['p95']:.2f}× |"
                     if other else " — | — |")
        lines.append(line)
    everything = pages(phase)
    if everything:
        line = (f"| **all pages** | {len(everything):,} | "
                f"{sum(r['errors'] for n, r in phase.rows.items() if not n.startswith('alarm'))}"
                f" | {statistics.median(everything):.1f} | {percentile(everything, 0.95):.1f} | "
                f"{percentile(everything, 0.99):.1f} |")
        if baseline and pages(baseline):
            base = percentile(pages(baseline), 0.95)
            line += f" {base:.1f} | {percentile(everything, 0.95) / base:.2f}× |"
        lines.append(line)
    if phase.ticks:
        seconds = [s for _at, s, _rc in phase.ticks]
        failed = sum(1 for _at, _s, rc in phase.ticks if rc)
        lines.append("| followup_tick (a subprocess; ms of each run) | "
                     f"{len(seconds)} | {failed} | {statistics.median(seconds) * 1000:.0f} | "
                     f"— | max {max(seconds) * 1000:.0f} |" + (" — | — |" if baseline else ""))
    return lines


def verdict(phase: Phase) -> list[str]:
    errors = sum(row["errors"] for row in phase.rows.values())
    page_p95 = percentile(pages(phase), 0.95) if pages(phase) else float("nan")
    press = phase.rows.get("alarm press", {}).get("p99", float("nan"))
    ticks_failed = sum(1 for _at, _s, rc in phase.ticks if rc)
    return [
        f"- errors: {errors} (target 0) {'✔' if errors == 0 else '✘'}; tick failures: "
        f"{ticks_failed}",
        f"- pages p95: {page_p95:.1f} ms (target ≤ {PAGES_P95_MS:.0f}) "
        f"{'✔' if page_p95 <= PAGES_P95_MS else '✘'}",
        f"- alarm press p99: {press:.1f} ms (target ≤ {PRESS_P99_MS:.0f}) "
        f"{'✔' if press <= PRESS_P99_MS else '✘'}",
    ]


def report(args, world: World, phases: list[Phase], knee: list[Phase], sealing: str,
           verify: subprocess.CompletedProcess | None, started: float) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    cases = Case.objects.count()
    out = [f"### Load test, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
           f"- commit `{commit}`{' (with uncommitted changes)' if dirty else ''}; "
           f"{database_label()} (`{settings.DATABASES['default']['NAME']}`), "
           f"{cases:,} cases; Python {platform.python_version()}",
           f"- machine: {os.cpu_count()} CPUs (nproc), {memory:.1f} GiB RAM, shared with the "
           f"database, the load generator and the other processes; load average at the end "
           f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}",
           f"- server: gunicorn, {args.workers} sync workers, loopback; "
           f"`followup_tick` every {args.tick_every:.0f} s (one at a time); {sealing}",
           f"- {'; '.join(CATCH_UP) or 'no catch-up tick'}",
           f"- mix (weights): {', '.join(f'{k} {v}' for k, v in WEIGHTS.items())}; waits "
           f"(s): {WAIT}; sessions: {', '.join(f'{k} {len(v)}' for k, v in world.staff.items())}"
           f", {len(world.dispatch)} dispatch gateways",
           f"- command: `{' '.join(sys.argv)}`; total {time.time() - started:.0f} s", ""]
    by_label = {phase.label: phase for phase in phases}
    main, base = by_label.get("relais"), by_label.get("bare")
    for phase in phases:
        out += [f"#### {phase.label}: {phase.users} users, {phase.run_time} "
                f"({phase.seconds:.0f} s measured after the ramp-up and warm-up), load average "
                f"(1 min) "
                f"{phase.load}", ""]
        out += table(phase, base if phase is main and base else None)
        out += [""] + verdict(phase)
        requests = sum(r["count"] for n, r in phase.rows.items()
                       if n != "alarm press to summary ready")
        out += [f"- throughput {requests / max(phase.seconds, 1):.1f} requests/s; gunicorn's "
                f"workers used {phase.server_cpu:.0f} CPU-s over the whole run (ramp-up and "
                f"warm-up included)" + ("; **Locust warned that its own CPU was above 90 %**: "
                                        "the load generator may have been the bottleneck"
                                        if phase.generator_busy else ""),
                f"- the database's busy sessions, on average (sampled every second): "
                f"{phase.busy or 'n/a'}", ""]
    if knee:
        out += ["#### The knee (real server, pages p95 and alarm press p99 by users)", "",
                "| users | requests/s | pages p95 ms | pages p99 ms | alarm press p99 ms | "
                "errors | load average |", "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        crossed = None
        for phase in knee:
            p = pages(phase)
            p95 = percentile(p, 0.95) if p else float("nan")
            if crossed is None and p95 > PAGES_P95_MS:
                crossed = phase.users
            count = sum(r["count"] for n, r in phase.rows.items()
                        if n != "alarm press to summary ready")
            out.append(f"| {phase.users} | {count / max(phase.seconds, 1):.1f} | {p95:.1f} | "
                       f"{percentile(p, 0.99) if p else float('nan'):.1f} | "
                       f"{phase.rows.get('alarm press', {}).get('p99', float('nan')):.1f} | "
                       f"{sum(r['errors'] for r in phase.rows.values())} | {phase.load} |")
        out += ["", f"Pages p95 crosses {PAGES_P95_MS:.0f} ms at "
                    f"{crossed} users." if crossed else
                f"Pages p95 stays under {PAGES_P95_MS:.0f} ms up to {knee[-1].users} users.", ""]
    if verify is not None:
        text = (verify.stdout + verify.stderr).strip()
        out += [f"`manage.py audit_verify` afterwards (exit {verify.returncode}):", "", "```",
                text[-1500:], "```", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--run-time", default="10m", help="the main run (Locust's syntax)")
    parser.add_argument("--baseline-time", default="",
                        help="the bare run (default: --run-time); 0 to skip it")
    parser.add_argument("--knee", default="25,50,100,200,300",
                        help="user counts of the knee ('' to skip it)")
    parser.add_argument("--knee-time", default="90s")
    parser.add_argument("--max-requests", type=int, default=1_000_000,
                        help="each phase stops after this many requests")
    parser.add_argument("--warmup", type=float, default=20.0,
                        help="seconds not measured once every user is there")
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="users started per s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--tick-every", type=float, default=60.0, help="seconds")
    parser.add_argument("--catch-up-timeout", type=float, default=600.0,
                        help="seconds given to the catch-up tick before the load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--beside", default="audit_seal --loop",
                        help="management commands to run beside the server, comma-separated "
                             "(each only if the code has it)")
    parser.add_argument("--only", default="relais,bare,knee",
                        help="phases to run, comma-separated")
    parser.add_argument("--out", default="",
                        help="write the markdown report to this file (again after each phase)")
    args = parser.parse_args()
    started = time.time()
    if connection.vendor != "postgresql":
        print("Warning: not PostgreSQL; the load test is meant for PostgreSQL.", flush=True)
    if not Case.objects.exists():
        raise SystemExit("No case: fill the database with seed_scale first (README.md).")
    call_command("migrate", verbosity=0)
    prepare_static()
    knee_users = [int(n) for n in args.knee.split(",") if n.strip()]
    wanted = set(args.only.split(","))
    if "knee" not in wanted:
        knee_users = []
    print(f"[{now()}] Preparing the data and the users...", flush=True)
    world = prepare(args.seed, max([args.users, *knee_users]), args.catch_up_timeout)
    if not Case.objects.filter(pk__in=[c[0] for c in world.cases["1"][:1]]).exists():
        raise SystemExit("The bench cases are missing.")
    workdir = Path(tempfile.mkdtemp(prefix="relais-load-"))
    phases: list[Phase] = []
    knee: list[Phase] = []
    verify = None
    with alarm.smtp_sink() as mail_port, beside(
            [c.strip() for c in args.beside.split(",") if c.strip()]) as sealing:
        env = {**os.environ, "RELAIS_EMAIL_HOST": "127.0.0.1",
               "RELAIS_EMAIL_PORT": str(mail_port)}
        tick = Tick(args.tick_every)
        tick.start()
        def save() -> None:
            if args.out:
                Path(args.out).write_text(report(args, world, phases, knee, sealing, None,
                                                 started) + "\n", encoding="utf-8")

        try:
            if "relais" in wanted:
                phases.append(run_phase(Phase("relais", "relais", args.users, args.run_time),
                                        args, world, env, workdir, tick))
                save()
            baseline_time = args.baseline_time or args.run_time
            if "bare" in wanted and baseline_time != "0":
                phases.append(run_phase(Phase("bare", "bare", args.users, baseline_time),
                                        args, world, env, workdir, tick))
                save()
            for users in knee_users:
                knee.append(run_phase(Phase(f"knee-{users}", "relais", users, args.knee_time),
                                      args, world, env, workdir, tick))
                save()
        finally:
            tick.stop()
    print(f"[{now()}] audit_verify...", flush=True)
    verify = manage("audit_verify")
    text = report(args, world, phases, knee, sealing, verify, started)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
