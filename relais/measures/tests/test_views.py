"""The screens: sign-in required, another agency's 404, the order form with its errors and
drafts, the ban's page for each agency, the release form, the case panel and the list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from relais.conftest import VICTIM_PHONE, Cast, actor, case_page_with_sections, verified_client
from relais.followup.rules import later_same_clock
from relais.measures.models import Detention, ResidenceBan
from relais.measures.rules import ban_rules
from relais.measures.tests.factories import (
    SHELTER_STREET_FOR_HER,
    detain,
    forwarded,
    order_ban,
    shelter_address,
    victim_home,
)

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def ban(cast: Cast) -> ResidenceBan:
    forwarded(cast)
    return order_ban(cast)


@pytest.fixture
def detention(cast: Cast, ban) -> Detention:
    return detain(cast)


def urls(cast: Cast, ban: ResidenceBan, detention: Detention) -> list[tuple[str, str]]:
    case = cast.case.pk
    return [
        ("get", "/measures/"),
        ("get", f"/measures/cases/{case}/ban/new/"),
        ("get", f"/measures/bans/{ban.pk}/"),
        ("get", f"/measures/bans/{ban.pk}/notice.pdf"),
        ("post", f"/measures/bans/{ban.pk}/serve/"),
        ("get", f"/measures/bans/{ban.pk}/extend/"),
        ("post", f"/measures/bans/{ban.pk}/lift/"),
        ("get", f"/measures/bans/{ban.pk}/breach/"),
        ("post", f"/measures/bans/{ban.pk}/stay/"),
        ("get", f"/measures/cases/{case}/detention/new/"),
        ("get", f"/measures/detentions/{detention.pk}/"),
    ]


def test_every_screen_requires_sign_in(cast, ban, detention):
    for method, url in urls(cast, ban, detention):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url


def test_another_agency_gets_404(cast, ban, detention):
    client = verified_client(cast.officer_b)
    for method, url in urls(cast, ban, detention)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get("/measures/").status_code == 200  # her own (empty) list


@pytest.mark.parametrize("who", ["shelter_worker", "support_worker", "counsellor"])
def test_services_outside_police_and_justice_get_404(cast, ban, detention, who):
    client = verified_client(getattr(cast, who))
    for method, url in urls(cast, ban, detention):
        assert getattr(client, method)(url).status_code == 404, url


def form_data(cast: Cast, **overrides) -> dict:
    start = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "conditions": sorted(ban_rules().required_codes),
        "perpetrator": str(cast.perpetrator_id),
        "protected": [str(cast.victim_id), str(cast.child_id)],
        "addresses": [str(victim_home(cast).pk)],
        "starts_at": start.strftime(LOCAL),
        "ends_at": later_same_clock(start, days=10).strftime(LOCAL),
        "grounds": "Fictitious: threats to kill tonight.",
        "perpetrator_stays_at": "",
        "submission_token": "t-1",
    }
    data.update(overrides)
    return data


def test_the_office_orders_a_ban_through_the_form(cast):
    forwarded(cast)
    client = verified_client(cast.legal_advisor)
    page = client.get(f"/measures/cases/{cast.case.pk}/ban/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rue du Test 12" in html and "required" in html
    assert "need=perpetrator_accommodation" in html
    response = client.post(f"/measures/cases/{cast.case.pk}/ban/new/", form_data(cast))
    ban = ResidenceBan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/measures/bans/{ban.pk}/"
    again = client.post(f"/measures/cases/{cast.case.pk}/ban/new/", form_data(cast))
    assert again.status_code == 302 and ResidenceBan.objects.count() == 1  # same token


def test_a_ban_too_long_is_refused_with_the_input_kept(cast):
    forwarded(cast)
    client = verified_client(cast.legal_advisor)
    start = timezone.localtime().replace(second=0, microsecond=0)
    data = form_data(cast, ends_at=(start + timedelta(days=14)).strftime(LOCAL),
                     grounds="Fictitious: kept text")
    response = client.post(f"/measures/cases/{cast.case.pk}/ban/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Longer than the law allows" in html
    assert "Fictitious: kept text" in html
    assert (start + timedelta(days=14)).strftime(LOCAL) in html
    assert not ResidenceBan.objects.exists()


def test_a_confidential_address_posted_anyway_is_refused(cast):
    forwarded(cast)
    hidden = shelter_address(cast)
    client = verified_client(cast.legal_advisor)
    page = client.get(f"/measures/cases/{cast.case.pk}/ban/new/").content.decode()
    assert SHELTER_STREET_FOR_HER not in page
    assert "A confidential address exists on this case" in page
    response = client.post(f"/measures/cases/{cast.case.pk}/ban/new/",
                           form_data(cast, addresses=[str(hidden.pk)]))
    assert response.status_code == 200
    assert not ResidenceBan.objects.exists()
    assert "Select a valid choice" in response.content.decode() \
        or "confidential address can never be chosen" in response.content.decode()


def test_the_order_form_keeps_a_draft(cast):
    forwarded(cast)
    client = verified_client(cast.legal_advisor)
    url = f"/measures/cases/{cast.case.pk}/ban/new/"
    data = form_data(cast, grounds="Draft grounds (fictitious)", _save_draft="1")
    assert client.post(url, data).status_code == 302
    assert "Draft grounds (fictitious)" in client.get(url).content.decode()
    assert not ResidenceBan.objects.exists()


def test_the_police_cannot_order(cast):
    forwarded(cast)
    assert verified_client(cast.officer_a).get(
        f"/measures/cases/{cast.case.pk}/ban/new/").status_code == 404


def test_the_zone_serves_the_notice_from_the_bans_page(cast, ban):
    client = verified_client(cast.officer_a)
    page = client.get(f"/measures/bans/{ban.pk}/").content.decode()
    assert "The notice was handed to him now" in page
    assert "Record an extension" not in page
    client.post(f"/measures/bans/{ban.pk}/serve/")
    ban.refresh_from_db()
    assert ban.served_at is not None


def test_the_house_of_justice_reads_the_ban_but_not_her_contact(cast, ban):
    client = verified_client(cast.justice_assistant)
    page = client.get(f"/measures/bans/{ban.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rue du Test 12" in html  # the banned home is part of the order it monitors
    assert "The notice was handed to him now" not in html
    from relais.audit.models import AuditEvent

    assert AuditEvent.objects.filter(object_id=str(ban.pk), action="read",
                                     user_id=cast.justice_assistant.pk,
                                     scopes__contains="judicial").exists()
    case_page = client.get(f"/cases/{cast.case.pk}/").content.decode()
    assert "+32 470 12 34 56" not in case_page and VICTIM_PHONE not in case_page
    assert "Protective measures" in case_page
    listing = client.get("/measures/").content.decode()
    assert f"/measures/bans/{ban.pk}/" in listing


def test_the_office_extends_and_sees_the_error_after_the_maximum(cast, ban):
    client = verified_client(cast.legal_advisor)
    url = f"/measures/bans/{ban.pk}/extend/"
    too_late = timezone.localtime(later_same_clock(ban.starts_at, days=95))
    response = client.post(url, {"new_ends_at": too_late.strftime(LOCAL),
                                 "decided_on": timezone.localdate().isoformat(),
                                 "court": "Tribunal de la famille", "submission_token": "x1"})
    assert response.status_code == 200
    assert "Longer than the law allows" in response.content.decode()
    fine = timezone.localtime(later_same_clock(ban.starts_at, days=30))
    response = client.post(url, {"new_ends_at": fine.strftime(LOCAL),
                                 "decided_on": timezone.localdate().isoformat(),
                                 "court": "Tribunal de la famille", "submission_token": "x2"})
    assert response.status_code == 302
    ban.refresh_from_db()
    assert ban.ends_at == fine.replace(second=0)


def test_the_police_record_a_breach_and_the_office_lifts(cast, ban):
    police = verified_client(cast.officer_a)
    response = police.post(f"/measures/bans/{ban.pk}/breach/", {
        "occurred_at": timezone.localtime().strftime(LOCAL), "what": "contacted",
        "note": "Calls at night (fictitious).", "submission_token": "b1"})
    assert response.status_code == 302
    assert ban.breaches.count() == 1
    office = verified_client(cast.legal_advisor)
    office.post(f"/measures/bans/{ban.pk}/lift/", {"reason": "", "_confirmed": "yes"})
    ban.refresh_from_db()
    assert ban.lifted_at is None
    office.post(f"/measures/bans/{ban.pk}/lift/", {"reason": "Fictitious reason",
                                                  "_confirmed": "yes"})
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_his_accommodation_is_for_police_and_justice_only(cast, ban):
    verified_client(cast.officer_a).post(f"/measures/bans/{ban.pk}/stay/",
                                         {"perpetrator_stays_at": "Hostel (fictitious)"})
    ban.refresh_from_db()
    assert ban.perpetrator_stays_at == "Hostel (fictitious)"
    page = verified_client(cast.legal_advisor).get(f"/measures/bans/{ban.pk}/").content.decode()
    assert "Hostel (fictitious)" in page
    assert "need=perpetrator_accommodation" in page
    assert "Alice" not in page.split("need=perpetrator_accommodation")[1].split('"')[0]
    case_page = verified_client(cast.sapv_a).get(f"/cases/{cast.case.pk}/").content.decode()
    assert "Hostel (fictitious)" not in case_page


def test_the_release_form_warns_the_zone(cast, detention):
    client = verified_client(cast.magistrate)
    url = f"/measures/detentions/{detention.pk}/"
    page = client.get(url).content.decode()
    assert "Record the release" in page
    bad = client.post(url, {"released_at": (timezone.localtime(detention.since)
                                            - timedelta(days=1)).strftime(LOCAL),
                            "conditions": ["no_contact"], "submission_token": "r1"})
    assert "before the detention started" in bad.content.decode()
    response = client.post(url, {"released_at": timezone.localtime().strftime(LOCAL),
                                 "conditions": ["no_contact"], "submission_token": "r2"},
                           follow=True)
    assert "is warned now" in response.content.decode()
    detention.refresh_from_db()
    assert detention.released_at is not None


def test_a_detention_is_recorded_through_the_form(cast, ban):
    client = verified_client(cast.officer_a)
    url = f"/measures/cases/{cast.case.pk}/detention/new/"
    bad = client.post(url, {"person": str(cast.perpetrator_id), "kind": "arrest",
                            "since": (timezone.localtime() + timedelta(days=1)).strftime(LOCAL),
                            "submission_token": "d1"})
    assert "cannot start in the future" in bad.content.decode()
    response = client.post(url, {"person": str(cast.perpetrator_id), "kind": "arrest",
                                 "since": timezone.localtime().strftime(LOCAL),
                                 "submission_token": "d2"})
    detention = Detention.objects.get()
    assert response["Location"] == f"/measures/detentions/{detention.pk}/"


def test_the_case_panel_for_the_office_and_for_others(cast, ban):
    office = case_page_with_sections(verified_client(cast.legal_advisor), cast.case.pk)
    assert "Order a residence ban" in office and f"/measures/bans/{ban.pk}/" in office
    police = case_page_with_sections(verified_client(cast.officer_a), cast.case.pk)
    assert "Order a residence ban" not in police and "Record a detention" in police


def test_the_menu_shows_measures_to_police_and_justice(cast):
    def menu(user) -> str:
        return verified_client(user).get("/cases/").content.decode()

    for user in (cast.legal_advisor, cast.officer_a, cast.justice_assistant):
        assert 'href="/measures/"' in menu(user)
    for user in (cast.shelter_worker, cast.analyst_a, cast.counsellor):
        assert 'href="/measures/"' not in menu(user)


def test_the_list_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    forwarded(cast)
    client = verified_client(cast.legal_advisor)
    order_ban(cast)
    detain(cast)
    with django_assert_max_num_queries(30) as few:
        assert client.get("/measures/").status_code == 200
    for _n in range(4):
        order_ban(cast, confirm_overlap=True)  # five bans, each confirmed
    detention = Detention.objects.get()
    from relais.measures import services

    services.release_record(actor=actor(cast.magistrate), detention_id=detention.pk,
                            released_at=timezone.now())
    detain(cast)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/measures/")
    assert response.content.decode().count("/measures/bans/") == 5


def test_the_order_form_names_a_ban_in_force_and_asks_to_confirm(cast):
    forwarded(cast)
    first = order_ban(cast)
    client = verified_client(cast.legal_advisor)
    url = f"/measures/cases/{cast.case.pk}/ban/new/"
    page = client.get(url).content.decode()
    assert "already banned from this home" in page and f"/measures/bans/{first.pk}/" in page
    refused = client.post(url, form_data(cast))
    assert refused.status_code == 200 and ResidenceBan.objects.count() == 1
    assert 'name="confirm_overlap"' in refused.content.decode()
    confirmed = client.post(url, form_data(cast, confirm_overlap="on", submission_token="t-2"))
    assert confirmed.status_code == 302 and ResidenceBan.objects.count() == 2


def test_a_police_grid_in_the_file_ticks_its_condition_and_the_ban_page_names_it(cast):
    from relais.intake.examples import grid_answers
    from relais.risk import services as risk_services

    forwarded(cast)
    risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers(
            "police_grid", threats_to_kill="yes", strangulation="yes", recent_separation="yes"))
    client = verified_client(cast.legal_advisor)
    page = client.get(f"/measures/cases/{cast.case.pk}/ban/new/").content.decode()
    assert 'value="risk_assessed" checked' in page or \
        re.search(r'<input[^>]*value="risk_assessed"[^>]*checked', page)
    assert "In the file: Police risk-assessment grid" in page

    ban = order_ban(cast)  # the grid's condition not checked in this order
    page = client.get(f"/measures/bans/{ban.pk}/").content.decode()
    assert "In the file: Police risk-assessment grid (in the spirit of COL 15/2020), Very " \
           "high" in page
    assert "not checked in the order" in page
