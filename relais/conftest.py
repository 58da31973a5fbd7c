"""The fixed cast shared by every test, built with the real services.

Zone A (Brussels, Ixelles) owns the case; zone B (Liège) is the outsider. Around them: the
Brussels prosecutor's office, a shelter, a victim-support service, a perpetrator programme
and a multi-agency platform.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from relais.access.scopes import Scope
from relais.accounts.middleware import LAST_ACTIVITY_KEY
from relais.accounts.models import Agency, AgencyKind, ApiTokenKind, Role, User
from relais.accounts.services import api_token_issue, totp_device_with_secret, user_create
from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole
from relais.core.actor import Actor
from relais.core.synthetic import fictitious_national_number

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "correct-horse-battery-staple-42"
VICTIM_PHONE = "+32470123456"
VICTIM_STREET = "Rue du Test 12"
SHELTER_STREET = "Adresse Secrète 7"
PERPETRATOR_PHONE = "+32470654321"
JUDICIAL_NOTE = "Fictitious: visible marks of strangulation"


def make_agency(code: str, kind: str, *, arrondissement: str = "", name: str = "") -> Agency:
    return Agency.objects.create(code=code, name=name or f"Test {code}", kind=kind,
                                 languages=["fr"], arrondissement=arrondissement)


def make_user(username: str, agency: Agency, *roles: str) -> User:
    user = user_create(username=username, agency=agency, roles=roles, password=TEST_PASSWORD,
                       first_name=username.split("_")[0].title(), last_name="Test")
    totp_device_with_secret(user=user, base32_secret=TEST_TOTP_SECRET)
    return user


def actor(user: User) -> Actor:
    return Actor.for_user(User.objects.get(pk=user.pk), ip="127.0.0.1")


def verified_client(user: User, language: str = "en") -> Client:
    """A browser session that passed both sign-in steps, reading pages in ``language``."""
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.first().persistent_id
    # Active now, as after the sign-in's last step: the first page does not record activity.
    session[LAST_ACTIVITY_KEY] = int(time.time())
    session.save()
    return client


def run_mail_queue() -> int:
    """Send the queued e-mails that are due, as the mail worker does (the same claim, send and
    retry policy; with the test settings they land in ``mail.outbox``). Returns how many
    attempts were made."""
    from relais.notifications.mail import MailWorker

    worker = MailWorker(batch=True)
    attempts = 0
    while worker.run_one():
        attempts += 1
    return attempts


def api_client(user: User, *, kind: str = ApiTokenKind.PERSONAL) -> APIClient:
    """An API client holding a fresh token of ``user`` (``kind="gateway"``: the alarm
    platform's)."""
    client = APIClient()
    _token, key = api_token_issue(actor=None, user=user, kind=kind, issued_by="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@dataclass
class Cast:
    zone_a: Agency
    zone_b: Agency
    prosecutor: Agency
    shelter: Agency
    support: Agency
    programme: Agency
    platform: Agency
    house_of_justice: Agency
    officer_a: User
    officer_b: User
    sapv_a: User
    neighbourhood_a: User
    reference_a: User
    analyst_a: User
    admin_a: User
    legal_advisor: User
    shelter_worker: User
    support_worker: User
    counsellor: User
    coordinator: User
    dispatcher_a: User
    magistrate: User
    justice_assistant: User
    case: Case
    victim_id: int
    perpetrator_id: int
    child_id: int


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English, the source language, whatever an earlier test of the same
    worker left active (a request activates its reader's language and keeps it): what a
    service says outside a request is then the same in any order. A request still speaks its
    reader's language (her cookie, her Accept-Language, LANGUAGE_CODE "fr" by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(tmp_path, settings):
    """Each test its own checkpoint file: the database is rolled back after each test, and a
    file shared across tests would hold checkpoints of chains that are gone."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def approvals_off(tmp_path, settings):
    """``approvals_off("case_merge", ...)``: the shipped approval rules without these steps,
    for tests of what a step does rather than of who approves it."""
    import yaml

    from relais.approvals.rules import SHIPPED_RULES, approval_rules

    def off(*steps: str) -> None:
        rules = yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8"))
        rules["kinds"] = {kind: [step for step in listed if step not in steps]
                          for kind, listed in rules["kinds"].items()}
        path = tmp_path / "approval-steps.yaml"
        path.write_text(yaml.safe_dump(rules), encoding="utf-8")
        settings.RELAIS_APPROVAL_RULES = str(path)
        approval_rules.cache_clear()

    yield off
    approval_rules.cache_clear()


@pytest.fixture
def cast(db) -> Cast:
    zone_a = make_agency("zone-a", AgencyKind.POLICE_ZONE, name="Zone A (test)")
    zone_b = make_agency("zone-b", AgencyKind.POLICE_ZONE, name="Zone B (test)")
    prosecutor = make_agency("parquet-bxl", AgencyKind.PROSECUTOR, arrondissement="brussel")
    shelter = make_agency("shelter", AgencyKind.SHELTER)
    support = make_agency("support", AgencyKind.VICTIM_SUPPORT)
    programme = make_agency("programme", AgencyKind.PERPETRATOR_PROGRAMME)
    platform = make_agency("platform", AgencyKind.PLATFORM)
    house_of_justice = make_agency("mj-bxl", AgencyKind.HOUSE_OF_JUSTICE,
                                   arrondissement="brussel")
    c = dict(
        zone_a=zone_a, zone_b=zone_b, prosecutor=prosecutor, shelter=shelter, support=support,
        programme=programme, platform=platform, house_of_justice=house_of_justice,
        officer_a=make_user("officer_a", zone_a, Role.INTERVENTION_OFFICER),
        officer_b=make_user("officer_b", zone_b, Role.INTERVENTION_OFFICER),
        sapv_a=make_user("sapv_a", zone_a, Role.VICTIM_ASSISTANCE_WORKER),
        neighbourhood_a=make_user("neighbourhood_a", zone_a, Role.NEIGHBOURHOOD_OFFICER),
        reference_a=make_user("reference_a", zone_a, Role.IPV_REFERENCE_OFFICER),
        analyst_a=make_user("analyst_a", zone_a, Role.ANALYST),
        admin_a=make_user("admin_a", zone_a, Role.ADMINISTRATOR),
        legal_advisor=make_user("legal_advisor", prosecutor, Role.LEGAL_ADVISOR),
        shelter_worker=make_user("shelter_worker", shelter, Role.SHELTER_WORKER),
        support_worker=make_user("support_worker", support, Role.SUPPORT_WORKER),
        counsellor=make_user("counsellor", programme, Role.PROGRAMME_COUNSELLOR),
        coordinator=make_user("coordinator", platform, Role.PLATFORM_COORDINATOR),
        dispatcher_a=make_user("dispatcher_a", zone_a, Role.DISPATCHER),
        magistrate=make_user("magistrate", prosecutor, Role.MAGISTRATE),
        justice_assistant=make_user("justice_assistant", house_of_justice,
                                    Role.JUSTICE_ASSISTANT),
    )
    officer = actor(c["officer_a"])
    case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    victim = case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Alice",
        last_name="Exemple", birth_date=date(1988, 3, 14), sex="F",
        national_number=fictitious_national_number(date(1988, 3, 14), 2)).person_id
    perpetrator = case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
        first_name="Bruno", last_name="Fictif").person_id
    child = case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.CHILD, first_name="Chloé",
        last_name="Fictif").person_id
    case_services.phone_add(actor=officer, person_id=victim, number=VICTIM_PHONE, safe=True)
    case_services.phone_add(actor=officer, person_id=perpetrator, number=PERPETRATOR_PHONE)
    case_services.address_add(actor=officer, person_id=victim, street=VICTIM_STREET,
                              postcode="1050", municipality="21009")
    case_services.need_add(actor=officer, person_id=victim, kind="interpreter", detail="Tigrinya")
    case_services.safe_contact_set(actor=officer, person_id=victim, channel="phone",
                                   hours="9-12", never=["leave_message"])
    case_services.note_add(actor=officer, case_id=case.pk, text=JUDICIAL_NOTE,
                           scope=Scope.JUDICIAL)
    return Cast(**c, case=case, victim_id=victim, perpetrator_id=perpetrator, child_id=child)


@pytest.fixture
def directory(cast):
    """Directory entries around the cast (see relais/directory/tests/factories.py)."""
    from relais.directory.tests.factories import build_directory

    return build_directory(cast)


def case_page_with_sections(client: Client, case_id: int) -> str:
    """The case page as she reads it with every section opened: the page, then each section
    it lists loaded as htmx loads it (issue 19: sections are collapsed and loaded on demand)."""
    import re

    page = client.get(f"/cases/{case_id}/")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    parts = [html]
    for url in re.findall(r'hx-get="(/cases/\d+/sections/[\w-]+/)"', html):
        section = client.get(url, headers={"HX-Request": "true"})
        assert section.status_code == 200, url
        parts.append(section.content.decode())
    return "\n".join(parts)
