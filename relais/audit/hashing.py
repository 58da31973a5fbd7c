"""The keyed hashes of the audit trail: an event's digest, a seal's link, a checkpoint's mac.

All three are HMAC-SHA256 with keys derived from ``settings.AUDIT_KEY`` (``RELAIS_AUDIT_KEY``),
which lives in the environment, never in the database: whoever holds the database alone can
neither forge an event nor re-link the chain nor sign a checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings

GENESIS = "0" * 64

# The fields of an event its digest covers, in this order (not the id: the database gives it
# after the digest is computed; the seal binds the id to the digest).
DIGESTED_FIELDS = (
    "occurred_at", "user_id", "username", "agency_id", "roles", "action", "object_type",
    "object_id", "case_id", "scopes", "basis", "ip", "channel",
)


@cache
def _key(purpose: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), f"relais-audit:{purpose}".encode(), hashlib.sha256).digest()


def key(purpose: str) -> bytes:
    """The key for ``purpose`` ("event", "seal", "checkpoint"), derived from AUDIT_KEY."""
    return _key(purpose, settings.AUDIT_KEY)


def _mac(purpose: str, message: bytes) -> str:
    return hmac.digest(key(purpose), message, "sha256").hex()


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# One encoder for every event (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def canonical_event(values: dict) -> bytes:
    """The bytes an event's digest is computed over: a JSON list in ``DIGESTED_FIELDS`` order,
    the time as microseconds since 1970 (the same whatever the time zone it was read in)."""
    row = [values[name] for name in DIGESTED_FIELDS]
    if not isinstance(row[0], int):  # the verifier reads it as that integer already
        row[0] = (row[0] - _EPOCH) // _MICROSECOND
    return _ENCODER.encode(row).encode()


def event_digest(values: dict) -> str:
    return _mac("event", canonical_event(values))


def seal_hash(*, seq: int, event_id: int, digest: str, prev_hash: str) -> str:
    return _mac("seal", f"{seq}|{event_id}|{digest}|{prev_hash}".encode())


def checkpoint_mac(*, size: int, head: str, at: str, prev: str) -> str:
    return _mac("checkpoint", f"{size}|{head}|{at}|{prev}".encode())


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a or "", b or "")
