"""Reads of the femicide register, within relais.access.femicide; each read audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from relais.access import femicide as policy
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.femicide.models import PriorContact, Record, Review


def record_list(*, actor: Actor) -> list[Record]:
    if not policy.sees_register(actor):
        raise Http404
    records = list(policy.record_scope(actor).select_related("case")
                   .annotate(contact_count=Count("contacts"))
                   .annotate(reviewed=Exists(Review.objects.filter(
                       record=OuterRef("pk"), closed_at__isnull=False))))
    audit_record(actor=actor, action=Audit.READ, basis=f"femicide register ({len(records)})")
    return records


def record_get(*, actor: Actor, record_id: int) -> dict:
    record = (policy.record_scope(actor).select_related("agency", "case", "recorded_by")
              .filter(pk=record_id).first())
    if record is None:
        raise Http404
    review = Review.objects.filter(record=record).prefetch_related("reviewers").first()
    audit_record(actor=actor, action=Audit.READ, target=record, case_id=record.case_id,
                 basis="femicide register")
    return {"record": record, "contacts": list(record.contacts.all()), "review": review,
            "manages": policy.may_manage(actor, record)}


@dataclass
class YearFigures:
    year: int
    killed: int = 0
    attempts: int = 0
    by_relation: Counter = field(default_factory=Counter)
    by_method: Counter = field(default_factory=Counter)
    with_children: int = 0
    known_before: int = 0  # a prior contact found, or a report in Relais before the facts
    reviewed: int = 0


def annual_figures(*, actor: Actor) -> list[YearFigures]:
    """The counts the law asks for, per year of the facts, for the actor's office: femicides and
    attempts, by relation and method, children present, known to services before, reviewed."""
    if not policy.may_see_figures(actor):
        raise Http404
    rows = (Record.objects.filter(agency_id=actor.agency_id)
            .annotate(contacts_found=Exists(PriorContact.objects.filter(record=OuterRef("pk"))),
                      reviewed=Exists(Review.objects.filter(record=OuterRef("pk"),
                                                            closed_at__isnull=False)))
            .values("occurred_on", "outcome", "relation", "method", "children_present",
                    "known_before", "contacts_found", "reviewed"))
    years: dict[int, YearFigures] = {}
    for row in rows:
        year = years.setdefault(row["occurred_on"].year, YearFigures(row["occurred_on"].year))
        if row["outcome"] == "killed":
            year.killed += 1
        else:
            year.attempts += 1
        year.by_relation[row["relation"]] += 1
        year.by_method[row["method"]] += 1
        year.with_children += row["children_present"]
        year.known_before += bool(row["contacts_found"]
                                  or (row["known_before"] or {}).get("reports"))
        year.reviewed += row["reviewed"]
    audit_record(actor=actor, action=Audit.READ, basis="femicide register: annual figures")
    return [years[y] for y in sorted(years, reverse=True)]
