"""Reads of the safety plan across the access boundary: the case panel, the plan, its
versions, one version, the printed plan, and the forms' context. Every read of a plan's
content is audited (``Action.READ``) in the read's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from relais.access import safetyplan as policy
from relais.access.cases import CaseAccess
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole, Person
from relais.core.actor import Actor
from relais.safetyplan.models import (
    PLAN_LANGUAGES,
    DangerStep,
    DigitalItem,
    PlanConsent,
    PlanVersion,
    ReadyItem,
    SafetyPlan,
)

SCOPES = [policy.SAFETY_PLAN_SCOPE]


# --- The case panel --------------------------------------------------------------------------

def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    """The plans she may read, and, for a support worker, the victims she may make one with."""
    rows = {"plans": policy.case_plans(access)}
    if policy.may_make(access):
        rows["subjects"] = policy.plan_subjects(access)
    return rows


@dataclass(frozen=True)
class Subject:
    """A victim of the case, and whether the reader's service has a plan with her."""

    person: Person
    has_plan: bool


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The plans the reader may read (who, which service, last reviewed: never what they say),
    and the victims a support worker may make a plan with. Reads only the rows ``found``."""
    plans = (list(policy.case_plans(access).select_related("person", "agency"))
             if "plans" in found else [])
    may_make = "subjects" in found and policy.may_make(access)
    if not plans and not may_make:
        return None
    reviewed = dict(PlanVersion.objects.filter(
        plan__in=[p.pk for p in plans]).order_by("plan_id", "number").values_list(
        "plan_id", "reviewed_at")) if plans else {}
    for plan in plans:
        plan.last_reviewed = reviewed.get(plan.pk)
    subjects = []
    if may_make:
        own = {p.person_id for p in plans if p.agency_id == access.actor.agency_id}
        subjects = [Subject(person=row.person, has_plan=row.person_id in own)
                    for row in policy.plan_subjects(access).select_related("person")]
    return {"plans": plans, "subjects": subjects, "may_make": may_make}


# --- One plan ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionView:
    """What one version says, with its labels for the checklists."""

    version: PlanVersion
    ready: list[str]
    digital: list[str]
    danger: list[str]
    children: list
    risk_persons: list[Person]


@dataclass(frozen=True)
class PlanView:
    plan: SafetyPlan
    access: CaseAccess
    current: VersionView
    may_review: bool
    consents: list[PlanConsent]


def _labels(choices, values: list[str]) -> list[str]:
    return [str(choices(v).label) for v in choices.values if v in values]


def version_view(version: PlanVersion) -> VersionView:
    persons = {p.pk: p for p in Person.objects.filter(pk__in=version.risk_person_ids)}
    return VersionView(
        version=version, ready=_labels(ReadyItem, version.ready_items),
        digital=_labels(DigitalItem, version.digital_items),
        danger=_labels(DangerStep, version.danger_steps),
        children=list(version.children.select_related("child")),
        risk_persons=[persons[pk] for pk in version.risk_person_ids if pk in persons])


def _plan(plan_id: int) -> SafetyPlan:
    plan = (SafetyPlan.objects.select_related("person", "agency", "case", "created_by")
            .filter(pk=plan_id).first())
    if plan is None:
        raise Http404
    return plan


def _version(plan: SafetyPlan, number: int) -> PlanVersion:
    version = (PlanVersion.objects.select_related("reviewed_by")
               .filter(plan=plan, number=number).first())
    if version is None:
        raise Http404
    return version


@transaction.atomic
def plan_get(*, actor: Actor, plan_id: int, number: int | None = None) -> PlanView:
    """The plan as it stands (or one earlier version), for those who may read it."""
    plan = _plan(plan_id)
    access = policy.plan_access(actor=actor, plan=plan)
    version = _version(plan, number or plan.current_number)
    may_review = policy.may_review(actor, plan)
    consents = (list(plan.consents.select_related("agency", "recorded_by"))
                if may_review else [])
    audit_record(actor=actor, action=Action.READ, target=plan, case_id=plan.case_id,
                 scopes=SCOPES, basis=f"safety plan, version {version.number}; "
                                      f"{_basis(actor, plan)}")
    return PlanView(plan=plan, access=access, current=version_view(version),
                    may_review=may_review, consents=consents)


def _basis(actor: Actor, plan: SafetyPlan) -> str:
    return ("the support service that made it" if actor.agency_id == plan.agency_id
            else "her consent")


@dataclass(frozen=True)
class VersionsView:
    plan: SafetyPlan
    access: CaseAccess
    versions: list[PlanVersion]


@transaction.atomic
def version_list(*, actor: Actor, plan_id: int) -> VersionsView:
    """Every version of the plan, newest first: who reviewed it, when, and whether it changed
    (one query for the list, whatever its length)."""
    plan = _plan(plan_id)
    access = policy.plan_access(actor=actor, plan=plan)
    versions = list(plan.versions.select_related("reviewed_by").order_by("-number"))
    audit_record(actor=actor, action=Action.READ, target=plan, case_id=plan.case_id,
                 scopes=SCOPES, basis=f"safety plan versions; {_basis(actor, plan)}")
    return VersionsView(plan=plan, access=access, versions=versions)


@transaction.atomic
def plan_for_print(*, actor: Actor, plan_id: int,
                   requested: str | None) -> tuple[SafetyPlan, VersionView, str]:
    """The current version, for the discreet printed plan, and its language: the one the reader
    chose, else hers (audited with the language)."""
    plan = _plan(plan_id)
    policy.plan_access(actor=actor, plan=plan)
    language = requested if requested in dict(PLAN_LANGUAGES) else plan.language
    version = _version(plan, plan.current_number)
    audit_record(actor=actor, action=Action.READ, target=plan, case_id=plan.case_id,
                 scopes=SCOPES, basis=f"safety plan printed ({language}), version "
                                      f"{version.number}; {_basis(actor, plan)}")
    return plan, version_view(version), language


# --- The forms' context ------------------------------------------------------------------------

@dataclass(frozen=True)
class FormContext:
    access: CaseAccess
    person: Person
    children: list[Person]
    others: list[Person]  # the persons of the case who may be named as a risk
    perpetrator_ids: set[int]


def _form_context(access: CaseAccess, person_id: int) -> FormContext:
    rows = list(CaseParticipant.objects.filter(case=access.case).select_related("person")
                .order_by("pk"))
    person = next(r.person for r in rows if r.person_id == person_id)
    return FormContext(
        access=access, person=person,
        children=[r.person for r in rows if r.role == ParticipantRole.CHILD],
        others=[r.person for r in rows if r.person_id != person_id],
        perpetrator_ids={r.person_id for r in rows
                         if r.role == ParticipantRole.ALLEGED_PERPETRATOR})


def make_form_context(*, actor: Actor, case_id: int, person_id: int) -> FormContext:
    """Making a plan with a victim of the case (404 otherwise)."""
    access = policy.make_access(actor=actor, case_id=case_id, person_id=person_id)
    return _form_context(access, person_id)


def review_form_context(*, actor: Actor, plan_id: int) -> tuple[PlanView, FormContext]:
    """Reviewing a plan: its current version and the persons of the case (404 unless her
    service made it)."""
    view = plan_get(actor=actor, plan_id=plan_id)
    if not view.may_review:
        raise Http404
    return view, _form_context(view.access, view.plan.person_id)


def consent_agencies(*, actor: Actor, plan_id: int) -> list[tuple[int, str]]:
    """The organisations a consent may be recorded for (no personal data)."""
    plan = _plan(plan_id)
    policy.plan_access(actor=actor, plan=plan)
    if not policy.may_review(actor, plan):
        raise Http404
    return list(policy.consent_targets(plan).values_list("pk", "name"))
