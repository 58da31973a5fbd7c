"""What the benchmarks share: Django on the bench database, seeding at scale, statistics, and
for the page benchmarks a signed-in client, a bench URLconf, the static files and query counts.

Import it first in a benchmark script, before anything that needs Django:

    import benchlib  # sets up Django on var/bench.sqlite3 unless DATABASE_URL says otherwise
"""

from __future__ import annotations

import base64
import importlib
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
os.environ.setdefault("RELAIS_DEBUG", "0")
os.environ.setdefault("RELAIS_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, include, path  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from relais.accounts.models import User  # noqa: E402
from relais.accounts.services import totp_device_with_secret  # noqa: E402
from relais.cases.models import Case  # noqa: E402


def prepare_database(cases: int, seed: int) -> tuple[float | None, int]:
    """Migrate, and fill with ``seed_scale`` up to ``cases`` cases; (seconds spent, cases)."""
    call_command("migrate", verbosity=0)
    present = Case.objects.count()
    if present >= cases:
        return None, present
    print(f"Seeding {cases - present:,} cases (database has {present:,})...", flush=True)
    started = time.perf_counter()
    call_command("seed_scale", cases=cases - present, seed=seed)
    return time.perf_counter() - started, Case.objects.count()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p95": percentile(values, 0.95),
            "mean": statistics.fmean(values), "max": max(values)}


# -- requests through the whole middleware stack, and what the reports print ---------
def database_label() -> str:
    """"sqlite 3.40.1", "postgresql 15.18"..."""
    if connection.vendor == "postgresql":
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    elif connection.vendor == "sqlite":
        version = ".".join(str(v) for v in connection.Database.sqlite_version_info)
    else:
        version = ""
    return f"{connection.vendor} {version}".strip()


def prepare_static(name: str = "relais-bench-static-auto") -> str | None:
    """With DEBUG off the templates need the collected, hashed static files (the manifest).

    Collected into ``$TMPDIR/<name>``, again whenever a static file is newer than the manifest;
    returns the directory for ``STATIC_ROOT`` (None with DEBUG on).
    """
    if settings.DEBUG:
        return None
    root = Path(tempfile.gettempdir()) / name
    manifest = root / "staticfiles.json"
    collected = manifest.stat().st_mtime if manifest.exists() else 0.0
    newest = max(Path(storage.path(file)).stat().st_mtime
                 for finder in finders.get_finders() for file, storage in finder.list([]))
    if newest > collected:
        print(f"Collecting static files into {root}...", flush=True)
        with override_settings(STATIC_ROOT=root):
            call_command("collectstatic", interactive=False, verbosity=0)
    return str(root)


def verified_client(user: User) -> Client:
    """A session past both sign-in steps (as relais/conftest.py ``verified_client``), with a
    fresh TOTP device named "bench"."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    device = totp_device_with_secret(user=user, base32_secret=secret, name="bench")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def bench_urlconf(name: str, patterns: list[URLPattern | URLResolver]) -> types.ModuleType:
    """``relais.urls`` behind ``patterns`` (bench-only views), as a module only this process
    knows; use its ``__name__`` as ``ROOT_URLCONF``."""
    module = types.ModuleType(name)
    module.urlpatterns = [*patterns, path("", include("relais.urls"))]
    relais_urls = importlib.import_module("relais.urls")
    for code in (404, 403, 500):
        setattr(module, f"handler{code}", getattr(relais_urls, f"handler{code}"))
    sys.modules[name] = module
    return module


# Per-render CSRF tokens, and the page's own path (the language form's "next").
_PER_RENDER = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|name="next" '
                         rb'type="hidden" value=")[^"]+')


def same_page(a: bytes, b: bytes) -> bool:
    """The same HTML but for the CSRF tokens and the page's own path."""
    return _PER_RENDER.sub(rb"\1", a) == _PER_RENDER.sub(rb"\1", b)


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def captured(call: Callable[[], object], show: str = "") -> tuple[int, object]:
    """(SQL statements, result) of one call; with ``show``, print them under that title."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    if show:
        print(f"\n-- queries of {show}")
        for query in queries.captured_queries:
            print(f"{query['time']:>7} s  {query['sql'][:300]}")
    return len(queries), result


def load_average() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())
