#!/bin/sh
# The fault drills in their short form, for CI: crash during writes on SQLite, the same on
# PostgreSQL (a server of its own on port 54350, fsync and synchronous_commit on), then backup
# and restore of the PostgreSQL drill database. Needs root (the server runs as postgres) and
# PostgreSQL 15's binaries:
#
#     bench/faults/ci.sh [/usr/lib/postgresql/15/bin]
#
# No DATABASE_URL is read: each drill makes its own database. Exit code: 0 when every drill
# passes; the drills' tables go to stdout.
set -u
cd "$(dirname "$0")/../.." || exit 2
PGBIN="${1:-/usr/lib/postgresql/15/bin}"
PYTHON="${PYTHON:-.venv/bin/python}"
status=0
$PYTHON bench/faults/drill.py --db sqlite --short || status=1
$PYTHON bench/faults/drill.py --db postgres --short --backup --pgbin "$PGBIN" || status=1
[ "$status" -eq 0 ] && echo "fault drills: PASS" || echo "fault drills: FAIL"
exit "$status"
