"""The programme's exports (the waiting list, the files, the referrals received): sign-in, 404
for everyone but its counsellors, each tab's columns as on screen, neutralisation, the audit
event with the tab, bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.conftest import make_agency, make_user, verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows
from relais.programmes.models import Participant, ProgrammeFile
from relais.programmes.tests.factories import judicial_file, walk_in
from relais.programmes.tests.test_views import _many_files


@pytest.fixture
def file(cast, directory) -> ProgrammeFile:
    return judicial_file(cast, directory)


def export_url(fmt: str, tab: str = "waiting") -> str:
    return reverse("programmes:files_export", args=[fmt]) + f"?tab={tab}"


def test_the_export_requires_sign_in(cast, file):
    response = Client().get(export_url("csv"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_everyone_but_its_counsellors_gets_404_another_programme_its_own(cast, file):
    for user in (cast.officer_a, cast.justice_assistant, cast.legal_advisor, cast.analyst_a):
        assert verified_client(user).get(export_url("csv")).status_code == 404, user
    other = make_user("other_counsellor", make_agency("other-programme", "perpetrator_programme"),
                      "programme_counsellor")
    assert len(csv_rows(verified_client(other).get(export_url("csv")))) == 1
    assert verified_client(cast.counsellor).get(export_url("docx")).status_code == 404


@pytest.mark.parametrize("tab", ["waiting", "active", "closed", "referrals"])
def test_each_tab_exports_the_screens_columns(cast, file, tab):
    walk_in(cast, requested_days_ago=3)
    client = verified_client(cast.counsellor)
    page = client.get(reverse("programmes:files") + f"?tab={tab}").content.decode()
    rows = csv_rows(client.get(export_url("csv", tab)))
    if "<table" in page:
        heads = screen_heads(page)
        if tab == "referrals":
            heads = heads[:-1]  # the button's column holds no data
        assert rows[0] == heads
        assert f"/programmes/export.csv?tab={tab}" in page
    if tab == "waiting":
        assert rows[0] == ["Participant", "Route", "Requested", "Waiting"]
        assert rows[1][0].startswith("Bruno Fictif") and rows[1][3] == "40"  # longest first
        assert len(rows) == 3
        sheet = xlsx_rows(client.get(export_url("xlsx", tab)))
        assert sheet[0] == rows[0] and sheet[1][3] == 40


def test_the_export_is_audited_with_the_tab(cast, file):
    verified_client(cast.counsellor).get(export_url("xlsx", "nonsense"))
    event = export_event("export programme-active xlsx")
    assert event.basis == "export programme-active xlsx: tab=active"
    assert event.user_id == cast.counsellor.pk


def test_a_formula_is_neutralised(cast, file):
    Participant.objects.filter(pk=file.participant_id).update(first_name="=cmd")
    rows = csv_rows(verified_client(cast.counsellor).get(export_url("csv")))
    assert rows[1][0].startswith("'=cmd")


def test_a_big_export_keeps_the_same_number_of_queries(cast, directory):
    _many_files(cast, 2)
    client = verified_client(cast.counsellor)
    client.get(reverse("programmes:files"))
    with CaptureQueriesContext(connection) as few:
        csv_rows(client.get(export_url("csv", "active")))
    _many_files(cast, 6, name="More")
    with CaptureQueriesContext(connection) as many:
        response = client.get(export_url("csv", "active"))
        assert response.streaming
        assert len(csv_rows(response)) == 9
    assert len(many) == len(few)
    assert export_event("export programme-active csv")
