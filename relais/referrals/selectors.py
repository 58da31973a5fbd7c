"""Reading referrals (each side sees its own), and what the case says about a person's needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access import referrals as referral_policy
from relais.access.cases import CaseAccess
from relais.access.referrals import side_of
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Address, CaseParticipant, NeedKind, ParticipantRole, Sex
from relais.core.actor import Actor
from relais.directory.models import AreaLevel, CrisisStatus, Service, ServiceType, TargetGroup
from relais.directory.places import Place, place_for, place_for_municipality
from relais.directory.selectors import Match, SearchQuery, ServiceView, service_search, view_for
from relais.referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from relais.referrals.rules import Advice, Facts, Suggestion


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    side: str
    overdue: bool

    @property
    def person_label(self) -> str:
        """The person's name while the service may see her; the case reference only after."""
        referral = self.referral
        if self.side == "receiver" and (referral.share is None
                                        or referral.share.ended_at is not None):
            return _("(no longer shared)")
        return str(referral.person)

    @property
    def consent_withdrawn(self) -> bool:
        consent = self.referral.consent
        return consent is not None and consent.withdrawn_at is not None


def _rows(qs: QuerySet[Referral], side: str) -> list[ReferralRow]:
    now = timezone.now()
    rows = [ReferralRow(r, side, r.is_open and r.due_at is not None and r.due_at < now)
            for r in qs.select_related("service", "person", "case", "from_agency", "to_agency",
                                       "share", "consent")]
    rows.sort(key=lambda row: (not row.overdue, not row.referral.is_open,
                               -row.referral.status_at.timestamp()))
    return rows


def referral_rows(*, actor: Actor, direction: str,
                  open_only: bool = False) -> tuple[QuerySet[Referral], str]:
    """Referrals the actor's agency made ("outgoing") or received ("incoming"), with the
    actor's side; the list and the API page them."""
    if direction == "incoming":
        qs, side = referral_policy.incoming_scope(actor), referral_policy.RECEIVER
    else:
        qs, side = referral_policy.outgoing_scope(actor), referral_policy.REFERRER
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs, side


def referral_row(referral: Referral, side: str) -> ReferralRow:
    now = timezone.now()
    return ReferralRow(referral, side, referral.is_open and referral.due_at is not None
                       and referral.due_at < now)


def referral_list(*, actor: Actor, direction: str, open_only: bool = False,
                  limit: int = 200) -> list[ReferralRow]:
    """Referrals the actor's agency made ("outgoing") or received ("incoming"); overdue first."""
    qs, side = referral_rows(actor=actor, direction=direction, open_only=open_only)
    return _rows(qs.order_by("-status_at")[:limit], side)


def referral_export_rows(*, actor: Actor, direction: str,
                         chunk_size: int = 500) -> Iterator[ReferralRow]:
    """Every referral of the list (``referral_list`` without its limit), overdue first, then
    the open ones, newest step first, read in chunks by a server-side cursor (the export;
    ``relais.core.exports.export_response`` audits it)."""
    qs, side = referral_rows(actor=actor, direction=direction)
    now = timezone.now()
    is_open = Q(status__in=OPEN_STATUSES)
    rank = When_(When(is_open & Q(due_at__lt=now), then=Value(0)),
                 When(is_open, then=Value(1)), default=Value(2), output_field=IntegerField())
    qs = (qs.annotate(rank=rank).order_by("rank", "-status_at", "pk")
          .select_related("service", "person", "case", "from_agency", "to_agency", "share",
                          "consent"))
    return (ReferralRow(r, side, r.is_open and r.due_at is not None and r.due_at < now)
            for r in qs.iterator(chunk_size=chunk_size))


def overdue_count(*, actor: Actor) -> int:
    """Open referrals of the actor's agency, either way, past their step's deadline."""
    return referral_policy.badge_scope(actor).filter(status__in=OPEN_STATUSES,
                                                     due_at__lt=timezone.now()).count()


def referral_side(*, actor: Actor, referral_id: int) -> str:
    """The actor's side of a referral ("referrer" or "receiver"), 404 if neither."""
    referral = Referral.objects.filter(pk=referral_id).only(
        "pk", "case_id", "from_agency_id", "to_agency_id").first()
    if referral is None:
        raise Http404
    return side_of(actor=actor, referral=referral)


def referral_get(*, actor: Actor, referral_id: int) -> ReferralRow:
    referral = (Referral.objects.select_related(
        "service", "person", "case", "from_agency", "to_agency", "share", "consent",
        "created_by").filter(pk=referral_id).first())
    if referral is None:
        raise Http404
    side = side_of(actor=actor, referral=referral)
    audit_record(actor=actor, action=Action.READ, target=referral, case_id=referral.case_id,
                 basis="referral " + side)
    now = timezone.now()
    return ReferralRow(referral, side, referral.is_open and referral.due_at is not None
                       and referral.due_at < now)


def referral_steps(row: ReferralRow) -> list:
    """The steps of a referral the reader already opened (``referral_get``), oldest first."""
    return list(row.referral.steps.select_related("by", "agency").order_by("at", "pk"))


def case_referrals(*, access: CaseAccess) -> list[ReferralRow]:
    """Referrals of a case made by the reader's agency, or made to it (part of the case read)."""
    seen = referral_policy.case_referral_scope(access)
    if seen is None:
        return []
    qs, side = seen
    return _rows(qs, side)


def facts_for(*, access: CaseAccess, person_id: int) -> tuple[Facts, Place | None]:
    """What the case tells about a person's needs, within what the reader may see.

    Languages and roles come with identity; the place from her current address that is not
    confidential (contact scope) or else the case's municipality; sexual violence from the
    police records (judicial scope); disability from her needs and a residence that depends on
    the partner from relais.safeguards (health scope); imminent
    danger from the top level of the newest risk assessment.
    """
    participant = (CaseParticipant.objects.filter(case=access.case, person_id=person_id)
                   .select_related("person").first())
    if participant is None:
        raise Http404
    person = participant.person
    scopes = access.person_scopes(participant.role, person_id)
    flags: set[str] = set()
    if CaseParticipant.objects.filter(case=access.case, role=ParticipantRole.CHILD).exists():
        flags.add("children")
    if Scope.JUDICIAL in access.scopes:
        from relais.intake.models import Report, ViolenceForm

        for forms in Report.objects.filter(case=access.case).values_list("forms", flat=True):
            if ViolenceForm.SEXUAL in (forms or []):
                flags.add("sexual_violence")
        if Report.objects.filter(case=access.case, children_present=True).exists():
            flags.add("children")
    if Scope.HEALTH in scopes and person.needs.filter(kind=NeedKind.DISABILITY).exists():
        flags.add("disability")
    if Scope.HEALTH in scopes:
        from relais.safeguards.models import ResidenceSituation

        # Her residence depends on the partner (relais.safeguards): the legal-service rules.
        if ResidenceSituation.objects.filter(case=access.case, person=person).exists():
            flags.add("family_reunification")
    from relais.risk.selectors import case_risk

    latest = case_risk(access=access).latest
    if latest is not None and not latest.screening:
        if latest.rank >= latest.levels - 2:  # "high" or above on a full grid
            flags.add("high_risk")
        if latest.rank == latest.levels - 1:
            flags.add("imminent_danger")
    place = None
    if Scope.CONTACT in scopes:
        address = (Address.objects.filter(person=person, current=True, confidential=False)
                   .exclude(postcode="").order_by("-id").first())
        if address is not None:
            place = place_for(address.postcode)
    if place is None and access.case.municipality:
        place = place_for_municipality(access.case.municipality)
    facts = Facts(role=participant.role, languages=tuple(person.languages or ()),
                  file_language=person.file_language, flags=frozenset(flags))
    return facts, place


HelpBlock = tuple[Suggestion, list[tuple[Match, ServiceView]]]


def help_blocks(*, actor: Actor, advice: Advice, place: Place | None, urgent: bool,
                at: datetime | None = None, per_suggestion: int = 4) -> list[HelpBlock]:
    """Each suggestion with the services that answer it, searched from her place.

    ``urgent`` (high risk): services open around the clock come first, then those open at
    ``at``; a service closed at that hour never outranks an open one.
    """
    blocks = []
    for suggestion in advice.suggestions:
        matches: list[tuple[Match, ServiceView]] = []
        if suggestion.need:
            require = set(suggestion.require)
            query = SearchQuery(
                place=place, need=suggestion.need, languages=suggestion.languages,
                accepts_undocumented="accepts_undocumented" in require,
                no_income_required="no_income_required" in require,
                accessibility=suggestion.accessibility, urgent=urgent)
            matches = [(m, view_for(m.service, actor))
                       for m in service_search(query=query, at=at, limit=per_suggestion)]
        blocks.append((suggestion, matches))
    return blocks


def referral_mismatches(*, service: Service, facts: Facts, place: Place | None,
                        sex: str = "") -> list[str]:
    """Why a service may not fit the person: each reason is shown and must be confirmed."""
    reasons: list[str] = []
    if place is not None and place.known:
        codes = place.codes()
        if not any(a.level == AreaLevel.NATIONAL or a.code in codes.get(a.level, ())
                   for a in service.areas.all()):
            language = (get_language() or "fr")[:2]
            reasons.append(_("%(service)s does not serve %(place)s.")
                           % {"service": service.name, "place": place.label(language)})
    spoken = set(facts.languages) | ({facts.file_language} - {""})
    if spoken and service.type != ServiceType.INTERPRETERS and \
            not spoken & set(service.languages):
        names = dict(settings.RELAIS_LANGUAGE_NAMES)
        reasons.append(_("%(service)s works in %(theirs)s; she speaks %(hers)s.") % {
            "service": service.name,
            "theirs": ", ".join(names.get(c, c) for c in service.languages) or "?",
            "hers": ", ".join(names.get(c, c) for c in sorted(spoken))})
    if "undocumented" in facts.flags and (not service.accepts_undocumented
                                          or service.requires_residence_status):
        reasons.append(_("%(service)s does not accept undocumented people.")
                       % {"service": service.name})
    if sex == Sex.MALE and not service.accepts_men:
        reasons.append(_("%(service)s does not accept men.") % {"service": service.name})
    if facts.role == ParticipantRole.CHILD and not service.accepts_children:
        reasons.append(_("%(service)s does not accept children.") % {"service": service.name})
    wanted_group = {ParticipantRole.VICTIM: TargetGroup.VICTIMS,
                    ParticipantRole.ALLEGED_PERPETRATOR: TargetGroup.PERPETRATORS,
                    ParticipantRole.CHILD: TargetGroup.CHILDREN}.get(facts.role)
    if wanted_group and service.target_groups and wanted_group not in service.target_groups:
        reasons.append(_("%(service)s is not for %(group)s.")
                       % {"service": service.name, "group": wanted_group.label.lower()})
    if facts.accessibility and not set(facts.accessibility) <= set(service.accessibility):
        reasons.append(_("%(service)s lacks the accessibility she needs.")
                       % {"service": service.name})
    if service.crisis_status == CrisisStatus.CLOSED:
        reasons.append(_("%(service)s is closed at the moment.") % {"service": service.name})
    elif service.free_places == 0:
        reasons.append(_("%(service)s has no free place: she will be on a waiting list.")
                       % {"service": service.name})
    return reasons


def awaiting_approval(row: ReferralRow):
    """The pending request to send this referral without her consent (a consent override that
    waits for a supervisor), for the referrer; None otherwise."""
    from relais.approvals.selectors import pending_request

    referral = row.referral
    if row.side != "referrer" or referral.status != ReferralStatus.PROPOSED:
        return None
    return pending_request(step="consent_override", target=referral)
