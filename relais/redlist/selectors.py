"""Every read of the red list: the dispatch's look-up (screen and API), the list of entries
and one entry.

The look-up answers only ``ANSWER_KEYS``: whether the address or number is listed, the priority,
the zone, five flags and the opaque red-list reference. Look-ups are audited in aggregate: each
account's look-ups of an hour are counted in one ``LookupTally`` row, whose opening writes one
audit event (in the look-up's transaction) and whose closing by the tick writes another with the
counts (``tallies_close``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from relais.access import redlist as policy
from relais.access.cases import visible_cases
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.core.actor import Actor
from relais.followup.models import Priority
from relais.redlist.models import LookupTally, RedListEntry

ANSWER_KEYS = ("listed", "priority", "priority_label", "zone", "flags", "reference")
FLAG_KEYS = ("high_risk", "weapons", "ban_in_force", "alarm", "children")
LIST_LIMIT = 500
TALLY_BASIS = "red-list look-ups"


@dataclass(frozen=True)
class Answer:
    """What the dispatch is told: nothing else leaves the red list."""

    listed: bool
    priority: int | None = None
    zone: str | None = None
    flags: dict[str, bool] | None = None
    reference: str | None = None

    @property
    def priority_label(self) -> str | None:
        return None if self.priority is None else str(Priority(self.priority).label)

    def data(self) -> dict:
        return {"listed": self.listed, "priority": self.priority,
                "priority_label": self.priority_label, "zone": self.zone,
                "flags": self.flags, "reference": self.reference}


MISS = Answer(listed=False)


# The look-up's one query, written out: it runs on every call to the dispatch (budget: p99
# 10 ms at 1,000,000 entries, at most twice a bare indexed read; bench/redlist.py), and the
# ORM's building of it cost more than the read itself. The index redlist_key_idx (key,
# review_on) finds the keys; the join reads the entry and its zone's name by primary key.
ANSWER_SQL = """
    SELECT e.reference, e.priority, z.name, e.high_risk, e.weapons, e.ban_in_force, e.alarm,
           e.children
    FROM redlist_redlistkey k
    JOIN redlist_redlistentry e ON e.id = k.entry_id
    JOIN accounts_agency z ON z.id = e.zone_id
    WHERE k.key IN ({keys}) AND k.review_on >= %s
    ORDER BY e.priority DESC, e.placed_at DESC
    LIMIT 10
"""


def _answer(keys: list[str]) -> Answer:
    """The listed entries under these keys, the highest priority first; the flags of several
    entries at one address are merged. Entries past their review date are not found, even
    before the tick lifts them."""
    if not keys:
        return MISS
    sql = ANSWER_SQL.format(keys=", ".join(["%s"] * len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, timezone.localdate()])
        rows = cursor.fetchall()
    if not rows:
        return MISS
    reference, priority, zone = rows[0][:3]
    flags = {name: any(row[3 + i] for row in rows) for i, name in enumerate(FLAG_KEYS)}
    return Answer(listed=True, priority=priority, zone=zone, flags=flags, reference=reference)


def _hour(now):
    return now.replace(minute=0, second=0, microsecond=0)


# Written out for the same reason as ANSWER_SQL. On PostgreSQL, outside a transaction, the
# statement is its own transaction and sets ``synchronous_commit`` off for it alone (in one
# round trip; the setting is transaction-local): its commit does not wait for the disk.
COUNT_SQL = """
    UPDATE redlist_lookuptally SET lookups = lookups + 1, hits = hits + %s
    WHERE user_id = %s AND hour = %s AND closed_at IS NULL
"""
COUNT_ASYNC_SQL = """
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)
    UPDATE redlist_lookuptally SET lookups = lookups + 1, hits = hits + %s
    WHERE user_id = %s AND hour = %s AND closed_at IS NULL
      AND (SELECT setting FROM async) = 'off'
"""


def _count(actor: Actor, *, hit: bool) -> None:
    """Count the look-up in the account's tally of this hour. The hour's first look-up opens
    the tally and writes its audit event, in one transaction, durably. The counts after it are
    one UPDATE whose commit does not wait for the disk on PostgreSQL (``synchronous_commit``
    off for that statement's own transaction only, never inside a caller's transaction): a
    crash may lose the last fraction of a second of counts, never an audit event. It keeps the
    look-up near a bare indexed read (bench/redlist.py)."""
    hour = _hour(timezone.now())
    asynchronous = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(COUNT_ASYNC_SQL if asynchronous else COUNT_SQL,
                       [int(hit), actor.user_id, hour])
        if cursor.rowcount:
            return
    try:
        with transaction.atomic():
            opened = LookupTally.objects.create(user_id=actor.user_id, agency_id=actor.agency_id,
                                                hour=hour, lookups=1, hits=int(hit))
            audit_record(actor=actor, action=Action.SEARCH, target=opened,
                         basis=TALLY_BASIS + ": first of the hour (counted in the tally)")
    except IntegrityError:  # opened meanwhile by a concurrent look-up (or closed: a late one)
        LookupTally.objects.filter(user_id=actor.user_id, hour=hour).update(
            lookups=F("lookups") + 1, hits=F("hits") + int(hit))


def lookup(*, actor: Actor, keys: list[str]) -> Answer:
    """The dispatch's look-up of normalised keys (``relais.redlist.normalise``); 404 for
    anyone but a zone's dispatcher. Counted in the hour's tally."""
    if not policy.may_look_up(actor):
        raise Http404
    answer = _answer(keys)
    _count(actor, hit=answer.listed)
    return answer


def tallies_close(*, before=None) -> int:
    """Close the tallies of past hours: one audit event each, with its counts."""
    before = before or _hour(timezone.now())
    with transaction.atomic():
        tallies = list(LookupTally.objects.select_for_update()
                       .filter(closed_at__isnull=True, hour__lt=before)
                       .select_related("user", "agency").order_by("pk"))
        if not tallies:
            return 0
        now = timezone.now()
        LookupTally.objects.filter(pk__in=[t.pk for t in tallies]).update(closed_at=now)
        audit_record_many([build_event(
            actor=None, action=Action.SEARCH, target=t, username=t.user.get_username(),
            basis=f"{TALLY_BASIS} {t.hour:%Y-%m-%d %H}h: {t.lookups} look-ups, {t.hits} hits")
            for t in tallies])
    return len(tallies)


# --- The entries (reference officer, prosecutor's office) ------------------------------------

@dataclass(frozen=True)
class EntryLine:
    entry: RedListEntry
    case_visible: bool

    @property
    def what(self) -> str:
        e = self.entry
        if e.phone:
            return e.phone
        box = f" / {e.box}" if e.box else ""
        return f"{' = '.join(e.streets)} {e.number}{box}, {e.postcode}"


def entry_list(*, actor: Actor, include_lifted: bool = False) -> list[EntryLine]:
    """Her agency's entries (and, in a zone, those put for it), review date first; the case
    reference only where she can open the case. A constant number of queries; one audit
    event."""
    if not policy.may_place(actor):
        raise Http404
    qs = policy.entry_scope(actor).select_related("zone", "placed_by_agency", "case")
    if not include_lifted:
        qs = qs.filter(lifted_at__isnull=True)
    entries = list(qs.order_by("lifted_at", "review_on", "pk")[:LIST_LIMIT])
    visible = set(visible_cases(actor).filter(pk__in={e.case_id for e in entries})
                  .values_list("pk", flat=True)) if entries else set()
    audit_record(actor=actor, action=Action.READ,
                 basis=f"red list ({len(entries)} entries shown)")
    return [EntryLine(entry=e, case_visible=e.case_id in visible) for e in entries]


def entry_get(*, actor: Actor, entry_id: int) -> EntryLine:
    entry = (policy.entry_scope(actor).select_related("zone", "placed_by_agency", "case",
                                                      "placed_by", "lifted_by")
             .filter(pk=entry_id).first())
    if entry is None:
        raise Http404
    visible = visible_cases(actor).filter(pk=entry.case_id).exists()
    audit_record(actor=actor, action=Action.READ, target=entry, case_id=entry.case_id,
                 basis="red list entry")
    return EntryLine(entry=entry, case_visible=visible)


def expiring_soon(entry: RedListEntry) -> bool:
    return entry.review_on - timezone.localdate() <= timedelta(days=14)


def case_id_by_reference(*, actor: Actor, reference: str) -> int | None:
    """The id of a case she can open, by its reference (None for missing and forbidden)."""
    if not policy.may_place(actor):
        raise Http404
    return (visible_cases(actor).filter(reference=reference.strip().upper())
            .values_list("pk", flat=True).first())
