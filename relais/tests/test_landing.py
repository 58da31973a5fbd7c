"""Every role lands on its work and sees only the menu entries it can use (issue 19 §1).

For each member of the fixed cast, and a few roles outside it (a family court's judge and
clerk, a directory editor, an EVA officer, a reception officer, a helpline's operator and
analyst): sign in with password and code, follow ``/`` to the landing, and read the main menu
of that page. The expectations are written from relais/access/landing.py and
relais/access/menus.py; a screen a menu leaves out still answers by its own rule.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import AgencyKind, Role, User
from relais.cases import services as case_services
from relais.conftest import Cast, actor, make_agency, make_user, verified_client
from relais.core import landing
from relais.followup.models import TaskKind
from relais.followup.tests.factories import move_due, record_report, task_of
from relais.tests.test_url_matrix import CAST

# The entries shared by most case workers, in menu order.
CASE_WORK_HEAD = ["My cases", "Search", "Follow-up"]
ZONE_OFFICER = [*CASE_WORK_HEAD, "Directory", "Referrals", "Transfers", "Measures",
                "Consultation", "Same person?", "Crises", "Emergency access", "API"]
ZONE_ASSISTANCE = [*CASE_WORK_HEAD, "Notices", "Directory", "Referrals", "Transfers",
                   "Measures", "Consultation", "Same person?", "Crises", "Emergency access",
                   "API"]
OFFICE = [*CASE_WORK_HEAD, "Notices", "Directory", "Referrals", "Prosecution", "Transfers",
          "Measures", "Consultation", "Same person?", "Alarms", "Femicide register", "Red list",
          "Figures", "Crises", "Emergency access", "API"]
# Supervisors (relais/access/approvals.py) see "Approvals" after "Referrals".
SERVICE = [*CASE_WORK_HEAD, "Directory", "Referrals", "Approvals", "Transfers", "Consultation",
           "Same person?", "Crises", "API"]
COURT = ["My cases", "Search", "Notices", "Family proceedings", "Crises", "API"]

# username: (where she lands, her menu)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "officer_a": (reverse("followup:today"), ZONE_OFFICER),
    "officer_b": (reverse("followup:today"), ZONE_OFFICER),
    "reception_a": (reverse("followup:today"), ZONE_OFFICER),
    "reference_a": (reverse("followup:today"), [
        *CASE_WORK_HEAD, "Notices", "Directory", "Referrals", "Approvals", "Transfers", "Measures",
        "Consultation", "Same person?", "Alarms", "Red list", "Figures", "Crises", "Reviews",
        "Emergency access", "API"]),
    "sapv_a": (reverse("followup:queue"), ZONE_ASSISTANCE),
    "eva_a": (reverse("followup:queue"), ZONE_ASSISTANCE),
    "neighbourhood_a": (reverse("followup:queue"), [
        *CASE_WORK_HEAD, "Directory", "Referrals", "Measures", "Same person?", "Crises",
        "API"]),
    "legal_advisor": (reverse("justice:table"), OFFICE),
    "magistrate": (reverse("justice:table"), [
        *OFFICE[:6], "Approvals", *OFFICE[6:]]),
    "dispatcher_a": (reverse("alarms:board"), ["Notices", "Alarms", "Red-list look-up"]),
    "justice_assistant": (reverse("measures:list"), [
        *CASE_WORK_HEAD, "Notices", "Directory", "Referrals", "Approvals", "Transfers",
        "Measures", "Consultation", "Same person?", "Programme files", "Crises", "API"]),
    "shelter_worker": (reverse("referrals:list") + "?direction=incoming", SERVICE),
    "support_worker": (reverse("referrals:list") + "?direction=incoming", SERVICE),
    "counsellor": (reverse("programmes:files"), [
        *CASE_WORK_HEAD, "Notices", "Directory", "Referrals", "Approvals", "Transfers",
        "Consultation", "Same person?", "Programme", "Figures", "Crises", "API"]),
    "coordinator": (reverse("consultation:bodies"), SERVICE),
    "analyst_a": (reverse("figures:dashboard"), ["Figures"]),
    "admin_a": (reverse("accounts:agency_accounts"),
                ["Follow-up", "Alarms", "Figures", "Accounts", "API"]),
    "directory_editor": (reverse("directory:mine"), ["Directory", "Crises", "API"]),
    "court_clerk": (reverse("family:list"), COURT),
    "court_judge": (reverse("family:list"), COURT),
    "helpline_operator": (reverse("helpline:call_new"), ["Directory", "Helpline calls"]),
    "helpline_analyst": (reverse("helpline:figures"), ["Helpline figures"]),
}

NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)
LINK = re.compile(r"<a [^>]*>(.*?)</a>", re.S)
BADGE = re.compile(r"<span class=\"badge[^\"]*\">.*?</span>", re.S)


@pytest.fixture
def everyone(cast: Cast) -> dict[str, User]:
    """The cast, and the roles it lacks (built here: nothing else needs them)."""
    court = make_agency("family-court", AgencyKind.FAMILY_COURT, arrondissement="brussel")
    helpline = make_agency("helpline", AgencyKind.HELPLINE)
    users = {name: getattr(cast, name) for name in CAST}
    users |= {
        "reception_a": make_user("reception_a", cast.zone_a, Role.RECEPTION_OFFICER),
        "eva_a": make_user("eva_a", cast.zone_a, Role.EVA_OFFICER),
        "directory_editor": make_user("directory_editor", cast.support, Role.DIRECTORY_EDITOR),
        "court_clerk": make_user("court_clerk", court, Role.COURT_CLERK),
        "court_judge": make_user("court_judge", court, Role.MAGISTRATE),
        "helpline_operator": make_user("helpline_operator", helpline, Role.HELPLINE_OPERATOR),
        "helpline_analyst": make_user("helpline_analyst", helpline, Role.ANALYST),
    }
    return users


def sign_in(username: str) -> Client:
    """Both steps of the sign-in, as a person does them."""
    from relais.accounts.tests.test_sign_in import current_code, english_client

    client = english_client()
    client.post(reverse("accounts:login"), {"username": username,
                                            "password": "correct-horse-battery-staple-42"})
    response = client.post(reverse("accounts:verify"), {"token": current_code()})
    assert response.status_code == 302 and response.url == reverse("home"), username
    return client


def menu(html: str) -> list[str]:
    nav = NAV.search(html)
    return [] if nav is None else [BADGE.sub("", label).strip()
                                   for label in LINK.findall(nav.group(1))]


def test_the_table_covers_the_cast_and_every_role(everyone):
    assert set(CAST) <= set(EXPECTED)
    roles = {role for user in everyone.values() for role in user.role_codes}
    assert roles == set(Role.values), "a role without its landing and menu in EXPECTED"


def test_every_role_lands_on_its_work_and_sees_its_menu(everyone):
    wrong = []
    for username, (landing_url, entries) in EXPECTED.items():
        client = sign_in(username)
        home = client.get(reverse("home"))
        assert home.status_code == 302, username
        page = client.get(home.url)
        assert page.status_code == 200, username
        shown = menu(page.content.decode())
        if home.url != landing_url or shown != entries:
            wrong.append(f"{username}: lands on {home.url}, menu {shown}")
    assert not wrong, "\n".join(wrong)


def test_the_brand_link_leads_home(cast):
    page = verified_client(cast.dispatcher_a).get(reverse("alarms:board")).content.decode()
    assert f'<div class="brand"><a href="{reverse("home")}">Relais</a>' in page


def test_home_requires_sign_in(cast):
    response = Client().get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_my_cases_stays_reachable(cast):
    """Off the landing, "My cases" keeps its address and the case list."""
    page = verified_client(cast.officer_a).get(reverse("cases:my_cases"))
    assert cast.case.reference in page.content.decode()
    assert reverse("cases:my_cases") != reverse("home")


def test_the_dispatcher_sees_my_cases_once_a_case_is_his(cast):
    dispatcher = actor(cast.dispatcher_a)
    from relais.core.nav import nav_for

    assert "My cases" not in [str(e["label"]) for e in nav_for(dispatcher)]
    case_services.case_assign(actor=actor(cast.reference_a), case_id=cast.case.pk,
                              user_id=cast.dispatcher_a.pk)
    labels = [str(e["label"]) for e in nav_for(dispatcher)]
    assert labels[0] == "My cases" and "Search" not in labels


def test_an_unregistered_landing_falls_back_to_my_cases(cast, monkeypatch):
    monkeypatch.setattr(landing, "_chooser", [lambda actor: "nowhere"])
    assert landing.landing_url(actor(cast.dispatcher_a)) == reverse("cases:my_cases")


# --- The zone's day: followup:today ---------------------------------------------------------

def test_today_shows_the_deadlines_of_the_day_over_the_open_cases(
        cast, django_assert_max_num_queries):
    report = record_report(cast)
    now = timezone.now()
    late = move_due(task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT), now - timedelta(hours=2))
    later = task_of(report, TaskKind.DAY2_CONTACT)
    move_due(later, now + timedelta(days=3))
    client = verified_client(cast.officer_a)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("followup:today"))
    html = page.content.decode()
    assert page.status_code == 200
    deadlines = html.split('id="deadlines-today"')[1].split('id="open-cases"')[0]
    assert reverse("followup:task", args=[late.pk]) in deadlines
    assert reverse("followup:task", args=[later.pk]) not in deadlines  # due in three days
    assert "overdue" in deadlines
    assert cast.case.reference in html.split('id="open-cases"')[1]


def test_today_requires_sign_in(cast):
    response = Client().get(reverse("followup:today"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_today_of_another_zone_shows_none_of_zone_a(cast):
    report = record_report(cast)
    task = move_due(task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT), timezone.now())
    html = verified_client(cast.officer_b).get(reverse("followup:today")).content.decode()
    assert cast.case.reference not in html
    assert reverse("followup:task", args=[task.pk]) not in html


def test_today_is_audited_as_one_read(cast):
    from relais.audit.models import AuditEvent

    record_report(cast)
    before = AuditEvent.objects.count()
    verified_client(cast.officer_a).get(reverse("followup:today"))
    bases = list(AuditEvent.objects.order_by("pk")[before:].values_list("basis", flat=True))
    assert any(basis.startswith("deadlines of today") for basis in bases)
    assert any(basis.startswith("case list") for basis in bases)
