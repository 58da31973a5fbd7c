"""The programme's screens: sign-in, other agencies get 404, the waiting list, a file walked
through its forms, the case-page panel of the justice side, query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.conftest import case_page_with_sections, make_agency, make_user, verified_client
from relais.programmes.models import Activity, FileStatus, ProgrammeFile
from relais.programmes.tests.factories import (
    days_ago,
    group_of,
    in_group,
    judicial_file,
    refer_perpetrator,
    session,
    start,
    walk_in,
)


@pytest.fixture
def file(cast, directory) -> ProgrammeFile:
    return judicial_file(cast, directory)


def urls(file: ProgrammeFile, group) -> list[str]:
    return [reverse("programmes:files"), reverse("programmes:files") + "?tab=waiting",
            reverse("programmes:file_new"), reverse("programmes:groups"),
            reverse("programmes:settings"), reverse("programmes:format_new"),
            reverse("programmes:file", args=[file.pk]),
            reverse("programmes:activity_new", args=[file.pk]),
            reverse("programmes:file_group", args=[file.pk]),
            reverse("programmes:file_substances", args=[file.pk]),
            reverse("programmes:group", args=[group.pk])]


def test_every_screen_requires_sign_in(cast, file):
    for url in urls(file, group_of(cast)):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_other_agencies_get_404(cast, file):
    group = group_of(cast)
    other_programme = make_user("other_counsellor",
                                make_agency("other-programme", "perpetrator_programme"),
                                "programme_counsellor")
    for user in (cast.officer_a, cast.justice_assistant, cast.legal_advisor, other_programme):
        client = verified_client(user)
        for url in urls(file, group)[6:]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("programmes:file", args=[file.pk]),
                           {"status": "preparatory"}).status_code == 404
    for user in (cast.officer_a, cast.justice_assistant):
        client = verified_client(user)
        for url in urls(file, group)[:6]:
            assert client.get(url).status_code == 404, (user, url)
    file.refresh_from_db()
    assert file.status == FileStatus.WAITING


def test_the_menu_shows_the_programme_to_its_staff_only(cast):
    page = verified_client(cast.counsellor).get(reverse("cases:my_cases")).content.decode()
    assert 'href="/programmes/"' in page and ">Programme<" in page
    page = verified_client(cast.officer_a).get(reverse("cases:my_cases")).content.decode()
    assert 'href="/programmes/"' not in page


def test_the_programmes_administrator_reaches_the_rules_not_the_files(cast, file):
    admin = make_user("programme_admin", cast.programme, "administrator")
    client = verified_client(admin)
    response = client.get(reverse("programmes:files"))
    assert response.status_code == 302 and response.url == reverse("programmes:settings")
    assert client.get(reverse("programmes:settings")).status_code == 200
    assert client.get(reverse("programmes:file", args=[file.pk])).status_code == 404


def test_the_waiting_list_shows_the_waiting_time(cast, file):
    walk_in(cast, requested_days_ago=3)
    page = verified_client(cast.counsellor).get(
        reverse("programmes:files") + "?tab=waiting").content.decode()
    assert "Waiting list (2)" in page
    assert page.index("Bruno Fictif") < page.index("Walter Volontaire")  # longest wait first
    assert "40 days" in page and "3 days" in page


def test_the_referrals_tab_offers_to_open_a_file(cast, directory):
    from relais.followup.tests.factories import record_report

    record_report(cast, perpetrator_id=cast.perpetrator_id)
    referral = refer_perpetrator(cast, directory)
    client = verified_client(cast.counsellor)
    page = client.get(reverse("programmes:files") + "?tab=referrals").content.decode()
    assert "Bruno Fictif" in page
    url = reverse("programmes:file_from_referral", args=[referral.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert re.search(r'value="judicial"[^>]*checked', form)  # the referral's judicial basis
    # The office the report went to, and the house of justice of its district.
    assert re.search(rf'value="{cast.prosecutor.pk}"[^>]*selected', form)
    assert re.search(rf'value="{cast.house_of_justice.pk}"[^>]*selected', form)
    response = client.post(url, {
        "route": "judicial", "judicial_measure": "penal_mediation",
        "prosecutor_office": cast.prosecutor.pk, "house_of_justice": cast.house_of_justice.pk,
        "requested_on": days_ago(2).isoformat(), "substance_use": ["alcohol", "drugs"],
        "submission_token": "open-1"})
    made = ProgrammeFile.objects.get()
    assert response.status_code == 302 and response.url == reverse("programmes:file",
                                                                   args=[made.pk])
    assert made.substance_use == ["alcohol", "drugs"]
    assert "Bruno Fictif" not in client.get(
        reverse("programmes:files") + "?tab=referrals").content.decode()


def test_a_walk_in_through_the_screen_and_its_errors(cast):
    client = verified_client(cast.counsellor)
    url = reverse("programmes:file_new")
    response = client.post(url, {"route": "judicial", "first_name": "", "last_name": "Solo",
                                 "requested_on": days_ago(1).isoformat()})
    page = response.content.decode()
    assert response.status_code == 200 and not ProgrammeFile.objects.exists()
    assert "Give his first name." in page and "Choose the judicial measure." in page
    assert 'value="Solo"' in page  # what was typed is kept
    response = client.post(url, {"route": "voluntary", "first_name": "Sam", "last_name": "Solo",
                                 "requested_on": days_ago(1).isoformat(),
                                 "submission_token": "walk-1"})
    assert response.status_code == 302
    assert ProgrammeFile.objects.get().participant.first_name == "Sam"


def test_a_file_walked_through_its_forms(cast, file):
    client = verified_client(cast.counsellor)
    url = reverse("programmes:file", args=[file.pk])
    page = client.get(url).content.decode()
    assert "0 h of 44 h" in page and "On the waiting list" in page
    response = client.post(url, {"status": "preparatory", "submission_token": "s1"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Reported to: Test mj-bxl, Test parquet-bxl." in page
    activity_url = reverse("programmes:activity_new", args=[file.pk])
    response = client.post(activity_url, {"kind": "interview", "occurred_on":
                                          days_ago(1).isoformat(), "scheduled_hours": "1.5",
                                          "attendance": "attended", "attended_hours": "2"})
    assert response.status_code == 200
    assert "He cannot attend 2 h of an activity of 1.5 h." in response.content.decode()
    assert not Activity.objects.exists()
    client.post(activity_url, {"kind": "interview", "occurred_on": days_ago(1).isoformat(),
                               "scheduled_hours": "1.5", "attendance": "attended",
                               "submission_token": "a1"})
    page = client.get(url).content.decode()
    assert "1.5 h of 44 h" in page and "1 individual interview attended" in page
    response = client.post(url, {"status": "completed", "submission_token": "s2"})
    assert "Completion needs 44 h attended; he has attended 1.5 h." in response.content.decode()


def test_adding_to_a_group_before_two_interviews_is_explained(cast, file):
    start(cast, file)
    group = group_of(cast)
    response = verified_client(cast.counsellor).post(
        reverse("programmes:file_group", args=[file.pk]), {"group": group.pk})
    assert ("At least 2 individual interviews attended come before a group; he has attended 0 by"
            in response.content.decode())


def test_a_session_through_the_group_page(cast):
    first = start(cast, walk_in(cast))
    group = group_of(cast)
    in_group(cast, first, group)
    client = verified_client(cast.counsellor)
    url = reverse("programmes:group", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Group open has 1 participant; the programme&#x27;s minimum is 9." in page
    response = client.post(url, {"occurred_on": days_ago(2).isoformat(), "hours": "2",
                                 f"attendance_{first.pk}": "attended",
                                 f"hours_{first.pk}": "2.5"})
    page = response.content.decode()
    assert "Walter Volontaire: He cannot attend 2.5 h of an activity of 2 h." in page
    response = client.post(url, {"occurred_on": days_ago(2).isoformat(), "hours": "2",
                                 f"attendance_{first.pk}": "attended",
                                 "submission_token": "g1"})
    assert response.status_code == 302
    assert Activity.objects.filter(kind="group_session").count() == 1


def test_the_rules_screen_saves_and_explains(cast):
    client = verified_client(cast.counsellor)
    url = reverse("programmes:settings")
    page = client.get(url).content.decode()
    assert "Groupe ouvert" in page and "42" in page
    response = client.post(url, {"completion_hours": "-1", "min_interviews": "2",
                                 "min_group_size": "9"})
    assert response.status_code == 200
    response = client.post(url, {"completion_hours": "40", "min_interviews": "2",
                                 "min_group_size": "8", "submission_token": "r1"})
    assert response.status_code == 302
    assert "Version 2" in client.get(url).content.decode()


def test_drafts_come_back(cast, file):
    client = verified_client(cast.counsellor)
    url = reverse("programmes:activity_new", args=[file.pk])
    client.post(url, {"kind": "call", "note": "Fictitious: half-written note.",
                      "_save_draft": "1"})
    assert "Fictitious: half-written note." in client.get(url).content.decode()


# --- The justice side's panel -----------------------------------------------------------------

def _case_page(user, cast) -> str:
    return case_page_with_sections(verified_client(user), cast.case.pk)


def test_the_justice_assistant_and_the_office_see_progress_not_content(cast, file):
    start(cast, file)
    from relais.programmes.tests.factories import interview

    interview(cast, file, note="Fictitious: he spoke about his father.")
    for user in (cast.justice_assistant, cast.legal_advisor):
        page = _case_page(user, cast)
        assert "Perpetrator programme" in page, user
        assert "Preparatory (individual interviews)" in page
        assert "1 h of 44 h" in page
        assert "his father" not in page
    assert "his father" in verified_client(cast.counsellor).get(
        reverse("programmes:file", args=[file.pk])).content.decode()


def test_the_panel_shows_the_interruption_reason(cast, file):
    from relais.conftest import actor
    from relais.programmes import services

    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="end_of_measure")
    page = _case_page(cast.justice_assistant, cast)
    assert "End of the judicial measure" in page


def test_the_police_do_not_get_the_panel(cast, file):
    assert 'id="programme-h"' not in _case_page(cast.officer_a, cast)


# --- Query counts ---------------------------------------------------------------------------

def _many_files(cast, count: int, name: str = "Many", group=None):
    group = group or group_of(cast, start_days_ago=100, name=name)
    for index in range(count):
        made = start(cast, walk_in(cast, first_name=f"P{index}", requested_days_ago=120),
                     on_days_ago=110)
        in_group(cast, made, group, joined_days_ago=100)
        session(cast, made, on_days_ago=90)
    return group


@pytest.mark.parametrize("tab", ["active", "waiting", "referrals", "closed"])
def test_the_lists_take_a_constant_number_of_queries(cast, directory, tab):
    _many_files(cast, 2)
    client = verified_client(cast.counsellor)
    url = reverse("programmes:files") + f"?tab={tab}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_files(cast, 4, name="More")
    for index in range(4):
        walk_in(cast, first_name=f"W{index}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_groups_and_a_group_take_a_constant_number_of_queries(cast):
    group = _many_files(cast, 2)
    client = verified_client(cast.counsellor)
    urls = [reverse("programmes:groups"), reverse("programmes:group", args=[group.pk])]
    for url in urls:
        client.get(url)
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            client.get(url)
    _many_files(cast, 5, group=group)
    group_of(cast, name="Another group")
    with CaptureQueriesContext(connection) as many:
        for url in urls:
            client.get(url)
    assert len(many) == len(few)
