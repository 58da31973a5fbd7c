"""The family proceedings' screens: sign-in, 404 for everyone else, the case page, the court's
list and the prosecutor's tracking table (constant query counts), the notices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.audit.models import Action, AuditEvent
from relais.conftest import VICTIM_STREET, case_page_with_sections, verified_client
from relais.family.models import FamilyProceeding, LinkNotice, ProceedingKind
from relais.family.tests.factories import open_to_court, record
from relais.justice.tests.factories import family_section, record_report


@pytest.fixture
def proceeding(cast, courts, django_capture_on_commit_callbacks) -> FamilyProceeding:
    family_section(cast)
    record_report(cast)  # forwarded to the office: its table has the case
    open_to_court(cast, courts)
    with django_capture_on_commit_callbacks(execute=True):
        return record(cast, courts)


def urls(cast, proceeding) -> list[str]:
    link = LinkNotice.objects.filter(agency=cast.zone_a).first()
    return [reverse("family:list"), reverse("family:proceeding_new", args=[cast.case.pk]),
            reverse("family:open_to_court", args=[cast.case.pk]),
            reverse("family:proceeding", args=[proceeding.pk]),
            reverse("family:notice", args=[link.pk])]


def test_every_screen_requires_sign_in(cast, proceeding):
    for url in urls(cast, proceeding):
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    response = Client().post(reverse("family:proceeding_end", args=[proceeding.pk]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_another_agency_gets_404_everywhere(cast, courts, proceeding):
    for user in (cast.officer_b, cast.shelter_worker, courts.youth_clerk):
        client = verified_client(user)
        for url in urls(cast, proceeding)[1:]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("family:proceeding_end",
                                   args=[proceeding.pk])).status_code == 404
    # The court's list is for courts only; the zone cannot end the court's decision.
    assert verified_client(cast.officer_a).get(reverse("family:list")).status_code == 404
    ends_on = proceeding.ends_on
    assert verified_client(cast.officer_a).post(
        reverse("family:proceeding_end", args=[proceeding.pk])).status_code == 404
    proceeding.refresh_from_db()
    assert proceeding.ends_on == ends_on


def test_a_court_records_on_the_form_and_the_case_shows_it(cast, courts):
    open_to_court(cast, courts)
    client = verified_client(courts.clerk)
    page = case_page_with_sections(client, cast.case.pk)
    assert "Record a court decision" in page and VICTIM_STREET not in page
    form = client.get(reverse("family:proceeding_new", args=[cast.case.pk])).content.decode()
    token = form.split('name="submission_token" value="')[1].split('"')[0]
    response = client.post(reverse("family:proceeding_new", args=[cast.case.pk]), {
        "kind": ProceedingKind.PARALLEL_PARENTING, "decided_on": "2026-12-01",
        "starts_on": "2026-12-01", "ends_on": "", "court": "", "belgica_court": "",
        "submission_token": token})
    proceeding = FamilyProceeding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("family:proceeding", args=[proceeding.pk])
    page = case_page_with_sections(verified_client(cast.officer_a), cast.case.pk)
    assert "Family proceedings" in page and "Parallel parenting" in page


def test_the_form_puts_errors_back(cast, courts):
    open_to_court(cast, courts)
    client = verified_client(courts.clerk)
    response = client.post(reverse("family:proceeding_new", args=[cast.case.pk]), {
        "kind": ProceedingKind.CUSTODY, "decided_on": "", "starts_on": "2026-12-10",
        "ends_on": "2026-12-01"})
    assert response.status_code == 200
    assert "Give the day of the decision." in response.content.decode()
    assert not FamilyProceeding.objects.exists()


def test_the_prosecutor_opens_the_case_to_a_court_on_the_form(cast, courts):
    record_report(cast)
    client = verified_client(cast.legal_advisor)
    url = reverse("family:open_to_court", args=[cast.case.pk])
    page = client.get(url).content.decode()
    assert "Family court (test)" in page
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    response = client.post(url, {"court": str(courts.family.pk), "submission_token": token})
    assert response.status_code == 302
    assert verified_client(courts.clerk).get(
        reverse("cases:case_detail", args=[cast.case.pk])).status_code == 200


def test_the_proceeding_page_is_audited(cast, courts, proceeding):
    before = AuditEvent.objects.filter(action=Action.READ,
                                       object_type="family.familyproceeding").count()
    page = verified_client(cast.officer_a).get(
        reverse("family:proceeding", args=[proceeding.pk])).content.decode()
    assert "Parallel parenting" in page and "Family court (test)" in page
    assert "End this decision" not in page  # only the recording court ends it
    assert AuditEvent.objects.filter(action=Action.READ,
                                     object_type="family.familyproceeding").count() == before + 1
    page = verified_client(courts.judge).get(
        reverse("family:proceeding", args=[proceeding.pk])).content.decode()
    assert "End this decision" in page


def test_the_notice_says_what_was_decided_and_never_where_she_lives(cast, courts, proceeding):
    link = LinkNotice.objects.get(agency=cast.zone_a)
    inbox = verified_client(cast.reference_a).get(reverse("notifications:inbox")).content.decode()
    assert "A family or youth court decided on the family" in inbox
    assert reverse("family:notice", args=[link.pk]) in inbox
    page = verified_client(cast.reference_a).get(
        reverse("family:notice", args=[link.pk])).content.decode()
    assert "Parallel parenting" in page and "Family court (test)" in page
    assert VICTIM_STREET not in page and "1050" not in page
    french = verified_client(cast.reference_a, "fr").get(
        reverse("family:notice", args=[link.pk])).content.decode()
    assert "Family court (test)" in french  # rendered again in the reader's language


def test_the_court_list_takes_a_constant_number_of_queries(cast, courts, proceeding,
                                                           django_assert_max_num_queries):
    client = verified_client(courts.clerk)
    url = reverse("family:list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(19):
        record(cast, courts, kind=ProceedingKind.CUSTODY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Custody") == 19


def test_the_tracking_table_flags_parallel_family_proceedings(cast, courts, proceeding,
                                                              django_assert_max_num_queries):
    client = verified_client(cast.legal_advisor)
    url = reverse("justice:table") + "?status=all"
    client.get(url)
    FamilyProceeding.objects.all().update(ends_on=proceeding.starts_on,
                                          starts_on=proceeding.starts_on.replace(year=2020))
    with CaptureQueriesContext(connection) as without:
        page = client.get(url).content.decode()
    assert "family court</span>" not in page  # ended: no flag
    FamilyProceeding.objects.all().update(ends_on=None)
    with django_assert_max_num_queries(len(without.captured_queries)):
        page = client.get(url).content.decode()
    assert "family court</span>" in page
