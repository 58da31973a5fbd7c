"""Writes of the femicide register: a record (with what Relais knew before, from a linked case),
the contacts found, the review with its named reviewers. Each in one transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import femicide as policy
from relais.access.cases import case_access
from relais.accounts.models import User
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.core.versions import record_version, values_check, version_check, version_of
from relais.femicide.models import (
    ContactKind,
    Method,
    Outcome,
    PriorContact,
    Record,
    Relation,
    Review,
)


def known_before(case: Case, day: date) -> dict:
    """What Relais held on the case before the day of the facts: counts and codes only."""
    from relais.intake.models import Report
    from relais.measures.models import ResidenceBan
    from relais.risk.models import RiskAssessment

    reports = Report.objects.filter(case=case, offence_at__date__lt=day)
    assessment = (RiskAssessment.objects.filter(case=case, assessed_at__date__lt=day)
                  .order_by("-assessed_at").values("instrument_code", "final_level",
                                                   "assessed_at").first())
    bans = ResidenceBan.objects.filter(case=case, starts_at__date__lte=day, ends_at__date__gte=day)
    return {
        "reports": reports.count(),
        "official_reports": reports.filter(kind="official").count(),
        "last_assessment": {"instrument": assessment["instrument_code"],
                            "level": assessment["final_level"],
                            "on": assessment["assessed_at"].date().isoformat()}
        if assessment else None,
        "bans_in_force": bans.count(),
    }


@transaction.atomic
def record_create(*, actor: Actor, occurred_on: date, outcome: str, victim_sex: str,
                  relation: str, method: str, children_present: bool,
                  case_reference: str = "") -> Record:
    """Record a femicide or an attempt of the office's district. A case reference links the
    record to a case the office can open (through the case policy); what Relais knew before is
    taken from it."""
    if not policy.keeps_register(actor):
        raise Http404
    errors: dict[str, list[str]] = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date of the facts cannot be in the future.")]
    for name, value, choices in (("outcome", outcome, Outcome), ("relation", relation, Relation),
                                 ("method", method, Method)):
        if value not in choices.values:
            errors[name] = [_("Choose one.")]
    case = None
    if case_reference.strip():
        case = Case.objects.filter(reference__iexact=case_reference.strip()).first()
        if case is not None:
            try:
                case_access(actor=actor, case_id=case.pk)
            except Http404:
                case = None
        if case is None:
            errors["case_reference"] = [_("No case your office can open has this reference.")]
    if errors:
        raise ValidationError(errors)
    record = Record.objects.create(
        agency=actor.agency, occurred_on=occurred_on, outcome=outcome, victim_sex=victim_sex,
        relation=relation, method=method, children_present=children_present, case=case,
        known_before=known_before(case, occurred_on) if case else {}, recorded_by=actor.user)
    audit_record(actor=actor, action=Audit.CREATE, target=record,
                 case_id=case.pk if case else None, basis="femicide register (Stop Femicide law)")
    return record


def _managed(actor: Actor, record_id: int) -> Record:
    record = policy.record_scope(actor).select_for_update().filter(pk=record_id).first()
    if record is None or not policy.may_manage(actor, record):
        raise Http404
    return record


@transaction.atomic
def contact_add(*, actor: Actor, record_id: int, kind: str, on: date | None,
                what: str) -> PriorContact:
    record = _managed(actor, record_id)
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose the service.")})
    if not what.strip():
        raise ValidationError({"what": _("Say what happened.")})
    if on is not None and on > record.occurred_on:
        raise ValidationError({"on": _("A prior contact is before the facts.")})
    contact = PriorContact.objects.create(record=record, kind=kind, on=on, what=what.strip())
    audit_record(actor=actor, action=Audit.CREATE, target=contact, case_id=record.case_id,
                 basis="femicide review: a prior contact")
    return contact


@transaction.atomic
def reviewers_set(*, actor: Actor, record_id: int, user_ids: Iterable[int],
                  version: str | None = None) -> Review:
    """The office names the review's reviewers (its partners' people too). ``version``: the
    reviewers as she read them (``reviewers_version``); named otherwise since,
    ``EditConflict``."""
    record = _managed(actor, record_id)  # locked: one naming at a time
    values_check(_reviewers_values(Review.objects.filter(record=record).first()), version)
    users = list(User.objects.filter(pk__in=set(user_ids), is_active=True))
    review, _created = Review.objects.get_or_create(record=record)
    review.reviewers.set(users)
    audit_record(actor=actor, action=Audit.SHARE, target=review, case_id=record.case_id,
                 basis=f"femicide review: {len(users)} named reviewers")
    return review


def _reviewers_values(review: Review | None) -> dict[str, list[int]]:
    return {"reviewers": sorted(review.reviewers.values_list("pk", flat=True))
            if review is not None else []}


def reviewers_version(review: Review | None) -> str:
    """The version of the named reviewers, for their form (relais.core.versions)."""
    return version_of(_reviewers_values(review))


REVIEW_FIELDS = ("known", "missed", "changes")


def review_version(review: Review) -> str:
    """The version of the review's text, for its form (relais.core.versions)."""
    return record_version(review, REVIEW_FIELDS)


@transaction.atomic
def review_save(*, actor: Actor, record_id: int, known: str, missed: str, changes: str,
                close: bool = False, version: str | None = None) -> Review:
    """A named reviewer or the office writes the review; closing it needs what will change.
    ``version``: the review as she read it; saved by another reviewer since,
    ``EditConflict``."""
    record = policy.record_scope(actor).filter(pk=record_id).first()
    if record is None:
        raise Http404
    review = Review.objects.select_for_update().filter(record=record).first()
    if review is None:
        raise ValidationError(_("Name the reviewers first."))
    if review.closed_at is not None:
        raise ValidationError(_("This review is closed."))
    version_check(review, REVIEW_FIELDS, version)
    if close and not changes.strip():
        raise ValidationError({"changes": _("Say what will change before closing the review.")})
    review.known, review.missed, review.changes = known.strip(), missed.strip(), changes.strip()
    if close:
        if not policy.may_manage(actor, record):
            raise Http404
        review.closed_at = timezone.now()
    review.save()
    audit_record(actor=actor, action=Audit.UPDATE, target=review, case_id=record.case_id,
                 basis="femicide review" + (" closed" if close else ""))
    return review
