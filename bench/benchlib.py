"""What the benchmarks share: Django on the bench database, seeding at scale, statistics.

Import it first in a benchmark script, before anything that needs Django:

    import benchlib  # sets up Django on var/bench.sqlite3 unless DATABASE_URL says otherwise
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
os.environ.setdefault("RELAIS_DEBUG", "0")
os.environ.setdefault("RELAIS_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

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
