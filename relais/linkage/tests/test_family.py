"""The family of a case across zones, and indicator 3 (the consolidation rate)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from relais.approvals import services as approvals
from relais.conftest import actor, case_page_with_sections
from relais.intake.models import Report
from relais.justice.tests.factories import record_report, report_on
from relais.linkage import family, services
from relais.linkage.models import PersonLink
from relais.linkage.tests.factories import couple_case, perpetrator_born, person_of

pytestmark = pytest.mark.django_db


def confirm(cast, a: int, b: int, user) -> None:
    left, right = sorted((a, b))
    link = PersonLink.objects.get(left_id=left, right_id=right)
    services.link_decide(actor=actor(user), link_id=link.pk, same=True, reason="Checked")


def test_confirmed_links_join_the_same_persons_across_steps(cast):
    b = couple_case(cast, cast.officer_b)
    confirm(cast, cast.victim_id, person_of(b), cast.officer_b)
    groups = family.same_persons({cast.victim_id})
    assert groups[person_of(b)] == groups[cast.victim_id]


def test_the_family_view_shows_the_pair_across_zones_within_each_readers_access(cast):
    b = couple_case(cast, cast.officer_b, perpetrator_birth=perpetrator_born(cast))
    confirm(cast, cast.victim_id, person_of(b), cast.officer_b)
    confirm(cast, cast.perpetrator_id, person_of(b, "alleged_perpetrator"), cast.officer_b)
    report_on(cast, cast.case)
    view = family.family_of(actor=actor(cast.officer_a), case_id=cast.case.pk)
    by_case = {c.case_id: c for c in view.cases}
    assert by_case[b.pk].same_pair and not by_case[b.pk].visible
    assert by_case[cast.case.pk].visible
    assert [r.visible for r in view.reports] == [True]
    # A shelter reads nothing of it.
    with pytest.raises(Http404):
        family.family_of(actor=actor(cast.shelter_worker), case_id=cast.case.pk)


def test_a_reactivation_candidate_is_an_earlier_file_of_the_same_pair_in_the_same_zone(cast):
    again = couple_case(cast, cast.officer_a, perpetrator_birth=perpetrator_born(cast))
    confirm(cast, cast.victim_id, person_of(again), cast.officer_a)
    confirm(cast, cast.perpetrator_id, person_of(again, "alleged_perpetrator"), cast.officer_a)
    files = family.pair_files(actor=actor(cast.officer_a), case_id=again.pk)
    assert [f.case_id for f in files] == [cast.case.pk]


def test_the_consolidation_rate_counts_repeat_reports_in_the_same_file(cast):
    first = record_report(cast)
    Report.objects.filter(pk=first.pk).update(offence_at=timezone.now() - timedelta(days=40))
    report_on(cast, cast.case)  # a second report of the household, in the same file
    elsewhere = couple_case(cast, cast.officer_a)
    confirm(cast, cast.victim_id, person_of(elsewhere), cast.officer_a)
    report_on(cast, elsewhere)  # a third one, in another file of the same zone
    today = timezone.localdate()
    rows = family.consolidation_rate(actor=actor(cast.reference_a), zone_id=cast.zone_a.pk,
                                     start=today.replace(day=1) - timedelta(days=62),
                                     end=today + timedelta(days=1))
    assert sum(r.repeat_reports for r in rows) == 2
    assert sum(r.consolidated for r in rows) == 1
    assert rows[-1].rate is not None


def test_the_consolidation_rate_is_a_figure_of_the_zone_and_of_analysts(cast):
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    with pytest.raises(Http404):
        family.consolidation_rate(actor=actor(cast.reference_a), zone_id=cast.zone_b.pk,
                                  start=start, end=end)
    with pytest.raises(Http404):
        family.consolidation_rate(actor=actor(cast.shelter_worker), zone_id=None,
                                  start=start, end=end)
    family.consolidation_rate(actor=actor(cast.analyst_a), zone_id=cast.zone_a.pk,
                              start=start, end=end)


def test_a_new_report_of_the_couple_reopens_and_continues_the_earlier_file(cast):
    from django.urls import reverse

    from relais.audit.models import Action, AuditEvent
    from relais.cases import services as case_services
    from relais.cases.models import CaseStatus
    from relais.conftest import verified_client
    from relais.justice.merge import case_unmerge

    officer = actor(cast.officer_a)
    case_services.case_close(actor=officer, case_id=cast.case.pk,
                             reason="declined", acknowledged=True)
    again = couple_case(cast, cast.officer_a, perpetrator_birth=perpetrator_born(cast))
    report_on(cast, again)
    confirm(cast, cast.victim_id, person_of(again), cast.officer_a)
    confirm(cast, cast.perpetrator_id, person_of(again, "alleged_perpetrator"), cast.officer_a)
    client = verified_client(cast.officer_a)
    page = case_page_with_sections(client, again.pk)
    assert f"Continue on {cast.case.reference}" in page and "It is closed" in page
    # Another zone cannot do it, and a reason is needed.
    other = verified_client(cast.officer_b).post(
        reverse("linkage:continue", args=[again.pk]), {"into": cast.case.pk, "reason": "x"})
    assert other.status_code == 404
    response = client.post(reverse("linkage:continue", args=[again.pk]),
                           {"into": cast.case.pk, "reason": "Same couple, new incident"})
    # A merge: it waits for the zone's supervisor, who is not the one who asked.
    assert response.status_code == 302 and response.url == f"/cases/{again.pk}/"
    again.refresh_from_db()
    assert again.status == CaseStatus.OPEN
    request = approvals.pending_for(step="family_file_continue", target=again)
    assert request.case == cast.case and request.reason == "Same couple, new incident"
    with pytest.raises(Http404):
        approvals.approval_approve(actor=officer, request_id=request.pk)
    approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)
    cast.case.refresh_from_db()
    again.refresh_from_db()
    assert cast.case.status == CaseStatus.OPEN and again.status == CaseStatus.MERGED
    assert Report.objects.filter(case=cast.case).count() == 1
    assert cast.case.timeline.filter(kind="case_reactivated").exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE, case_id=cast.case.pk,
                                     basis__contains="reactivated").exists()
    # The zone undoes it like any merge.
    from relais.justice.models import CaseMerge

    merge = CaseMerge.objects.get(source=again)
    case_unmerge(actor=officer, merge_id=merge.pk, reason="Not the same incident file")
    again.refresh_from_db()
    assert again.status == CaseStatus.OPEN
    assert Report.objects.filter(case=again).count() == 1
