#!/usr/bin/env python
"""Fault drill: backup and restore, on PostgreSQL. The procedure of docs/production.md
"Backup and restore", on a drill database:

1. copy the audit checkpoint file (it lives outside the database: backed up separately);
2. ``pg_dump --format=custom`` of the database;
3. ``pg_restore`` into a fresh database (``createdb``, then ``pg_restore --exit-on-error``);
4. ``manage.py audit_verify`` on the restored database against the copied checkpoints: exit 0;
5. equal row counts in every table of the two databases, and equal sequence positions.

Run by ``drill.py --db postgres --backup`` after the crash drill, or on its own against a
running server (``--port``, ``--database``; the checkpoint file with ``--checkpoints``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    DEFAULT_PGBIN,
    Postgres,
    audit_verify,
    base_env,
    checkpoint_setting,
    log,
)

TABLES = ("SELECT quote_ident(table_name) FROM information_schema.tables "
          "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")
SEQUENCES = ("SELECT quote_ident(sequencename) || '=' || coalesce(last_value, 0) "
             "FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")


def row_counts(pg: Postgres, database: str) -> dict[str, int]:
    tables = pg.psql(database, TABLES).split()
    if not tables:
        return {}
    # The names come from the catalogue, quoted by quote_ident.
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}"  # noqa: S608
                               for t in tables)
    return {name: int(count) for name, count in
            (line.split("|") for line in pg.psql(database, union).splitlines())}


def backup_and_restore(pg: Postgres, database: str, env: dict[str, str], workdir: Path) -> dict:
    """Dump ``database``, restore it as ``<database>_restored``, verify and compare."""
    restored = f"{database}_restored"
    backup_dir = workdir / "backup"
    backup_dir.mkdir(exist_ok=True)
    setting = checkpoint_setting()
    live_file = Path(env[setting])
    copy = backup_dir / "audit-checkpoints.log"
    # 1. The checkpoint file first: every checkpoint in the copy is then in the dump too.
    if live_file.exists():
        shutil.copy2(live_file, copy)
    else:
        copy.write_text("")
    dump = backup_dir / f"{database}.dump"
    started = time.monotonic()
    subprocess.run([pg.tool("pg_dump"), "-h", "127.0.0.1", "-p", str(pg.port), "-U",
                    "postgres", "--format=custom", "--file", str(dump), database], check=True)
    dumping = time.monotonic() - started
    pg.dropdb(restored)
    pg.createdb(restored, template="template0")
    started = time.monotonic()
    subprocess.run([pg.tool("pg_restore"), "-h", "127.0.0.1", "-p", str(pg.port), "-U",
                    "postgres", "--dbname", restored, "--exit-on-error", "--no-owner",
                    str(dump)], check=True)
    restoring = time.monotonic() - started
    log(f"pg_dump {dumping:.1f} s ({dump.stat().st_size:,} bytes), pg_restore "
        f"{restoring:.1f} s")
    restored_env = {**env, "DATABASE_URL": pg.url(restored), setting: str(copy)}
    code, output = audit_verify(restored_env)
    source, target = row_counts(pg, database), row_counts(pg, restored)
    differing = {t: (source.get(t), target.get(t)) for t in sorted({*source, *target})
                 if source.get(t) != target.get(t)}
    sequences = (pg.psql(database, SEQUENCES).split(), pg.psql(restored, SEQUENCES).split())
    checkpoints = sum(1 for line in copy.read_text().splitlines() if line.strip())
    outcome = {
        "dump_bytes": dump.stat().st_size, "dump_s": round(dumping, 2),
        "restore_s": round(restoring, 2), "tables": len(source),
        "rows": sum(source.values()), "differing_tables": differing,
        "sequences_equal": sequences[0] == sequences[1], "checkpoints_in_copy": checkpoints,
        "audit_verify": {"exit": code, "output": output[-500:]},
    }
    outcome["ok"] = code == 0 and not differing and outcome["sequences_equal"] \
        and len(source) > 0
    return outcome


def report(outcome: dict) -> None:
    print()
    print("### Backup and restore (pg_dump --format=custom, pg_restore into a fresh database)")
    print()
    print(f"Dump {outcome['dump_bytes']:,} bytes in {outcome['dump_s']} s; restore in "
          f"{outcome['restore_s']} s; {outcome['tables']} tables, {outcome['rows']:,} rows: "
          + ("every table has the same row count" if not outcome["differing_tables"]
             else f"DIFFERENT counts: {outcome['differing_tables']}")
          + "; sequences " + ("equal" if outcome["sequences_equal"] else "DIFFERENT") + ".")
    last = outcome["audit_verify"]["output"].splitlines()
    print(f"`audit_verify` on the restored database against the copied checkpoint file "
          f"({outcome['checkpoints_in_copy']} lines): exit {outcome['audit_verify']['exit']}: "
          f"{last[-1] if last else ''}")
    print(f"Backup and restore: {'PASS' if outcome['ok'] else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pgbin", default=DEFAULT_PGBIN)
    parser.add_argument("--port", type=int, default=54350)
    parser.add_argument("--datadir", required=True, help="the running server's data directory")
    parser.add_argument("--database", default="relais_drill")
    parser.add_argument("--workdir", required=True, help="where the dump and the copy go")
    parser.add_argument("--checkpoints", help="the live audit checkpoint file")
    args = parser.parse_args()
    pg = Postgres(args.pgbin, Path(args.datadir), args.port)
    workdir = Path(args.workdir)
    env = base_env(pg.url(args.database), workdir)
    if args.checkpoints:
        env[checkpoint_setting()] = args.checkpoints
    outcome = backup_and_restore(pg, args.database, env, workdir)
    print(json.dumps(outcome, indent=1))
    report(outcome)
    sys.exit(0 if outcome["ok"] else 1)


if __name__ == "__main__":
    main()
