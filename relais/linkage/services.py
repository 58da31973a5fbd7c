"""Writing linkage: each person's blocking keys, the links found when a person is recorded or
changed, and the decisions on them (same person, not the same, undo), each audited with its
reason.

The machine proposes; a person decides. Nothing is merged or opened by a link: a confirmed
link joins two records in the family view, and the case policy still decides what each reader
sees of either.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from relais.access.linkage import link_scope, may_decide_links
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.closure import closure_reopen
from relais.cases.models import CaseStatus, Person
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.texts import text
from relais.linkage.keys import stored_keys
from relais.linkage.models import LinkDecision, LinkStatus, PersonKey, PersonLink
from relais.linkage.records import records_for
from relais.linkage.selectors import match_persons


def keys_refresh(*, person_ids: list[int]) -> None:
    """Re-file these persons under their current blocking keys (no personal data is read out:
    not audited)."""
    records = records_for(person_ids)
    PersonKey.objects.filter(person_id__in=person_ids).delete()
    PersonKey.objects.bulk_create(
        [PersonKey(person_id=pid, key=key) for pid, record in records.items()
         for key in sorted(stored_keys(record))], batch_size=2000)


@transaction.atomic
def links_find(*, actor: Actor, person_id: int,
               why: str = "links of a recorded person") -> list[PersonLink]:
    """Refresh one person's keys and record the links to the persons of the actor's candidate
    scope above the lower threshold: proposed above the upper one, to review between. A link
    already decided keeps its decision. Audited as one search (``why`` in its basis)."""
    keys_refresh(person_ids=[person_id])
    record = records_for([person_id]).get(person_id)
    if record is None:
        return []
    found = []
    for other_id, match in match_persons(actor=actor, record=record,
                                         exclude=frozenset({person_id})):
        left, right = sorted((person_id, other_id))
        status = LinkStatus.PROPOSED if match.band == "propose" else LinkStatus.REVIEW
        values = {"probability": match.probability, "weight": match.weight,
                  "evidence": match.as_json(), "version": match.version}
        link, created = PersonLink.objects.get_or_create(
            left_id=left, right_id=right, defaults={**values, "status": status})
        if not created and link.status in (LinkStatus.PROPOSED, LinkStatus.REVIEW):
            for name, value in {**values, "status": status}.items():
                setattr(link, name, value)
            link.save()
        found.append(link)
    audit_record(actor=actor, action=Action.SEARCH, target=Person(pk=person_id),
                 basis=f"linkage: {why} ({len(found)} found)")
    return found


def on_person_changed(*, actor: Actor, person_id: int) -> None:
    """Hooks ``person_recorded`` and ``person_changed`` (relais.cases.services)."""
    links_find(actor=actor, person_id=person_id)


def _decidable(actor: Actor, link_id: int) -> PersonLink:
    if not may_decide_links(actor):
        raise Http404
    link = link_scope(actor).select_for_update().filter(pk=link_id).first()
    if link is None:
        raise Http404
    return link


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for this decision.")]})
    return reason[:500]


@transaction.atomic
def link_decide(*, actor: Actor, link_id: int, same: bool, reason: str) -> PersonLink:
    """Decide that the two records are the same person, or not."""
    reason = _reason(reason)
    link = _decidable(actor, link_id)
    before = link.status
    link.status = LinkStatus.CONFIRMED if same else LinkStatus.REJECTED
    link.save(update_fields=["status", "updated_at"])
    LinkDecision.objects.create(link=link, status_before=before, status_after=link.status,
                                decided_by=actor.user, agency=actor.agency, reason=reason)
    audit_record(actor=actor, action=Action.UPDATE, target=link,
                 basis=f"linkage: {before} -> {link.status}")
    return link


@transaction.atomic
def link_undo(*, actor: Actor, link_id: int, reason: str) -> PersonLink:
    """Undo the last decision on a link: it goes back to what it was before."""
    reason = _reason(reason)
    link = _decidable(actor, link_id)
    last = link.decisions.filter(undone=False, is_undo=False).order_by("-decided_at", "-pk").first()
    if last is None or last.status_after != link.status:
        raise ValidationError({"reason": [_("There is no decision to undo on this link.")]})
    last.undone = True
    last.save(update_fields=["undone"])
    before, link.status = link.status, last.status_before
    link.save(update_fields=["status", "updated_at"])
    LinkDecision.objects.create(link=link, status_before=before, status_after=link.status,
                                decided_by=actor.user, agency=actor.agency, reason=reason,
                                is_undo=True)
    audit_record(actor=actor, action=Action.UPDATE, target=link,
                 basis=f"linkage: undo {before} -> {link.status}")
    return link


# --- Reactivation -----------------------------------------------------------------------------

# Continuing on the earlier file merges two cases: where the approvals' rules file lists
# ``family_file_continue`` for the agency's kind, a supervisor approves it first
# (``continue_approved``).
CONTINUE_STEP = "family_file_continue"


@transaction.atomic
def family_file_continue(*, actor: Actor, case_id: int, into_id: int, reason: str):
    """A new case of a couple that already has a file in the same agency goes onto that file
    (VioGén's reactivation): the earlier file reopens if it was closed, and every record of the
    new case moves there (a merge: audited, and undone from the merges list like any).

    Where it needs a second person's approval, nothing moves yet: the request is made and
    ``None`` returned; both cases stay open as they are until a supervisor approves."""
    from relais.approvals import services as approvals

    reason = _reason(reason)
    source, target, earlier = _continuable(actor, case_id, into_id)
    if approvals.needs_approval(actor=actor, step=CONTINUE_STEP):
        approvals.approval_request(
            actor=actor, step=CONTINUE_STEP, target=source, case=target,
            payload={"case_id": case_id, "into_id": into_id, "reason": reason},
            summary=text("linkage.continue_asked", source=source.reference,
                         target=target.reference),
            reason=reason)
        return None
    return _continue(actor, source, target, earlier, reason)


def continue_approved(*, actor: Actor, request) -> None:
    """The approval handler of ``family_file_continue``: the supervisor moves the new case onto
    the earlier file as asked, with her own access and the pair checked again."""
    payload = request.payload
    source, target, earlier = _continuable(actor, int(payload["case_id"]),
                                           int(payload["into_id"]))
    _continue(actor, source, target, earlier, _reason(payload.get("reason", "")))


def _continuable(actor: Actor, case_id: int, into_id: int):
    """The new case and the earlier file, locked, once she may move one onto the other now."""
    from relais.access.cases import owner_case_access
    from relais.access.linkage import may_continue_on
    from relais.justice.merge import check_pair, locked_pair
    from relais.linkage.family import pair_files

    new = owner_case_access(actor=actor, case_id=case_id)
    earlier = owner_case_access(actor=actor, case_id=into_id)
    if not may_continue_on(new, earlier):
        raise Http404
    if into_id not in {f.case_id for f in pair_files(actor=actor, case_id=case_id)}:
        raise ValidationError({"reason": [_(
            "These two cases are not known to concern the same couple: confirm the links of "
            "the victim and of the alleged perpetrator first.")]})
    cases = locked_pair(case_id, into_id)
    source, target = cases[case_id], cases[into_id]
    errors = check_pair(source, target)
    if errors:
        raise ValidationError(errors)
    return source, target, earlier


def _continue(actor: Actor, source, target, earlier, reason: str):
    from relais.justice.merge import merge_pair

    if target.status == CaseStatus.CLOSED:
        target.status, target.closed_at = CaseStatus.OPEN, None
        authored(actor, target)
        target.save(update_fields=["status", "closed_at"])
        closure_reopen(target)  # its closure stays, as history
        timeline_add(case=target, kind="case_reactivated", agency_id=actor.agency_id,
                     source=target)
        audit_record(actor=actor, action=Action.UPDATE, target=target, case_id=target.pk,
                     basis=f"{earlier.basis}; reactivated by a new case of the same couple")
    return merge_pair(actor=actor, source=source, target=target, reason=reason)
