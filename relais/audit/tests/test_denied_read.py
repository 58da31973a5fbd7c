"""A 404 on an object that exists is a refused read: audited, aggregated against scans, and
shown in the case's access log to the owning zone's IPV reference officer."""

from __future__ import annotations

from django.test import override_settings

from relais.audit.models import Action, AuditEvent, DeniedReadTally
from relais.cases import services as case_services
from relais.conftest import actor, api_client, verified_client


def refused(**filters):
    return AuditEvent.objects.filter(action=Action.DENIED_READ, **filters)


def test_another_zone_opening_the_case_is_recorded_and_the_reference_officer_sees_it(cast):
    officer_b = verified_client(cast.officer_b)
    assert officer_b.get(f"/cases/{cast.case.pk}/").status_code == 404
    event = refused().get()
    assert (event.user_id, event.agency_id, event.case_id) == (
        cast.officer_b.pk, cast.zone_b.pk, cast.case.pk)
    assert event.basis == f"not visible to the user: cases.case {cast.case.pk}"
    log = verified_client(cast.reference_a).get(f"/cases/{cast.case.pk}/access-log/")
    assert log.status_code == 200
    html = log.content.decode()
    assert "refused access" in html and "officer_b" in html and "Zone B (test)" in html


def test_a_missing_id_and_a_visible_case_leave_no_refusal(cast):
    assert verified_client(cast.officer_b).get("/cases/999999/").status_code == 404
    assert verified_client(cast.officer_a).get(f"/cases/{cast.case.pk}/").status_code == 200
    assert not refused().exists()


def test_the_api_records_refusals_too_for_a_person_on_each_of_her_cases(cast):
    client = api_client(cast.officer_b)
    assert client.get(f"/api/persons/{cast.victim_id}/").status_code == 404
    assert client.get(f"/api/cases/{cast.case.pk}/").status_code == 404
    person = refused().get(basis__contains="cases.person")
    assert person.case_id == cast.case.pk and person.channel == "api"
    assert refused(basis__contains="cases.case").get().case_id == cast.case.pk
    assert str(cast.victim_id) in person.basis and "Alice" not in person.basis


@override_settings(DENIED_READ_EVENTS=2)
def test_a_scan_leaves_a_few_events_one_warning_and_a_count(cast):
    officer_a = actor(cast.officer_a)
    cases = [cast.case.pk] + [
        case_services.case_open(actor=officer_a, situation="couple", municipality="21009").pk
        for _ in range(4)]
    client = verified_client(cast.officer_b)
    for case_id in cases + cases[:2]:
        assert client.get(f"/cases/{case_id}/").status_code == 404
    per_case = refused(case_id__isnull=False)
    assert sorted(per_case.values_list("case_id", flat=True)) == cases[:2]
    scan = refused(case_id__isnull=True).get()
    assert scan.basis.startswith("possible scan: more than 2 cases.case refused")
    tally = DeniedReadTally.objects.get(user_id=cast.officer_b.pk, target_kind="cases.case")
    assert tally.count == 7 and tally.first_ids == cases
    assert tally.agency_id == cast.zone_b.pk
