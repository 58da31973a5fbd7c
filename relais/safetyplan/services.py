"""Writes of the safety plan: make it with her, review it at each contact (changed or not),
record and withdraw her consent to show it to a named agency.

Each write is atomic, checks access through ``relais.access.safetyplan`` and writes its audit
event in the same transaction. Nothing goes on the case's timeline: an entry there would tell
every reader of the case that she has a plan, and with whom.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import safetyplan as policy
from relais.access.models import ConsentMethod
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.core.actor import Actor
from relais.safetyplan.models import (
    CONTENT_FIELDS,
    PLAN_LANGUAGES,
    ChildArrangement,
    PlanConsent,
    PlanVersion,
    SafetyPlan,
)

SCOPES = [policy.SAFETY_PLAN_SCOPE]


@dataclass(frozen=True)
class ChildLine:
    """For one child of the case: what the child does, who picks the child up."""

    child_id: int
    what_they_do: str = ""
    picked_up_by: str = ""


@dataclass(frozen=True)
class PlanContent:
    """What the plan says (the fields of ``PlanVersion`` and its children's lines)."""

    safe_places: str = ""
    trusted_persons: str = ""
    code_word: str = ""
    code_word_meaning: str = ""
    ready_items: list[str] = field(default_factory=list)
    ready_where: str = ""
    children_plan: str = ""
    digital_items: list[str] = field(default_factory=list)
    spying_signs: str = ""
    safe_phone: str = ""
    danger_steps: list[str] = field(default_factory=list)
    danger_plan: str = ""
    children: tuple[ChildLine, ...] = ()
    risk_person_ids: tuple[int, ...] = ()

    @classmethod
    def from_data(cls, data: Mapping) -> PlanContent:
        """From a form's cleaned data (or any mapping with the same names)."""
        return cls(**{name: data.get(name) or ([] if name.endswith(("_items", "_steps"))
                                               else "") for name in CONTENT_FIELDS},
                   children=tuple(data.get("children", ())),
                   risk_person_ids=tuple(sorted(data.get("risk_person_ids", ()))))

    @classmethod
    def of_version(cls, version: PlanVersion) -> PlanContent:
        return cls(**{name: getattr(version, name) for name in CONTENT_FIELDS},
                   children=tuple(ChildLine(child_id=c.child_id, what_they_do=c.what_they_do,
                                            picked_up_by=c.picked_up_by)
                                  for c in version.children.order_by("child_id")),
                   risk_person_ids=tuple(sorted(version.risk_person_ids)))

    def normalised(self) -> tuple:
        """For comparing two versions: order and blank lines do not count."""
        fields = tuple((name, sorted(v) if isinstance(v := getattr(self, name), list)
                        else v.strip()) for name in CONTENT_FIELDS)
        children = tuple(sorted((c.child_id, c.what_they_do.strip(), c.picked_up_by.strip())
                                for c in self.children
                                if c.what_they_do.strip() or c.picked_up_by.strip()))
        return fields, children, tuple(sorted(self.risk_person_ids))


def _check_persons(*, case_id: int, person_id: int, content: PlanContent) -> None:
    """Children are children of the case; risk persons are other persons of the case."""
    roles = dict(CaseParticipant.objects.filter(case_id=case_id).values_list("person_id",
                                                                             "role"))
    errors: dict[str, list[str]] = {}
    if any(roles.get(c.child_id) != ParticipantRole.CHILD for c in content.children):
        errors["__all__"] = [_("A child of the plan is not a child of the case.")]
    if any(pid == person_id or pid not in roles for pid in content.risk_person_ids):
        errors["risk_persons"] = [_("Choose other persons of the case.")]
    if errors:
        raise ValidationError(errors)


def _add_version(*, actor: Actor, plan: SafetyPlan, number: int, content: PlanContent,
                 changed: bool, review_note: str) -> PlanVersion:
    version = PlanVersion(plan=plan, number=number, changed=changed,
                          review_note=review_note.strip(), reviewed_by=actor.user,
                          reviewed_at=timezone.now(),
                          risk_person_ids=list(content.risk_person_ids),
                          **{name: getattr(content, name) for name in CONTENT_FIELDS})
    version.full_clean(exclude=["plan"])
    version.save()
    lines = [ChildArrangement(version=version, child_id=c.child_id,
                              what_they_do=c.what_they_do.strip(),
                              picked_up_by=c.picked_up_by.strip())
             for c in content.children if c.what_they_do.strip() or c.picked_up_by.strip()]
    for line in lines:
        line.full_clean(exclude=["version", "child"])
    ChildArrangement.objects.bulk_create(lines)
    plan.risk_persons.set(content.risk_person_ids)
    return version


def _check_language(language: str) -> None:
    if language not in dict(PLAN_LANGUAGES):
        raise ValidationError({"language": [_("Choose French, Dutch, German or English.")]})


@transaction.atomic
def plan_create(*, actor: Actor, case_id: int, person_id: int, content: PlanContent,
                language: str = "fr", review_note: str = "") -> SafetyPlan:
    """A victim-support worker makes a safety plan with her (version 1)."""
    access = policy.make_access(actor=actor, case_id=case_id, person_id=person_id)
    _check_language(language)
    _check_persons(case_id=case_id, person_id=person_id, content=content)
    if SafetyPlan.objects.filter(case_id=case_id, person_id=person_id,
                                 agency_id=actor.agency_id).exists():
        raise ValidationError(_("Your service has a plan with her already: review it."))
    plan = SafetyPlan.objects.create(case=access.case, person_id=person_id,
                                     agency_id=actor.agency_id, language=language,
                                     created_by=actor.user, current_number=1)
    _add_version(actor=actor, plan=plan, number=1, content=content, changed=True,
                 review_note=review_note)
    audit_record(actor=actor, action=Action.CREATE, target=plan, case_id=case_id,
                 scopes=SCOPES, basis="safety plan made with her (version 1)")
    return plan


def _plan_for_review(*, actor: Actor, plan_id: int, read_number: int | None) -> SafetyPlan:
    plan = SafetyPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    policy.plan_access(actor=actor, plan=plan)
    if not policy.may_review(actor, plan):
        raise Http404
    if read_number is not None and read_number != plan.current_number:
        raise ValidationError(_(
            "The plan was reviewed by someone else meanwhile (version %(number)s). Nothing of "
            "yours is lost: your text is below; compare with the current version and save "
            "again.") % {"number": plan.current_number})
    return plan


def _current(plan: SafetyPlan) -> PlanVersion:
    return plan.versions.get(number=plan.current_number)


@transaction.atomic
def plan_review(*, actor: Actor, plan_id: int, content: PlanContent, language: str,
                review_note: str = "", read_number: int | None = None) -> PlanVersion:
    """She and her worker go through the plan at a contact: a new version, marked unchanged
    when nothing differs. ``read_number`` is the version the form was read at: a save over a
    newer version is refused (her typing stays in the form)."""
    plan = _plan_for_review(actor=actor, plan_id=plan_id, read_number=read_number)
    _check_language(language)
    _check_persons(case_id=plan.case_id, person_id=plan.person_id, content=content)
    changed = (content.normalised() != PlanContent.of_version(_current(plan)).normalised()
               or language != plan.language)
    plan.current_number += 1
    plan.language = language
    plan.save(update_fields=["current_number", "language"])
    version = _add_version(actor=actor, plan=plan, number=plan.current_number, content=content,
                           changed=changed, review_note=review_note)
    audit_record(actor=actor, action=Action.REVIEW, target=plan, case_id=plan.case_id,
                 scopes=SCOPES, basis=f"safety plan reviewed (version {version.number}, "
                                      f"{'changed' if changed else 'nothing changed'})")
    return version


@transaction.atomic
def plan_confirm(*, actor: Actor, plan_id: int, review_note: str = "",
                 read_number: int | None = None) -> PlanVersion:
    """Reviewed with her, nothing changed: a version that repeats the current one."""
    plan = _plan_for_review(actor=actor, plan_id=plan_id, read_number=read_number)
    content = PlanContent.of_version(_current(plan))
    plan.current_number += 1
    plan.save(update_fields=["current_number"])
    version = _add_version(actor=actor, plan=plan, number=plan.current_number, content=content,
                           changed=False, review_note=review_note)
    audit_record(actor=actor, action=Action.REVIEW, target=plan, case_id=plan.case_id,
                 scopes=SCOPES, basis=f"safety plan reviewed (version {version.number}, "
                                      "nothing changed)")
    return version


@transaction.atomic
def consent_record(*, actor: Actor, plan_id: int, agency_id: int,
                   method: str) -> PlanConsent:
    """She consents that the plan be shown to one named agency (recorded by her worker)."""
    plan = _plan_for_review(actor=actor, plan_id=plan_id, read_number=None)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not policy.may_consent_to(plan=plan, agency=agency):
        raise ValidationError({"agency": [_("The plan cannot be shown to this organisation.")]})
    if method not in ConsentMethod.values:
        raise ValidationError({"method": [_("Say how she consented.")]})
    if plan.consents.filter(agency=agency, revoked_at__isnull=True).exists():
        raise ValidationError({"agency": [_("She consented to this organisation already.")]})
    consent = PlanConsent.objects.create(plan=plan, agency=agency, method=method,
                                         recorded_by=actor.user)
    audit_record(actor=actor, action=Action.SHARE, target=consent, case_id=plan.case_id,
                 scopes=SCOPES,
                 basis=f"her consent: safety plan {plan.pk} shown to agency {agency.pk}")
    return consent


@transaction.atomic
def consent_revoke(*, actor: Actor, consent_id: int) -> PlanConsent:
    """She withdraws her consent: the agency no longer sees the plan, from now on."""
    consent = (PlanConsent.objects.select_for_update().select_related("plan")
               .filter(pk=consent_id, revoked_at__isnull=True).first())
    if consent is None:
        raise Http404
    _plan_for_review(actor=actor, plan_id=consent.plan_id, read_number=None)
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor.user
    consent.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action=Action.UNSHARE, target=consent,
                 case_id=consent.plan.case_id, scopes=SCOPES,
                 basis=f"her consent withdrawn: safety plan {consent.plan_id}, agency "
                       f"{consent.agency_id}")
    return consent


def consent_methods() -> Iterable[tuple[str, str]]:
    return ConsentMethod.choices
