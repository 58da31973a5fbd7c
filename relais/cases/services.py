"""Writes on the case file. Each checks access, validates, saves and audits in one transaction."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import (
    CaseAccess,
    assigned_only,
    case_access,
    may_open_case,
    owner_case_access,
    person_access,
)
from relais.access.deletion import deletion_access
from relais.access.scopes import Scope
from relais.approvals import services as approvals
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_each
from relais.cases import closure, deletion
from relais.cases.models import (
    PERSON_FIELDS,
    SAFE_CONTACT_FIELDS,
    Address,
    Case,
    CaseAssignment,
    CaseClosure,
    CaseNote,
    CaseParticipant,
    CaseStatus,
    ClosureReason,
    Person,
    PhoneNumber,
    SafeContactInstructions,
    SpecificNeed,
    normalise_phone,
)
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.drafts import drafts_forget
from relais.core.history import authored, history_purge_records
from relais.core.texts import choice, text
from relais.core.versions import EditConflict, record_values, record_version, version_check

if TYPE_CHECKING:
    from relais.approvals.models import ApprovalRequest


@transaction.atomic
def case_open(*, actor: Actor, situation: str, municipality: str) -> Case:
    """Open a new case owned by the actor's agency."""
    if not may_open_case(actor):
        raise Http404
    case = Case(
        reference=f"TMP-{uuid.uuid4().hex[:16]}",
        owner_agency=actor.agency,
        opened_by=actor.user,
        situation=situation,
        municipality=municipality,
    )
    case.full_clean(exclude=["reference"])
    case.skip_history_when_saving = True  # its history starts with its real reference
    case.save()
    del case.skip_history_when_saving
    case.reference = f"REL-{timezone.localdate().year}-{case.pk:06d}"
    authored(actor, case)
    case.save(update_fields=["reference"])
    if assigned_only(actor):
        CaseAssignment.objects.create(case=case, user=actor.user)
    timeline_add(case=case, kind="case_opened", agency_id=actor.agency_id, source=case)
    audit_record(actor=actor, action=Action.CREATE, target=case, case_id=case.pk,
                 basis="owning agency")
    return case


@transaction.atomic
def case_assign(*, actor: Actor, case_id: int, user_id: int) -> CaseAssignment:
    access = owner_case_access(actor=actor, case_id=case_id)
    from relais.accounts.models import User

    user = User.objects.filter(pk=user_id, agency_id=access.case.owner_agency_id).first()
    if user is None:
        raise Http404
    assignment, _created = CaseAssignment.objects.get_or_create(case=access.case, user=user)
    audit_record(actor=actor, action=Action.UPDATE, target=assignment, case_id=case_id,
                 basis=access.basis)
    return assignment




@transaction.atomic
def person_add_to_case(
    *, actor: Actor, case_id: int, role: str, first_name: str, last_name: str,
    birth_date: date | None = None, sex: str = "U", gender: str = "",
    languages: list[str] | None = None, file_language: str = "", national_number: str = "",
) -> CaseParticipant:
    """Record a new person in a case with her role in it."""
    access = owner_case_access(actor=actor, case_id=case_id)
    person = Person(
        recorded_by_agency=actor.agency, first_name=first_name.strip(),
        last_name=last_name.strip(), birth_date=birth_date, sex=sex, gender=gender.strip(),
        languages=languages or [], file_language=file_language,
        national_number=national_number.replace(".", "").replace("-", "").replace(" ", ""),
    )
    person.full_clean()
    authored(actor, person)
    person.save()
    participant = CaseParticipant(case=access.case, person=person, role=role)
    participant.full_clean()
    participant.save()
    timeline_add(case=access.case, kind="person_added", agency_id=actor.agency_id,
                 summary=str(person), source=participant)
    audit_record(actor=actor, action=Action.CREATE, target=person, case_id=case_id,
                 basis=access.basis)
    # The linkage (relais.linkage) files her under her blocking keys and looks for her.
    hooks.run("person_recorded", actor=actor, person_id=person.pk)
    return participant


@transaction.atomic
def person_update(*, actor: Actor, person_id: int, version: str | None = None,
                  **fields: Any) -> Person:
    """Correct a person's identity (owning agency only). ``version``: the identity's version
    as the editor read it (relais.core.versions); saved over since, ``EditConflict``."""
    access = person_access(actor=actor, person_id=person_id)
    if not access.can_edit:
        raise Http404
    person = Person.objects.select_for_update().get(pk=person_id)
    version_check(person, PERSON_FIELDS, version)
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(name)
        if name == "national_number":
            value = value.replace(".", "").replace("-", "").replace(" ", "")
        elif name in ("first_name", "last_name", "gender"):
            value = value.strip()
        setattr(person, name, value)
    person.full_clean()
    authored(actor, person)
    person.save()
    audit_record(actor=actor, action=Action.UPDATE, target=person,
                 case_id=access.participations[0][1].case.pk, basis=access.basis)
    hooks.run("person_changed", actor=actor, person_id=person.pk)
    return person


def _needs_scope(actor: Actor, person_id: int, scope: str):
    access = person_access(actor=actor, person_id=person_id)
    if scope not in access.scopes:
        raise Http404
    return access


@transaction.atomic
def phone_add(*, actor: Actor, person_id: int, number: str, label: str = "",
              safe: bool = False) -> PhoneNumber:
    access = _needs_scope(actor, person_id, Scope.CONTACT)
    try:
        normalised = normalise_phone(number)
    except ValidationError as error:
        raise ValidationError({"number": error.messages}) from error
    phone = PhoneNumber(person_id=person_id, number=normalised, label=label, safe=safe)
    phone.full_clean()
    authored(actor, phone)
    phone.save()
    audit_record(actor=actor, action=Action.CREATE, target=phone,
                 case_id=access.participations[0][1].case.pk, scopes=[Scope.CONTACT],
                 basis=access.basis)
    hooks.run("person_changed", actor=actor, person_id=person_id)
    return phone


@transaction.atomic
def address_add(*, actor: Actor, person_id: int, street: str, postcode: str, municipality: str,
                confidential: bool = False) -> Address:
    """Record an address. A confidential one is kept by the actor's agency (e.g. the shelter)."""
    access = _needs_scope(actor, person_id, Scope.CONTACT)
    address = Address(person_id=person_id, street=street, postcode=postcode,
                      municipality=municipality, confidential=confidential,
                      keeper_agency=actor.agency)
    address.full_clean()
    authored(actor, address)
    address.save()
    scopes = [Scope.CONTACT] + ([Scope.CONFIDENTIAL_LOCATION] if confidential else [])
    audit_record(actor=actor, action=Action.CREATE, target=address,
                 case_id=access.participations[0][1].case.pk, scopes=scopes, basis=access.basis)
    if not confidential:  # a shelter's address is never matched on
        hooks.run("person_changed", actor=actor, person_id=person_id)
    return address


@transaction.atomic
def safe_contact_set(*, actor: Actor, person_id: int, channel: str, hours: str = "",
                     can_speak_freely: str = "unknown", never: list[str] | None = None,
                     notes: str = "", version: str | None = None) -> SafeContactInstructions:
    """Set how she may be contacted safely. ``version``: the rule's version as the editor read
    it (relais.core.versions); saved over since, ``EditConflict``."""
    access = _needs_scope(actor, person_id, Scope.CONTACT)
    instructions = (SafeContactInstructions.objects.select_for_update()
                    .filter(person_id=person_id).first())
    version_check(instructions, SAFE_CONTACT_FIELDS, version)
    if instructions is None:
        instructions = SafeContactInstructions(person_id=person_id)
    instructions.channel = channel
    instructions.hours = hours
    instructions.can_speak_freely = can_speak_freely
    instructions.never = never or []
    instructions.notes = notes
    instructions.full_clean(validate_unique=False)
    authored(actor, instructions)
    try:
        with transaction.atomic():
            instructions.save()
    except IntegrityError:  # a colleague set the first rule in the same instant
        saved = SafeContactInstructions.objects.get(person_id=person_id)
        raise EditConflict(current=record_values(saved, SAFE_CONTACT_FIELDS),
                           version=record_version(saved, SAFE_CONTACT_FIELDS)) from None
    audit_record(actor=actor, action=Action.UPDATE, target=instructions,
                 case_id=access.participations[0][1].case.pk, scopes=[Scope.CONTACT],
                 basis=access.basis)
    return instructions


@transaction.atomic
def need_add(*, actor: Actor, person_id: int, kind: str, detail: str = "") -> SpecificNeed:
    access = _needs_scope(actor, person_id, Scope.HEALTH)
    need = SpecificNeed(person_id=person_id, kind=kind, detail=detail)
    need.full_clean()
    authored(actor, need)
    need.save()
    audit_record(actor=actor, action=Action.CREATE, target=need,
                 case_id=access.participations[0][1].case.pk, scopes=[Scope.HEALTH],
                 basis=access.basis)
    return need


@transaction.atomic
def note_add(*, actor: Actor, case_id: int, text: str, scope: str = Scope.JUDICIAL) -> CaseNote:
    """A note in one scope; the author must see that scope."""
    access = case_access(actor=actor, case_id=case_id)
    if scope not in access.scopes or access.case.status == CaseStatus.MERGED:
        raise Http404
    note = CaseNote(case=access.case, author=actor.user, author_agency=actor.agency,
                    scope=scope, text=text.strip())
    note.full_clean()
    note.save()
    timeline_add(case=access.case, kind="note_added", agency_id=actor.agency_id, scope=scope,
                 summary=note.text[:300], source=note)
    audit_record(actor=actor, action=Action.CREATE, target=note, case_id=case_id,
                 scopes=[scope], basis=access.basis)
    return note


@transaction.atomic
def case_close(*, actor: Actor, case_id: int, reason: str, note: str = "",
               acknowledged: bool = False) -> Case:
    """Close a case with a coded reason (``ClosureReason``), after the check of what is still
    open (``relais.cases.closure``): open items must be acknowledged, some block.

    When the closure needs a second person's approval in the agency (at high or very high
    risk: ``case_close_high_risk``), nothing closes yet: an approval request is made and the
    case comes back still open; it closes when a supervisor approves (``close_approved``).
    """
    access = owner_case_access(actor=actor, case_id=case_id)
    case = access.case
    items = _closure_checks(access, reason=reason, note=note, acknowledged=acknowledged)
    # What was acknowledged, as kinds and counts (no words in the writer's language).
    kinds = Counter(item.kind for item in items)
    payload = {"reason": reason, "note": note.strip(),
               "acknowledged": [[kind, kinds[kind]] for kind in sorted(kinds)]}
    for step in closure.approval_steps(access):
        if approvals.needs_approval(actor=actor, step=step):
            approvals.approval_request(
                actor=actor, step=step, target=case, case=case, payload=payload,
                summary=text("cases.close_asked", reason=choice("cases.closure_reason", reason)),
                reason=note)
            return case
    _close(actor=actor, access=access, closed_by=actor.user, **payload)
    return case


def _closure_checks(access: CaseAccess, *, reason: str, note: str,
                    acknowledged: bool) -> list[closure.OpenItem]:
    """The open items of the case once the reason and the check allow the closure."""
    if access.case.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be closed."))
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choose why the case is closed.")]
    else:
        if problems := closure.reason_problems(access, reason):
            errors["reason"] = problems
        if reason in closure.NOTE_REQUIRED and not note.strip():
            errors["note"] = [_("Say where she moved or which case continues (no address).")]
    items = closure.open_items(access)
    if blocking := [item.label for item in items if item.blocking]:
        errors.setdefault("acknowledged", []).append(
            _("Close these first: %(items)s.") % {"items": ", ".join(blocking)})
    elif items and not acknowledged:
        errors["acknowledged"] = [_("Some things are still open: acknowledge them to close.")]
    if errors:
        raise ValidationError(errors)
    return items


def _close(*, actor: Actor, access: CaseAccess, closed_by, reason: str, note: str,
           acknowledged: list, approved_by=None) -> CaseClosure:
    case = access.case
    now = timezone.now()
    record = CaseClosure(case=case, reason=reason, note=note[:2000], acknowledged=acknowledged,
                         closed_by=closed_by, closed_at=now, approved_by=approved_by)
    record.full_clean()
    record.save()
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    authored(actor, case)
    case.save(update_fields=["status", "closed_at"])
    timeline_add(case=case, kind="case_closed", agency_id=actor.agency_id, source=record,
                 text=text("cases.closed", reason=choice("cases.closure_reason", reason)))
    audit_record(actor=actor, action=Action.CREATE, target=record, case_id=case.pk,
                 basis=f"case closed: {reason}" + (" (approved)" if approved_by else ""))
    audit_record(actor=actor, action=Action.UPDATE, target=case, case_id=case.pk,
                 basis=access.basis)
    hooks.run("case_closed", actor=actor, case=case)
    return record


def close_approved(*, actor: Actor, request) -> None:
    """The approval handler of ``case_close_high_risk``: the supervisor approved, the case
    closes as asked (her access is checked again; a blocking item since is still refused)."""
    access = owner_case_access(actor=actor, case_id=int(request.target_id))
    payload = request.payload
    _closure_checks(access, reason=payload.get("reason", ""), note=payload.get("note", ""),
                    acknowledged=True)
    _close(actor=actor, access=access, closed_by=request.requested_by, approved_by=actor.user,
           reason=payload["reason"], note=payload.get("note", ""),
           acknowledged=payload.get("acknowledged", []))


@transaction.atomic
def case_delete(*, actor: Actor, case_id: int, reason: str,
                note: str = "") -> ApprovalRequest | None:
    """Delete a case recorded in error (a duplicate, the wrong family), with a coded reason
    (``relais.cases.deletion.DeletionReason``), while nothing of it has left the agency.

    Where the rules file lists ``record_delete`` for the agency's kind, nothing is deleted yet:
    an approval request is made and returned; a supervisor's approval deletes the case
    (``delete_approved``). Otherwise the case is deleted at once and ``None`` is returned.
    """
    access = deletion_access(actor=actor, case_id=case_id)
    case = access.case
    _deletion_checks(case, reason=reason, note=note)
    if approvals.needs_approval(actor=actor, step=deletion.DELETE_STEP):
        return approvals.approval_request(
            actor=actor, step=deletion.DELETE_STEP, target=case, case=case,
            payload={"reason": reason, "note": note.strip(), "reference": case.reference},
            summary=text("cases.delete_asked", reference=case.reference,
                         reason=choice("cases.deletion_reason", reason)),
            reason=note)
    _delete(actor=actor, case=case, reason=reason)
    return None


def _deletion_checks(case: Case, *, reason: str, note: str) -> None:
    """A reason from the list (and its note), and nothing that keeps the case."""
    errors: dict[str, list[str]] = {}
    if reason not in deletion.DeletionReason.values:
        errors["reason"] = [_("Choose why the case is deleted.")]
    elif reason in deletion.NOTE_REQUIRED and not note.strip():
        errors["note"] = [_("Give the reference of the case it duplicates (no name).")]
    if blockers := deletion.deletion_blockers(case):
        errors[NON_FIELD_ERRORS] = [
            _("This case cannot be deleted: %(why)s Close it with a reason instead.")
            % {"why": " ".join(blockers)}]
    if errors:
        raise ValidationError(errors)


def _delete(*, actor: Actor, case: Case, reason: str, approved: bool = False) -> None:
    """The case, what belongs only to it (Django's cascade), the persons who appear in no
    other case (with their linkage keys), the drafts of their forms and the field history of
    all of it; audited (``delete``, the case's id and the reason code: no name). The audit
    trail itself is never deleted."""
    person_ids = set(CaseParticipant.objects.filter(case=case).values_list("person_id",
                                                                          flat=True))
    orphans = list(Person.objects.filter(pk__in=person_ids).exclude(
        participations__case__in=Case.objects.exclude(pk=case.pk)))
    basis = f"case deleted: {reason}" + (" (approved)" if approved else "")
    audit_record(actor=actor, action=Action.DELETE, target=case, case_id=case.pk, basis=basis)
    audit_record_each(actor=actor, action=Action.DELETE, targets=orphans, case_id=case.pk,
                      basis=f"{basis}; person in no other case")
    approvals.approvals_keep(case=case)  # the requests stay on the lists, naming the case
    case_pk, orphan_pks = case.pk, [person.pk for person in orphans]
    deleted = _delete_cascade([case])
    if orphans:
        for model, pks in _delete_cascade(orphans).items():
            deleted.setdefault(model, set()).update(pks)
    history_purge_records(deleted)
    drafts_forget(paths=[rf"/cases/{case_pk}/", *(rf"/persons/{pk}/" for pk in orphan_pks)])


def _delete_cascade(objs: list[models.Model]) -> dict[type[models.Model], set[Any]]:
    """Delete ``objs`` and what cascades from them; what was deleted, by model. A protected
    reference is a validation error naming the kinds of record (never a 500)."""
    collector = Collector(using=router.db_for_write(type(objs[0])), origin=objs[0])
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError) as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in
                        (getattr(error, "protected_objects", None)
                         or getattr(error, "restricted_objects", None) or ())})
        raise ValidationError(
            _("This case cannot be deleted: other records still refer to it (%(kinds)s). "
              "Close it with a reason instead.") % {"kinds": ", ".join(kinds)}) from error
    deleted = {model: {obj.pk for obj in instances} for model, instances in collector.data.items()}
    collector.delete()
    return deleted


def delete_approved(*, actor: Actor, request: ApprovalRequest) -> None:
    """The approval handler of ``record_delete``: the supervisor approved, the case is deleted
    as asked, her access and what keeps the case checked again now."""
    access = deletion_access(actor=actor, case_id=int(request.target_id))
    payload = request.payload
    _deletion_checks(access.case, reason=payload.get("reason", ""), note=payload.get("note", ""))
    _delete(actor=actor, case=access.case, reason=payload["reason"], approved=True)
