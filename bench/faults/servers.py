"""The processes the fault drills start, kill and restart: a throw-away PostgreSQL server, a
gunicorn master with its workers, and the audit sealer beside them. Standard library only (the
drills' driver never imports Django: its connections would not survive the kills).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAULTS = Path(__file__).resolve().parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
DEFAULT_PGBIN = "/usr/lib/postgresql/15/bin"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def wait_port(port: int, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if (process is not None and process.poll() is not None) \
                    or time.monotonic() > deadline:
                raise RuntimeError(f"nothing answers on port {port}") from None
            time.sleep(0.1)


def wait_healthy(port: int, seconds: float, process: subprocess.Popen | None = None) -> None:
    """Until ``GET /health`` answers 200 (as the proxy's health check would)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health", headers={"Host": "localhost",
                                                     "X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"GET /health on port {port} does not answer 200")
        time.sleep(0.1)


# -- PostgreSQL -------------------------------------------------------------------------------
class Postgres:
    """A PostgreSQL cluster of our own on loopback, durable: ``fsync`` and
    ``synchronous_commit`` on, full-page writes on (the defaults, said explicitly)."""

    def __init__(self, bindir: str, datadir: Path, port: int, *, extra: str = "") -> None:
        self.bindir, self.datadir, self.port, self.extra = Path(bindir), Path(datadir), port, extra
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([*self.as_postgres, str(self.bindir / tool), *args],
                              capture_output=True, text=True)
        if check and done.returncode != 0:
            print(done.stdout, done.stderr, file=sys.stderr)
            done.check_returncode()
        return done

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        if self.datadir.exists():
            shutil.rmtree(self.datadir)
        self.datadir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.datadir, "postgres")
            self.datadir.parent.chmod(0o755)  # mkdtemp makes it 0700: let postgres through
        self._run("initdb", "-D", str(self.datadir), "-A", "trust", "-U", "postgres", "-E",
                  "UTF8", "--locale=C")

    def options(self) -> str:
        return (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.datadir} "
                "-c fsync=on -c synchronous_commit=on -c full_page_writes=on "
                f"-c max_connections=60 {self.extra}")

    def start(self, seconds: float = 60) -> float:
        """Start (crash recovery included when it was killed); the seconds it took. Retries
        while the killed server's backends still hold the shared memory."""
        started = time.monotonic()
        while True:
            done = self._run("pg_ctl", "-D", str(self.datadir), "-l",
                             str(self.datadir / "server.log"), "-w", "-t", "60",
                             "-o", self.options(), "start", check=False)
            if done.returncode == 0:
                return time.monotonic() - started
            if time.monotonic() - started > seconds:
                raise RuntimeError(f"PostgreSQL did not start: {done.stdout} {done.stderr}")
            time.sleep(0.2)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop", check=False)

    def postmaster(self) -> int | None:
        try:
            return int((self.datadir / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None

    def kill9(self) -> int:
        """``kill -9`` of the postmaster; returns its pid once it is gone."""
        pid = self.postmaster()
        if pid is None or not alive(pid):
            raise RuntimeError("no postmaster to kill")
        os.kill(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.02)
        return pid

    def createdb(self, name: str, *, template: str = "template1") -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-T", template, name)

    def dropdb(self, name: str) -> None:
        self._run("dropdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "--if-exists", name)

    def psql(self, database: str, sql: str) -> str:
        done = self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql)
        return done.stdout.strip()

    def tool(self, name: str) -> str:
        return str(self.bindir / name)


# -- gunicorn ---------------------------------------------------------------------------------
class Gunicorn:
    """``gunicorn`` as in docs/production.md "Serving" (sync workers), through
    bench/faults/serve.py (relais.wsgi with the collected static files and no SMTP)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, logfile: Path) -> None:
        self.env, self.port, self.workers, self.logfile = env, port, workers, logfile
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        started = time.monotonic()
        with open(self.logfile, "a") as out:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--timeout", "30", "--graceful-timeout", "5",
                 "--pythonpath", f"{FAULTS},{ROOT}", "--log-level", "warning",
                 "serve:application"], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                cwd=ROOT)
        wait_port(self.port, 120, self.process)
        self.wait_workers(120)
        for _n in range(self.workers):  # a worker answers once it has loaded the application
            wait_healthy(self.port, 120, self.process)
        return time.monotonic() - started

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def wait_workers(self, seconds: float) -> float:
        """Until the master has all its workers again; the seconds it took."""
        started = time.monotonic()
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() - started > seconds:
                raise RuntimeError("gunicorn did not bring its workers back")
            time.sleep(0.05)
        return time.monotonic() - started

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> list[int]:
        """``kill -9`` of the master, then of each of its workers."""
        workers = self.worker_pids()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in workers:
            while alive(pid):
                time.sleep(0.02)
        return [self.process.pid, *workers]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- the audit sealer -------------------------------------------------------------------------
def has_command(name: str, env: dict[str, str]) -> bool:
    return subprocess.run([*MANAGE, "help", name], env=env, cwd=ROOT,
                          capture_output=True).returncode == 0


class Sealer:
    """``manage.py audit_seal --loop`` beside the server when the command exists (the audit
    trail without a global lock); restarted whenever it exits, as systemd's
    ``Restart=always`` would."""

    def __init__(self, env: dict[str, str], logfile: Path) -> None:
        self.env, self.logfile = env, logfile
        self.enabled = has_command("audit_seal", env)
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.started = 0.0

    def start(self, *, wait: bool = False) -> None:
        """Start it; with ``wait``, until it says it is sealing (or standing by)."""
        if not self.enabled:
            return
        before = self.logfile.stat().st_size if self.logfile.exists() else 0
        with open(self.logfile, "a") as out:
            self.process = subprocess.Popen([*MANAGE, "audit_seal", "--loop"], env=self.env,
                                            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        deadline = time.monotonic() + 120
        while wait and b"audit_seal:" not in self.logfile.read_bytes()[before:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the sealer did not start: see {self.logfile}")
            time.sleep(0.1)

    def keep_alive(self) -> None:
        """Restart it when it has exited, at most every 2 s (systemd's ``RestartSec=2``)."""
        if self.enabled and self.process is not None and self.process.poll() is not None \
                and time.monotonic() - self.started > 2:
            self.restarts += 1
            self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def seal_once(env: dict[str, str]) -> str:
    """One sealing pass (when the command exists), so that verification finds nothing
    queued; its output."""
    if not has_command("audit_seal", env):
        return "no audit_seal command (audit trail with a chain-head lock)"
    done = subprocess.run([*MANAGE, "audit_seal"], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    return (done.stdout + done.stderr).strip()


def audit_verify(env: dict[str, str]) -> tuple[int, str]:
    """``manage.py audit_verify``: (exit code, output)."""
    done = subprocess.run([*MANAGE, "audit_verify"], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    return done.returncode, (done.stdout + done.stderr).strip()


def checkpoint_setting() -> str:
    """The environment variable naming the audit checkpoint file, read from
    relais/settings.py (``RELAIS_AUDIT_CHECKPOINTS`` at the time of writing)."""
    text = (ROOT / "relais" / "settings.py").read_text()
    found = re.search(r'environ\.get\(\s*"(RELAIS_AUDIT_\w*CHECKPOINT\w*)"', text)
    return found.group(1) if found else "RELAIS_AUDIT_CHECKPOINTS"


def base_env(database_url: str, workdir: Path) -> dict[str, str]:
    """The environment of every process of a drill: production settings (DEBUG off), one
    secret and audit key, the checkpoint file in the drill's directory."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RELAIS_", "DATABASE_URL", "DJANGO_"))}
    env.update({
        "DATABASE_URL": database_url, "RELAIS_DEBUG": "0",
        "RELAIS_SECRET_KEY": "fault-drill-not-a-secret",
        "RELAIS_AUDIT_KEY": "fault-drill-audit-key-kept-outside-the-database",
        "RELAIS_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "RELAIS_PUBLIC_URL": "https://localhost",
        checkpoint_setting(): str(workdir / "audit-checkpoints.log"),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
