"""The tracking table's screens: sign-in, 404 for everyone else, what each side sees, forms,
query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.access.merges import sees_merges
from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, case_page_with_sections, make_agency, make_user, verified_client
from relais.core.models import FormDraft
from relais.intake.models import Report
from relais.justice import services
from relais.justice.merge import case_merge
from relais.justice.models import CaseMerge, Decision, Entry, EntryEvent, Measure, Section
from relais.justice.tests.factories import (
    entry_of,
    family_section,
    make_overdue,
    record_report,
    report_on,
    second_case,
)


@pytest.fixture(autouse=True)
def _merges_at_once(approvals_off):
    """What a merge does, not who approves it (relais/approvals/tests/test_merge.py)."""
    approvals_off("case_merge", "family_file_continue")


@pytest.fixture
def entry(cast) -> Entry:
    family_section(cast)
    return entry_of(record_report(cast))


@pytest.fixture
def merge(cast, entry) -> CaseMerge:
    other = second_case(cast)
    report_on(cast, other)
    return case_merge(actor=actor(cast.legal_advisor), source_id=other.pk,
                      target_id=cast.case.pk, reason="Same couple")


def urls(entry: Entry, merge: CaseMerge | None = None) -> list[str]:
    out = [reverse("justice:table"), reverse("justice:entry", args=[entry.pk]),
           reverse("justice:entry_merge", args=[entry.pk]), reverse("justice:merges"),
           reverse("justice:sections"), reverse("justice:section_new"),
           reverse("justice:section", args=[entry.section_id])]
    if merge is not None:
        out.append(reverse("justice:merge_undo", args=[merge.pk]))
    return out


def test_every_screen_requires_sign_in(cast, entry, merge):
    for url in urls(entry, merge):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url
    response = Client().post(reverse("justice:entry_reader", args=[entry.pk]))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_everyone_else_gets_404_on_every_screen(cast, entry, merge):
    liege = make_agency("parquet-lg", AgencyKind.PROSECUTOR, arrondissement="liege")
    outsiders = [cast.officer_b, cast.officer_a, cast.reference_a, cast.justice_assistant,
                 cast.shelter_worker, make_user("advisor_lg", liege, Role.LEGAL_ADVISOR)]
    for user in outsiders:
        client = verified_client(user)
        for url in urls(entry, merge):
            if user.username == "advisor_lg" and url in (
                    reverse("justice:table"), reverse("justice:merges"),
                    reverse("justice:sections")):
                continue  # her own office's (empty) screens
            if url == reverse("justice:merges") and sees_merges(actor(user)):
                # A zone's own merges by agreement (none here): not the office's.
                response = client.get(url)
                assert response.status_code == 200
                assert reverse("justice:merge_undo", args=[merge.pk]) not in (
                    response.content.decode())
                continue
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(reverse("justice:entry", args=[entry.pk]), {
            "decision": "hearing"}).status_code == 404, user.username
        assert client.post(reverse("justice:entry_reader", args=[entry.pk]), {
            "reader": str(cast.legal_advisor.pk)}).status_code == 404, user.username
        assert client.post(reverse("justice:merge_undo", args=[merge.pk]), {
            "reason": "x"}).status_code == 404, user.username
        assert client.post(reverse("justice:entry_merge", args=[entry.pk]), {
            "other_case": cast.case.reference, "keep": "this", "reason": "x"}
        ).status_code == 404, user.username
        assert client.post(reverse("justice:section_new"), {
            "name": "x", "decision_days": "3"}).status_code == 404, user.username
    # The other office's table does not list the entry.
    page = verified_client(outsiders[-1]).get(reverse("justice:table") + "?status=all")
    assert cast.case.reference not in page.content.decode()
    entry.refresh_from_db()
    assert not entry.is_decided and CaseMerge.objects.get().is_active


def test_the_table_shows_overdue_rows_first_in_words(cast, entry):
    make_overdue(entry, days=4)
    on_time = entry_of(record_report(cast))
    page = verified_client(cast.legal_advisor).get(reverse("justice:table")).content.decode()
    assert "overdue by 4 days" in page
    rows = re.findall(r"<tr( class=\"flag\")?>\s*<td class=\"nowrap\">", page)
    assert rows == [' class="flag"', ""]  # the overdue row first, and marked
    assert page.index(f'/prosecution/entries/{entry.pk}/') < page.index(
        f'/prosecution/entries/{on_time.pk}/')
    assert "1 overdue" in page
    # The menu entry, with its badge (her overdue reports).
    assert re.search(r'Prosecution <span class="badge badge-critical">1</span>', page)


def test_the_table_filters(cast, entry):
    client = verified_client(cast.legal_advisor)
    base = reverse("justice:table")
    assert f"/prosecution/entries/{entry.pk}/" in client.get(base + "?reader=mine").content.decode()
    assert f"/prosecution/entries/{entry.pk}/" not in client.get(
        base + "?reader=none").content.decode()
    assert "No report here." in client.get(base + "?status=decided").content.decode()
    assert f"/prosecution/entries/{entry.pk}/" in client.get(
        base + f"?section={entry.section_id}&status=all").content.decode()
    assert client.get(base + "?status=nonsense&page=x&section=y").status_code == 200


def clone(entry: Entry, count: int) -> None:
    """More rows for the query count: copies of the report, each with its entry."""
    for _n in range(count):
        report = Report.objects.get(pk=entry.report_id)
        report.pk = None
        report.save()
        Entry.objects.create(agency=entry.agency, report=report, received_at=entry.received_at,
                             section=entry.section, reader=entry.reader, due_on=entry.due_on)


def test_the_table_takes_a_constant_number_of_queries(cast, entry, django_assert_max_num_queries):
    other = second_case(cast)
    report_on(cast, other)  # a possible same household on every row
    client = verified_client(cast.legal_advisor)
    url = reverse("justice:table") + "?status=all"
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    clone(entry, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Page 1 of 2" in page and "Possibly the same household" in page
    with django_assert_max_num_queries(30):
        client.get(url)


def test_the_entry_page_shows_the_report_and_history(cast, entry):
    page = verified_client(cast.legal_advisor).get(
        reverse("justice:entry", args=[entry.pk])).content.decode()
    assert cast.case.reference in page and f'href="/cases/{cast.case.pk}/"' in page
    assert "He pushed her against the wall" in page  # the judicial narrative
    assert "Alice Exemple" in page
    assert "Received" in page and "Reader assigned" in page
    assert 'name="submission_token"' in page and 'name="_save_draft"' in page
    assert AuditEvent.objects.filter(action="read", object_type="justice.entry",
                                     object_id=str(entry.pk), scopes="judicial").exists()


def test_assigning_a_reader_and_recording_a_decision_through_the_screens(cast, entry):
    client = verified_client(cast.legal_advisor)
    services.entry_assign_reader(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                                 reader_id=None)
    url = reverse("justice:entry", args=[entry.pk])
    data = {"decision": "hearing", "measures": ["no_contact", "seizure"], "note": "",
            "other_measure": "", "submission_token": "tok-1"}
    # Without a reader: the clear error, nothing saved, the input kept.
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "A decision needs a reader" in page
    assert re.search(r'value="hearing"[^>]*checked', page)
    assert not Entry.objects.get(pk=entry.pk).is_decided
    # A reader from another office is refused.
    stranger = make_user("advisor_lg", make_agency("parquet-lg", AgencyKind.PROSECUTOR,
                                                   arrondissement="liege"), Role.LEGAL_ADVISOR)
    response = client.post(reverse("justice:entry_reader", args=[entry.pk]),
                           {"reader": str(stranger.pk)}, follow=True)
    assert "Choose a legal advisor or magistrate of this office" in response.content.decode()
    client.post(reverse("justice:entry_reader", args=[entry.pk]),
                {"reader": str(cast.magistrate.pk)})
    assert Entry.objects.get(pk=entry.pk).reader == cast.magistrate
    # The decision, sent twice (a double click): recorded once.
    assert client.post(url, data).status_code == 302
    client.post(url, data)
    entry.refresh_from_db()
    assert entry.decision == Decision.HEARING
    assert entry.measures == [Measure.NO_CONTACT, Measure.SEIZURE]
    assert EntryEvent.objects.filter(entry=entry, kind="decided").count() == 1
    page = client.get(url).content.decode()
    assert "Correct the decision" in page and "Seizure (e.g. weapons)" in page


def test_the_decision_form_keeps_a_draft(cast, entry):
    client = verified_client(cast.legal_advisor)
    url = reverse("justice:entry", args=[entry.pk])
    client.post(url, {"decision": "investigation", "note": "To check", "_save_draft": "1"})
    assert FormDraft.objects.filter(user=cast.legal_advisor, path=url).exists()
    page = client.get(url).content.decode()
    assert re.search(r'value="investigation"[^>]*checked', page) and "To check" in page
    assert not Entry.objects.get(pk=entry.pk).is_decided


def test_the_zone_sees_the_decision_on_the_case_page_without_the_reader(cast, entry):
    services.entry_decide(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                          decision=Decision.HEARING, measures=[Measure.NO_CONTACT],
                          note="Office only: call the victim's lawyer")
    case_url = reverse("cases:case_detail", args=[cast.case.pk])
    page = case_page_with_sections(verified_client(cast.officer_a), cast.case.pk)
    panel = page[page.index('id="prosecution-h"'):]
    panel = panel[:panel.index("</section>")]
    assert "Hearing" in panel and "No contact" in panel and entry.section.name in panel
    assert "Legal Test" not in panel and "Office only" not in page
    assert f"/prosecution/entries/{entry.pk}/" not in panel
    # The office sees its reader and reaches the entry from the case.
    office = case_page_with_sections(verified_client(cast.legal_advisor), cast.case.pk)
    assert f"/prosecution/entries/{entry.pk}/" in office
    assert verified_client(cast.officer_b).get(case_url).status_code == 404


def test_the_zone_sees_a_pending_report_as_pending(cast, entry):
    make_overdue(entry, days=2)
    page = case_page_with_sections(verified_client(cast.reference_a), cast.case.pk)
    assert "Pending" in page and "overdue by 2 days" in page


def test_merging_and_undoing_through_the_screens(cast, entry):
    other = second_case(cast)
    report_on(cast, other)
    client = verified_client(cast.legal_advisor)
    entry_url = reverse("justice:entry", args=[entry.pk])
    assert other.reference in client.get(entry_url).content.decode()  # the hint
    merge_url = reverse("justice:entry_merge", args=[entry.pk])
    page = client.get(merge_url + f"?with={other.reference}").content.decode()
    assert other.reference in page and "Regroup the cases" in page
    response = client.post(merge_url, {"other_case": other.reference, "keep": "this",
                                       "reason": "", "submission_token": "m1"})
    assert "error-summary" in response.content.decode() and not CaseMerge.objects.exists()
    response = client.post(merge_url, {"other_case": "REL-0000-999999", "keep": "this",
                                       "reason": "Same", "submission_token": "m2"})
    assert "No case with this reference is open to your office" in response.content.decode()
    response = client.post(merge_url, {"other_case": other.reference, "keep": "this",
                                       "reason": "Same couple", "submission_token": "m3"})
    assert response.status_code == 302 and response.url == f"/cases/{cast.case.pk}/"
    merge = CaseMerge.objects.get()
    assert merge.source == other and merge.target == cast.case
    # The zone opens the merged case: it points to the kept one; its list leaves it out.
    zone = verified_client(cast.officer_a)
    page = case_page_with_sections(zone, other.pk)
    assert "This case was regrouped into case" in page and cast.case.reference in page
    assert other.reference not in zone.get(reverse("cases:my_cases") + "?status=all"
                                           ).content.decode()
    kept = case_page_with_sections(zone, cast.case.pk)
    assert f"Case {other.reference} was regrouped into this case" in kept
    # Undo.
    listing = client.get(reverse("justice:merges")).content.decode()
    assert other.reference in listing and "Same couple" in listing
    undo_url = reverse("justice:merge_undo", args=[merge.pk])
    response = client.post(undo_url, {"reason": "Two couples", "submission_token": "u1"})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert not merge.is_active
    assert "Undone on" in client.get(undo_url).content.decode()


def test_sections_screens(cast, entry):
    magistrate = verified_client(cast.magistrate)
    page = magistrate.get(reverse("justice:section_new")).content.decode()
    assert "Ixelles (21009)" in page and "Legal Test" in page and "Magistrate Test" in page
    response = magistrate.post(reverse("justice:section_new"), {
        "name": "Ixelles", "decision_days": "20", "municipalities": ["21009"],
        "readers": [str(cast.magistrate.pk)], "submission_token": "s1"})
    assert response.status_code == 302
    section = Section.objects.get(name="Ixelles")
    assert section.municipalities == ["21009"] and list(section.readers.all()) == [
        cast.magistrate]
    response = magistrate.post(reverse("justice:section_new"), {
        "name": "Also Ixelles", "decision_days": "20", "municipalities": ["21009"],
        "submission_token": "s2"})
    assert "already belong to the section Ixelles" in response.content.decode()
    # Legal advisors read the sections; an administrator of the office keeps them and is sent
    # there from the table (she sees no case).
    advisor = verified_client(cast.legal_advisor)
    assert "Ixelles" in advisor.get(reverse("justice:sections")).content.decode()
    assert advisor.get(reverse("justice:section_new")).status_code == 404
    clerk = verified_client(make_user("clerk", cast.prosecutor, Role.ADMINISTRATOR))
    response = clerk.get(reverse("justice:table"))
    assert response.status_code == 302 and response.url == reverse("justice:sections")
    assert clerk.get(reverse("justice:section", args=[section.pk])).status_code == 200
