"""Regrouping two cases of the same household or couple on one case, and undoing it.

"One family, one file" (domain brief §3.3): a legal advisor or magistrate of the prosecutor's
office merges case B (the source) into case A (the target), with a reason. Every row that
points at B through a foreign key — persons in the case, reports, assessments, notes, the
timeline, follow-up tasks, referrals, shares and consents, notices, and whatever later parts of
Relais attach to a case — moves to A. A row that A already holds the like of (the same person
already in A, the same staff member already assigned) stays on B and is listed. B is marked
"merged into A"; its audit events stay where they are (they are history).

Undoing the merge moves back exactly the rows that moved (rows recorded on A after the merge
stay on A). Rules (who may merge, across owners too, and what a former owner keeps:
relais.access.merges):
- the office merges two cases visible to it, whoever owns them; two owners merge by agreement
  (relais.justice.proposals);
- when the owners differ, the merged case's owner gets a ``merged_owner`` share on the kept
  case; undoing the merge ends it;
- neither case already merged, nor waiting for a transfer; a merge is undone only while the
  kept case is not itself merged into a third one (undo the later merge first).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.access import merges as policy
from relais.access.cases import case_access
from relais.access.models import Share, ShareKind
from relais.access.scopes import Scope
from relais.accounts.models import Role
from relais.approvals import services as approvals
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case, CaseStatus
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.texts import text
from relais.justice.models import CaseMerge
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

Rows = dict[str, dict[str, list]]  # {"intake.report": {"case": [pk, ...]}}
# Rows about a case's own history that stay with it: its transfers, the proposals to merge it.
NOT_MOVED = frozenset({"transfers.casetransfer", "justice.mergeproposal"})


def case_links() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) holding a foreign key to a case, but the case's own merge links."""
    links = []
    for relation in Case._meta.related_objects:
        model = relation.related_model
        if (relation.many_to_many or model in (Case, CaseMerge) or not model._meta.managed
                or model._meta.label_lower in NOT_MOVED):
            continue
        links.append((model, relation.field.name))
    return sorted(links, key=lambda link: (link[0]._meta.label_lower, link[1]))


def _move_rows(model: type[models.Model], field: str, pks: list, *, from_case: Case,
               to_case: Case) -> tuple[list, list]:
    """Point the rows ``pks`` (still on ``from_case``) at ``to_case``; (moved, refused) pks.

    All at once when nothing conflicts, else row by row: a row that would break a unique
    constraint on ``to_case`` stays where it is.
    """
    manager = model._default_manager
    still_there = list(manager.filter(pk__in=pks, **{field: from_case})
                       .order_by("pk").values_list("pk", flat=True))
    if not still_there:
        return [], []
    try:
        with transaction.atomic():
            manager.filter(pk__in=still_there).update(**{field: to_case})
        return still_there, []
    except IntegrityError:
        pass
    moved, refused = [], []
    for pk in still_there:
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field: to_case})
            moved.append(pk)
        except IntegrityError:
            refused.append(pk)
    return moved, refused


def _add(rows: Rows, label: str, field: str, pks: list) -> None:
    if pks:
        rows.setdefault(label, {}).setdefault(field, []).extend(pks)


@dataclass(frozen=True)
class Holding:
    """What a case holds, per kind of record (for the merge screen)."""

    case: Case
    counts: list[tuple[str, int]]


# Kinds of records the merge screen counts by name; the rest is one "other records" count, so
# the office learns nothing of who else the case is shared with (shares, consents, referrals).
NAMED_HOLDINGS = {"cases.caseparticipant": gettext_lazy("persons"),
                  "intake.report": gettext_lazy("police records"),
                  "risk.riskassessment": gettext_lazy("risk assessments"),
                  "cases.casenote": gettext_lazy("notes")}


def case_holdings(case: Case) -> Holding:
    """How many records point at the case (counts only)."""
    counts = []
    other = 0
    for model, field in case_links():
        count = model._default_manager.filter(**{field: case}).count()
        label = NAMED_HOLDINGS.get(model._meta.label_lower)
        if label is not None:
            if count:
                counts.append((str(label), count))
        else:
            other += count
    if other:
        counts.append((_("other records (timeline, tasks, notices...)"), other))
    return Holding(case=case, counts=counts)


def locked_pair(first_id: int, second_id: int) -> dict[int, Case]:
    return {case.pk: case for case in Case.objects.select_for_update(of=("self",))
            .filter(pk__in=[first_id, second_id]).select_related("owner_agency").order_by("pk")}


def check_pair(source: Case, target: Case) -> dict[str, list[str]]:
    """Why two cases cannot be merged now (an empty dict: they can)."""
    errors: dict[str, list[str]] = {}
    for case in (source, target):
        if case.is_merged:
            errors.setdefault("other_case", []).append(
                _("Case %(case)s is already merged into another case.")
                % {"case": case.reference})
        elif case.transfers.filter(status="pending").exists():
            errors.setdefault("other_case", []).append(
                _("Case %(case)s waits for a transfer to another agency: merge it once the "
                  "transfer is answered.") % {"case": case.reference})
    return errors


def merge_pair(*, actor: Actor, source: Case, target: Case, reason: str) -> CaseMerge:
    """Move every record of ``source`` to ``target`` (both locked and checked by the caller)."""
    moved: Rows = {}
    kept: Rows = {}
    for model, field in case_links():
        label = model._meta.label_lower
        pks = list(model._default_manager.filter(**{field: source}).values_list("pk", flat=True))
        done, refused = _move_rows(model, field, pks, from_case=source, to_case=target)
        _add(moved, label, field, done)
        _add(kept, label, field, refused)
    now = timezone.now()
    merge = CaseMerge.objects.create(
        agency=actor.agency, source=source, target=target, source_status=source.status,
        reason=reason.strip()[:500], merged_by=actor.user, merged_at=now,
        moved=moved, kept=kept)
    source.status = CaseStatus.MERGED
    source.merged_into = target
    authored(actor, source)
    source.save(update_fields=["status", "merged_into"])
    former_owner = source.owner_agency
    if former_owner.pk != target.owner_agency_id:
        share = Share(case=target, kind=ShareKind.MERGED_OWNER, recipient_agency=former_owner,
                      scopes=sorted(policy.merged_owner_scopes(former_owner)),
                      granted_by=actor.user, granted_at=now)
        share.full_clean()
        share.save()
        audit_record(actor=actor, action=Action.SHARE, target=share, case_id=target.pk,
                     scopes=share.scopes, basis=share.legal_basis)
        merge.former_owner_share = share
        merge.save(update_fields=["former_owner_share"])

    summary = text("justice.merged", source=source.reference, target=target.reference,
                   reason=merge.reason)
    for case in (target, source):
        timeline_add(case=case, kind="cases_merged", agency_id=actor.agency_id,
                     scope=Scope.JUDICIAL, text=summary, source=merge)
        audit_record(actor=actor, action=Action.UPDATE, target=merge, case_id=case.pk,
                     scopes=[Scope.JUDICIAL],
                     basis=f"cases merged: {source.reference} into {target.reference}")
    for agency in {target.owner_agency_id: target.owner_agency,
                   former_owner.pk: former_owner}.values():
        notice_send(actor=actor, agency=agency, for_role=Role.IPV_REFERENCE_OFFICER,
                    case=target if agency.pk == target.owner_agency_id else source,
                    kind=NoticeKind.CASES_MERGED, source=merge)
    hooks.run("cases_merged", actor=actor, merge=merge)
    return merge


# The approval step of a merge (relais.approvals): where the rules file lists it for the
# office's kind, a merge waits for a supervisor (a magistrate) and runs on approval.
MERGE_STEP = "case_merge"


def _checked_pair(actor: Actor, source_id: int, target_id: int, reason: str) -> tuple[Case, Case]:
    """Both cases, locked, once the office may merge them now (404, or validation errors)."""
    if not policy.office_merges(actor):
        raise Http404
    if source_id == target_id:
        raise ValidationError({"other_case": [_("Choose another case than this one.")]})
    case_access(actor=actor, case_id=source_id)
    case_access(actor=actor, case_id=target_id)
    cases = locked_pair(source_id, target_id)
    source, target = cases[source_id], cases[target_id]
    errors = check_pair(source, target)
    if not reason.strip():
        errors["reason"] = [_("Say why these two cases are one household or couple.")]
    if errors:
        raise ValidationError(errors)
    return source, target


@transaction.atomic
def case_merge(*, actor: Actor, source_id: int, target_id: int,
               reason: str) -> CaseMerge | None:
    """The prosecutor's office regroups case ``source_id`` into case ``target_id``, whoever
    owns them (see the module docstring). Where a merge needs a second person's approval
    (``case_merge`` in the approvals' rules file), nothing moves yet: the request is made and
    ``None`` returned; the merge runs when a supervisor approves it (``merge_approved``)."""
    source, target = _checked_pair(actor, source_id, target_id, reason)
    if approvals.needs_approval(actor=actor, step=MERGE_STEP):
        approvals.approval_request(
            actor=actor, step=MERGE_STEP, target=source, case=target,
            payload={"source_id": source.pk, "target_id": target.pk, "reason": reason.strip()},
            summary=text("justice.merge_asked", source=source.reference,
                         target=target.reference),
            reason=reason)
        return None
    return merge_pair(actor=actor, source=source, target=target, reason=reason)


def merge_approved(*, actor: Actor, request) -> None:
    """The approval handler of ``case_merge``: the approver merges as asked, with her own
    access checked again (and the cases as they are now)."""
    payload = request.payload
    source, target = _checked_pair(actor, int(payload["source_id"]), int(payload["target_id"]),
                                   payload.get("reason", ""))
    merge_pair(actor=actor, source=source, target=target, reason=payload.get("reason", ""))


@transaction.atomic
def case_unmerge(*, actor: Actor, merge_id: int, reason: str) -> CaseMerge:
    """Undo a merge: the rows that moved go back to the merged case, which reopens as it was;
    what the merged case's owner kept on the kept case ends."""
    merge = (policy.merge_scope(actor).select_for_update(of=("self",))
             .filter(pk=merge_id).first())
    if merge is None:
        raise Http404
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    cases = locked_pair(merge.source_id, merge.target_id)
    source, target = cases[merge.source_id], cases[merge.target_id]
    # The office's own merge record: telling it the kept case moved on reveals nothing new.
    if target.is_merged:
        raise ValidationError({"reason": [_(
            "Case %(case)s was merged into another case since: undo that merge first.")
            % {"case": target.reference}]})
    case_access(actor=actor, case_id=merge.target_id)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the merge is undone.")]})

    unrestored: Rows = {}
    for label, fields in merge.moved.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # a part of Relais removed since
            for field, pks in fields.items():
                _add(unrestored, label, field, pks)
            continue
        for field, pks in fields.items():
            done, _refused = _move_rows(model, field, pks, from_case=target, to_case=source)
            back = set(done)
            _add(unrestored, label, field, [pk for pk in pks if pk not in back])
    source.status = merge.source_status
    source.merged_into = None
    authored(actor, source)
    source.save(update_fields=["status", "merged_into"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor.user
    merge.undo_reason = reason.strip()[:500]
    merge.unrestored = unrestored
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason", "unrestored"])
    share = merge.former_owner_share
    if share is not None and share.ended_at is None:
        share.ended_at = merge.undone_at
        share.end_reason = "merge undone"
        share.save(update_fields=["ended_at", "end_reason"])
        audit_record(actor=actor, action=Action.UNSHARE, target=share, case_id=target.pk,
                     basis="merge undone")

    summary = text("justice.unmerged", source=source.reference, target=target.reference,
                   reason=merge.undo_reason)
    for case in (target, source):
        timeline_add(case=case, kind="cases_unmerged", agency_id=actor.agency_id,
                     scope=Scope.JUDICIAL, text=summary, source=merge)
        audit_record(actor=actor, action=Action.UPDATE, target=merge, case_id=case.pk,
                     scopes=[Scope.JUDICIAL],
                     basis=f"merge undone: {source.reference} out of {target.reference}")
    # No notice: there is no notice kind for an un-merge yet; the timeline of both cases says it.
    hooks.run("cases_unmerged", actor=actor, merge=merge)
    return merge
