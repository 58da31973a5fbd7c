"""The case page with something in every panel other apps add: what it shows, and its cost in
queries (one query tells which panels have rows; each panel, loaded when opened, then reads
only those)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.alarms.tests.factories import assess, forward, request_alarm
from relais.conftest import actor, verified_client
from relais.justice.merge import case_merge
from relais.justice.tests.factories import family_section, report_on, second_case
from relais.measures.tests.factories import detain, order_ban
from relais.referrals import services as referral_services

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _merges_at_once(approvals_off):
    """What a merge does, not who approves it (relais/approvals/tests/test_merge.py)."""
    approvals_off("case_merge", "family_file_continue")


# What the page costs with nothing in any panel: the session, the reader and her second
# factor, the access policy, the case with its persons, timeline, shares and consents, the
# audit event, the menu's badges, the crises in force (the crisis banner, relais.crisis), and
# ONE query for all the panels.
# (On 01a82e3, before the probe, the panels alone took 10 queries on such a case.)
EMPTY_PANELS = 25
# With rows in every panel the zone sees, what the panels then read: records 1, prosecution
# entries 1 and merges 1, risk 2 (the persons' roles, the assessments), follow-up tasks 1,
# referrals 1, bans 2 (with their addresses) and detentions 1, alarm requests 2 (with the
# devices handed over). A fixed number, whatever the number of rows.
PANEL_ROWS = 12
# The summary at the top (relais.cases.header): the measures in force (alarms, family
# proceedings, bans, detentions, prosecution decisions), the risk assessments, the next
# deadlines, an open consultation (plans, referrals). With rows: the persons' roles for the
# risk scopes, and the bans' addresses.
HEADER = 9
HEADER_ROWS = 3
# One section opened: the session and the reader, the access policy, the probe of its rows,
# the audit event (its row and its place in the sealer's queue).
ONE_PANEL = 13
PANEL_URL = re.compile(r'hx-get="(/cases/\d+/sections/[\w-]+/)"')


def open_every_panel(client, case_id: int) -> tuple[str, list[int]]:
    """The case page with every section it lists loaded (as htmx does when she opens them),
    and the queries each section cost."""
    page = client.get(f"/cases/{case_id}/").content.decode()
    texts, costs = [page], []
    for url in PANEL_URL.findall(page):
        with CaptureQueriesContext(connection) as panel:
            response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200, url
        texts.append(response.content.decode())
        costs.append(len(panel))
    return "\n".join(texts), costs


def fill_every_panel(cast, directory) -> None:
    family_section(cast)
    forward(cast)  # a record, its prosecution entry, its follow-up tasks
    assess(cast)
    referral_services.referral_create(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        service_id=directory.support_fr.pk, basis="consent", consent_method="oral_in_person",
        confirm_mismatches=True)
    order_ban(cast)
    detain(cast)
    request_alarm(cast)
    other = second_case(cast)
    report_on(cast, other)
    case_merge(actor=actor(cast.legal_advisor), source_id=other.pk, target_id=cast.case.pk,
               reason="Same couple")


def test_a_case_with_nothing_in_its_panels_costs_one_query_for_them_all(cast):
    client = verified_client(cast.officer_a)
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/cases/{cast.case.pk}/")
    assert response.status_code == 200
    assert len(page) <= EMPTY_PANELS + HEADER, "\n".join(
        q["sql"][:120] for q in page.captured_queries)


def test_a_case_with_rows_in_every_panel_reads_each_kind_of_row_once(cast, directory):
    fill_every_panel(cast, directory)
    client = verified_client(cast.officer_a)
    client.get("/cases/")  # the session's first activity is written once, not on each page
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/cases/{cast.case.pk}/")
    assert response.status_code == 200
    assert len(page) <= EMPTY_PANELS + HEADER + HEADER_ROWS, "\n".join(
        q["sql"][:120] for q in page.captured_queries)
    text, costs = open_every_panel(client, cast.case.pk)
    for shown in ('href="/reports/', 'id="prosecution-h"', "was regrouped into this case",
                  'href="/risk/', 'href="/follow-up/tasks/', 'href="/referrals/1/"',
                  'href="/measures/bans/', 'href="/measures/detentions/',
                  'href="/alarms/requests/'):
        assert shown in text, shown
    assert max(costs) <= ONE_PANEL + PANEL_ROWS and sum(costs) <= (
        len(costs) * ONE_PANEL + PANEL_ROWS), costs
    assess(cast)
    order_ban(cast, confirm_overlap=True)
    with CaptureQueriesContext(connection) as more:
        assert client.get(f"/cases/{cast.case.pk}/").status_code == 200
    assert len(more) == len(page)
    assert open_every_panel(client, cast.case.pk)[1] == costs
