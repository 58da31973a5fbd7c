"""Regrouping two cases of the same household, and undoing it: nothing is lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.access.cases import case_access
from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.cases import selectors as case_selectors
from relais.cases import services as case_services
from relais.cases.models import Case, CaseAssignment, CaseStatus, TimelineEntry
from relais.conftest import actor
from relais.intake.selectors import case_reports
from relais.justice import selectors
from relais.justice.merge import case_links, case_merge, case_unmerge
from relais.justice.models import CaseMerge
from relais.justice.tests.factories import (
    entry_of,
    family_section,
    record_report,
    report_on,
    second_case,
)
from relais.notifications.models import Notice, NoticeKind
from relais.referrals.models import Referral, ReferralBasis
from relais.referrals.selectors import referral_get
from relais.referrals.services import referral_create


@pytest.fixture(autouse=True)
def _merges_at_once(approvals_off):
    """What a merge does, not who approves it (relais/approvals/tests/test_merge.py)."""
    approvals_off("case_merge", "family_file_continue")



def holdings(*cases: Case) -> dict[tuple[str, str, int], list]:
    """Every row pointing at each case, per model and field: what must come back exactly."""
    out = {}
    for model, field in case_links():
        for case in cases:
            out[(model._meta.label_lower, field, case.pk)] = sorted(
                model._default_manager.filter(**{field: case}).values_list("pk", flat=True))
    return out


def total(rows: dict, case: Case) -> int:
    return sum(len(pks) for (_label, _field, pk), pks in rows.items() if pk == case.pk)


@pytest.fixture
def household(cast, directory):
    """The cast case and a second case of zone A about the same couple, each with an official
    report forwarded to the office (so the office sees both), tasks, notes, a share with consent
    to the shelter and a referral to a support service."""
    family_section(cast)
    first_report = record_report(cast)
    other = second_case(cast)
    other_report = report_on(cast, other)
    officer = actor(cast.officer_a)
    case_services.note_add(actor=officer, case_id=other.pk, text="Second call this month.",
                           scope=Scope.JUDICIAL)
    victim = other.participants.get(role="victim").person_id
    referral_share_grant(actor=officer, case_id=other.pk, person_id=victim,
                         recipient_agency_id=cast.shelter.pk, scopes=[Scope.CONTACT],
                         method=ConsentMethod.ORAL_IN_PERSON)
    referral_create(actor=officer, case_id=other.pk, person_id=victim,
                    service_id=directory.support_fr.pk, basis=ReferralBasis.CONSENT,
                    consent_method=ConsentMethod.ORAL_IN_PERSON, scopes=[Scope.CONTACT],
                    confirm_mismatches=True)
    return cast, other, first_report, other_report


def test_the_office_is_told_of_a_possible_same_household(household):
    cast, other, _first, _second = household
    stranger = second_case(cast, same_victim=False)
    report_on(cast, stranger)
    hints = selectors.household_hints(actor=actor(cast.legal_advisor),
                                      case_ids=[cast.case.pk, stranger.pk])
    assert [(h.reference, h.why) for h in hints[cast.case.pk]] == [
        (other.reference, "national_number")]
    assert stranger.pk not in hints
    # The zone of another district sees none of it: hints only among the cases one may open.
    assert selectors.household_hints(actor=actor(cast.officer_b), case_ids=[cast.case.pk]) == {}


def test_same_name_and_birth_date_is_a_hint_too(household):
    cast, other, _first, _second = household
    other.participants.get(role="victim").person.__class__.objects.filter(
        participations__case=other, participations__role="victim").update(national_number="")
    hints = selectors.household_hints(actor=actor(cast.legal_advisor), case_ids=[cast.case.pk])
    assert [(h.reference, h.why) for h in hints[cast.case.pk]] == [(other.reference,
                                                                     "name_birth")]


def test_merge_and_unmerge_move_everything_and_back(household):
    cast, other, first_report, other_report = household
    target = cast.case
    before = holdings(target, other)
    before_audit = set(AuditEvent.objects.filter(case_id=other.pk).values_list("pk", flat=True))
    # The neighbourhood officer is assigned to both cases (by the revisits): that row cannot
    # move (one assignment per case and person) and stays on the merged case.
    assert CaseAssignment.objects.filter(case=other, user=cast.neighbourhood_a).exists()
    assert CaseAssignment.objects.filter(case=target, user=cast.neighbourhood_a).exists()

    merge = case_merge(actor=actor(cast.legal_advisor), source_id=other.pk, target_id=target.pk,
                       reason="Same couple: two calls the same week")

    other.refresh_from_db()
    assert other.status == CaseStatus.MERGED and other.merged_into == target
    assert merge.kept == {"cases.caseassignment": {"case": [
        CaseAssignment.objects.get(case=other, user=cast.neighbourhood_a).pk]}}
    after = holdings(target, other)
    assert merge.kept_count == 1
    assert total(after, other) == 2  # the kept assignment, and the "merged" timeline line
    for label in ("intake.report", "cases.caseparticipant", "cases.casenote", "followup.task",
                  "access.share", "access.consent", "risk.riskassessment", "cases.timelineentry",
                  "referrals.referral"):
        assert before[(label, "case", other.pk)], label
        moved = after[(label, "case", target.pk)]
        assert set(before[(label, "case", other.pk)]) <= set(moved), label
    # The support service still follows its referral, now on the kept case, and sees the case.
    referral = Referral.objects.get()
    assert referral.case_id == target.pk
    assert referral_get(actor=actor(cast.support_worker), referral_id=referral.pk)
    case_access(actor=actor(cast.support_worker), case_id=target.pk)
    # The kept case shows both reports, to the zone and to the office.
    zone_view = case_access(actor=actor(cast.officer_a), case_id=target.pk)
    assert {r.pk for r in case_reports(access=zone_view)} == {first_report.pk, other_report.pk}
    # The second report's entry now points at the kept case.
    assert entry_of(other_report).report.case_id == target.pk
    # The zone is told; merged cases leave the lists and the search.
    notice = Notice.objects.get(kind=NoticeKind.CASES_MERGED)
    assert notice.agency == cast.zone_a and notice.case == target
    assert notice.for_role == Role.IPV_REFERENCE_OFFICER
    officer = actor(cast.officer_a)
    assert other.pk not in [c.pk for c in case_selectors.case_list(actor=officer, status=None)]
    assert other.pk not in [c.pk for c in case_selectors.case_search(actor=officer,
                                                                      query="Alice Exemple")]
    assert AuditEvent.objects.filter(object_type="justice.casemerge", action="update",
                                     case_id=target.pk).exists()
    assert AuditEvent.objects.filter(object_type="justice.casemerge", action="update",
                                     case_id=other.pk).exists()

    case_unmerge(actor=actor(cast.magistrate), merge_id=merge.pk, reason="Two different couples")

    other.refresh_from_db()
    assert other.status == CaseStatus.OPEN and other.merged_into is None
    restored = holdings(target, other)
    for key, pks in before.items():
        # Exactly what was there, plus what tells of the merge: the timeline lines of the merge
        # and its undoing, and the notice to the zone.
        extra = set(restored[key]) - set(pks)
        assert set(pks) <= set(restored[key]), key
        if key[0] == "cases.timelineentry":
            assert {e.kind for e in TimelineEntry.objects.filter(pk__in=extra)} == {
                "cases_merged", "cases_unmerged"}
        elif key[0] == "notifications.notice":
            assert all(n.kind == NoticeKind.CASES_MERGED
                       for n in Notice.objects.filter(pk__in=extra)), key
        else:
            assert not extra, key
    timeline_kinds = {case.pk: list(case.timeline.filter(kind__in=["cases_merged",
                                                                   "cases_unmerged"])
                                    .values_list("kind", flat=True)) for case in (target, other)}
    assert timeline_kinds == {target.pk: ["cases_merged", "cases_unmerged"],
                              other.pk: ["cases_merged", "cases_unmerged"]}
    assert {r.pk for r in case_reports(access=zone_view)} == {first_report.pk}
    # Audit events are history: none was moved or lost.
    assert before_audit <= set(AuditEvent.objects.filter(case_id=other.pk)
                               .values_list("pk", flat=True))
    merge.refresh_from_db()
    assert merge.undone_by == cast.magistrate and merge.unrestored == {}
    assert AuditEvent.objects.filter(object_type="justice.casemerge", action="update",
                                     basis__startswith="merge undone", case_id=other.pk).exists()


def test_the_counts_per_model_are_identical_after_the_round_trip(household):
    cast, other, _first, _second = household
    # What the merge itself adds (its timeline lines, the notice to the zone) is left out.
    added_by_merge = {"cases.timelineentry": {"kind__in": ["cases_merged", "cases_unmerged"]},
                      "notifications.notice": {"kind": NoticeKind.CASES_MERGED}}

    def counts() -> dict:
        return {(model._meta.label_lower, field, case.pk):
                model._default_manager.filter(**{field: case}).exclude(
                    **added_by_merge.get(model._meta.label_lower, {})).count()
                for model, field in case_links() for case in (cast.case, other)}

    before = counts()
    merge = case_merge(actor=actor(cast.legal_advisor), source_id=other.pk,
                       target_id=cast.case.pk, reason="Same couple")
    assert counts() != before
    case_unmerge(actor=actor(cast.legal_advisor), merge_id=merge.pk, reason="Mistake")
    assert counts() == before


def test_a_merge_needs_a_reason_and_two_cases(household):
    """Cases of two owners merge too: see test_merge_across_owners.py."""
    cast, other, _first, _second = household
    la = actor(cast.legal_advisor)
    with pytest.raises(ValidationError) as error:
        case_merge(actor=la, source_id=other.pk, target_id=cast.case.pk, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        case_merge(actor=la, source_id=other.pk, target_id=other.pk, reason="x")
    assert "other_case" in error.value.message_dict
    assert not CaseMerge.objects.exists()
    assert Case.objects.get(pk=other.pk).status == CaseStatus.OPEN


def test_only_the_office_merges_cases_it_sees(household):
    cast, other, _first, _second = household
    unseen = second_case(cast)  # no report: never forwarded to the office
    for user in (cast.officer_a, cast.reference_a, cast.officer_b, cast.justice_assistant):
        with pytest.raises(Http404):
            case_merge(actor=actor(user), source_id=other.pk, target_id=cast.case.pk,
                       reason="Same")
    with pytest.raises(Http404):
        case_merge(actor=actor(cast.legal_advisor), source_id=unseen.pk, target_id=cast.case.pk,
                   reason="Same")


def test_merged_cases_cannot_be_merged_again_and_undo_goes_in_order(household):
    cast, other, _first, _second = household
    third = second_case(cast)
    report_on(cast, third)
    la = actor(cast.legal_advisor)
    first = case_merge(actor=la, source_id=other.pk, target_id=cast.case.pk, reason="Same")
    with pytest.raises((ValidationError, Http404)):  # merged: the office no longer opens it
        case_merge(actor=la, source_id=other.pk, target_id=third.pk, reason="Same")
    with pytest.raises(ValidationError):
        case_merge(actor=la, source_id=third.pk, target_id=cast.case.pk, reason="")
    second = case_merge(actor=la, source_id=cast.case.pk, target_id=third.pk, reason="Same")
    with pytest.raises(ValidationError) as error:
        case_unmerge(actor=la, merge_id=first.pk, reason="Undo")
    assert "undo that merge first" in error.value.message_dict["reason"][0]
    case_unmerge(actor=la, merge_id=second.pk, reason="Undo")
    case_unmerge(actor=la, merge_id=first.pk, reason="Undo")
    with pytest.raises(ValidationError):
        case_unmerge(actor=la, merge_id=first.pk, reason="Again")
    assert set(Case.objects.values_list("status", flat=True)) == {CaseStatus.OPEN}


def test_nothing_is_added_to_a_merged_case(household):
    """Its records live on the kept case: a note, a person or a report on the merged one is
    refused (the screens hide the buttons; the services refuse a direct request too)."""

    cast, other, _first_report, _other_report = household
    case_merge(actor=actor(cast.legal_advisor), source_id=other.pk, target_id=cast.case.pk,
               reason="Same couple")
    officer = actor(cast.officer_a)
    with pytest.raises(Http404):
        case_services.note_add(actor=officer, case_id=other.pk, text="Fictitious note")
    with pytest.raises(Http404):
        case_services.person_add_to_case(actor=officer, case_id=other.pk, role="witness",
                                         first_name="Wanda", last_name="Témoin")
    note = case_services.note_add(actor=officer, case_id=cast.case.pk, text="Fictitious note")
    assert note.case_id == cast.case.pk
