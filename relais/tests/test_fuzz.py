"""No server error on bad input: a property-based walk over the whole URL configuration.

The walk derives its list of endpoints from ``django.urls.get_resolver()``, so a new URL is
fuzzed without a line here. For every pattern it builds an address with the id of an object
of a small world (the fixed cast and an object of each part of Relais) and with ids that are
not there (missing, zero, past 64 bits). As each of several roles it then sends, with values
drawn by Hypothesis (long strings, NUL bytes, unicode, negative and huge numbers, impossible
dates, wrong JSON types, missing fields):

- to every field of every HTML form met on the pages (GET query or POST body, to the form's
  action) and to every query parameter the view's module reads;
- to every API endpoint, JSON bodies built from the fields of its OpenAPI schema, and bodies
  of the wrong type (null, list, number, string).

It asserts that no answer is a server error and names each URL, method and field that gave
one. A route parameter the walk cannot fill fails the test until it is added to ``ID_MODELS``
or ``TEXT_PARAMETERS`` (or the pattern to ``NOT_WALKED`` with a reason); a name that means
another model in one namespace goes in ``NAMESPACE_ID_MODELS`` too.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from relais.accounts.models import AgencyKind, Role
from relais.conftest import actor, api_client, make_agency, make_user, verified_client
from relais.core.ids import MAX_ID
from relais.directory.models import Service

pytestmark = pytest.mark.django_db

# The platform's coordinator reaches the consultation's forms (the agenda, the attendance, the
# hearing, the actions, the body's administration), which only she sees. The helpline's
# operator (also its analyst) reaches the call screen and the helpline's figures.
ROLES = ("officer_a", "legal_advisor", "dispatcher_a", "directory_editor", "admin_a",
         "coordinator", "helpline_operator")

# <id:name> -> the model whose first object fills it.
ID_MODELS = {
    "case_id": "cases.Case", "person_id": "cases.Person", "report_id": "intake.Report",
    "assessment_id": "risk.RiskAssessment", "action_id": "risk.RecommendedAction",
    "notice_id": "notifications.Notice", "service_id": "directory.Service",
    "referral_id": "referrals.Referral", "task_id": "followup.Task",
    "batch_id": "followup.CrisisBatch", "neighbourhood_id": "followup.Neighbourhood",
    "entry_id": "justice.Entry", "merge_id": "justice.CaseMerge", "section_id": "justice.Section",
    "ban_id": "measures.ResidenceBan", "detention_id": "measures.Detention",
    "activation_id": "alarms.AlarmActivation", "request_id": "alarms.AlarmRequest",
    "device_id": "alarms.AlarmDevice", "file_id": "programmes.ProgrammeFile",
    "group_id": "programmes.Group", "format_id": "programmes.GroupFormat",
    "consent_id": "access.Consent", "share_id": "access.Share", "token_id": "accounts.ApiToken",
    "link_id": "linkage.PersonLink",
    "transfer_id": "transfers.CaseTransfer", "proposal_id": "justice.MergeProposal",
    "body_id": "consultation.Body", "meeting_id": "consultation.Meeting",
    "hearing_id": "consultation.Hearing", "plan_id": "consultation.Plan",
    "membership_id": "consultation.Membership",
    "record_id": "femicide.Record", "series_id": "figures.Series",
    "crisis_id": "crisis.Crisis",
    "alert_id": "safeguards.HospitalAlert",  # safeguards (issue 18 §5)
    "proceeding_id": "family.FamilyProceeding",  # family and youth courts (issue 18 §3)
    # agency administration (issue 19 §6)
    "user_id": "accounts.User", "reset_id": "accounts.SecondFactorReset",
    "job_id": "core.Job",  # long work (issue 19 §9)
    "refusal_id": "figures.ReportingRefusal",  # consent to reporting (issue 20 §6)
}
# The same name for another model in one namespace: (namespace, name) -> that model.
NAMESPACE_ID_MODELS = {("consultation", "referral_id"): "consultation.Referral",
                       ("family", "notice_id"): "family.LinkNotice",
                       # the red list (relais.redlist)
                       ("redlist", "entry_id"): "redlist.RedListEntry",
                       # the victim's own safety plan (relais.safetyplan)
                       ("safetyplan", "plan_id"): "safetyplan.SafetyPlan",
                       ("safetyplan", "consent_id"): "safetyplan.PlanConsent",
                       # approvals (issue 20 §3)
                       ("approvals", "request_id"): "approvals.ApprovalRequest"}
# Other route parameters: a valid value, and bad ones.
TEXT_PARAMETERS = {
    "document": ["flyer", "nope"], "fmt": ["csv", "exe"], "instrument_code": ["police_grid", "x"],
    "refnis": ["21009", "00000"], "language": ["en", "xx"], "code": [None, "ZZZZZZ"],
    "key": ["not-an-invitation-key", "x" * 300],  # the invitation link (issue 19 §6)
    "panel": ["intake", "risk", "nope"],
    "number": ["1", "987654"],  # a safety plan's version number
}
# Missing (reaches the view), the largest id (reaches the database), past 64 bits (the resolver).
MISSING_IDS = ["987654", str(MAX_ID), str(MAX_ID + 1)]

NOT_WALKED = {
    "admin": "Django's own admin (OTPAdminSite): its forms and lookups are Django's.",
    "accounts:logout": "Signs the walking user out; the rest of the walk would be anonymous.",
    "api:docs": "Swagger UI page, no input.",
    "api:schema": "Generated OpenAPI schema, no input (the walk reads it for the API fields).",
}

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
READ_NAMES = re.compile(r"(?:GET|POST|query_params|data)\.(?:get|getlist)\(\s*[\"'](\w+)[\"']")

# --- Malformed values ------------------------------------------------------------------------

NASTY = ["", " ", "x" * 5000, "\x00", "a\x00b", "-1", "0", "-99999999999999999999",
         "99999999999999999999", str(MAX_ID + 1), "1e309", "NaN", "1.5", "٣", "２", "💥",
         "İstanbul", "\u202eevil", "<script>", "'; drop table", "2023-02-30", "2023-13-01",
         "0000-00-00", "9999-12-31T25:61", "31/02/2024", "24:99", "[]", "{}", "null", "true"]
# Text that the test client can encode (no lone surrogates).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
JUNK = st.one_of(st.sampled_from(NASTY), TEXT,
                 st.integers(min_value=-(2**70), max_value=2**70).map(str))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(NASTY),
                        TEXT)
JSON_VALUE = st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=3),
                       st.dictionaries(TEXT, JSON_SCALAR, max_size=2))


def form_values(fields: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the fields (missing fields), each a valid option or a malformed value."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(st.sampled_from(options), JUNK) if options else JUNK
        for name, options in fields.items()})


def json_body(properties: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.fixed_dictionaries({}, optional=dict.fromkeys(properties, JSON_VALUE)),
        st.none(), st.lists(JSON_SCALAR, max_size=3), st.integers(), TEXT)


# --- The URL configuration -------------------------------------------------------------------

@dataclass
class Endpoint:
    name: str  # namespace:name
    route: str  # "cases/<id:case_id>/help/", or "" for a regular expression
    pattern: URLPattern
    module: str

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    def parameters(self) -> list[tuple[str, str]]:
        return [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(self.route)]

    def id_model(self, name: str) -> str | None:
        """The model whose id fills the parameter ``name`` (None: not an id)."""
        namespace = self.name.split(":")[0]
        return NAMESPACE_ID_MODELS.get((namespace, name)) or ID_MODELS.get(name)


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
                route = prefix + str(entry.pattern)
                found.append(Endpoint(name=name or route, route=route, pattern=entry,
                                      module=getattr(entry.callback, "__module__", "")))

    walk(get_resolver(), "/", "")
    return found


def walked() -> list[Endpoint]:
    return [e for e in endpoints()
            if e.name not in NOT_WALKED and e.name.split(":")[0] not in NOT_WALKED]


def read_names(module: str) -> list[str]:
    """The query and form names a view module reads itself (request.GET.get("person")...)."""
    try:
        source = Path(__import__(module, fromlist=["_"]).__file__).read_text()
    except (ImportError, TypeError, OSError):
        return []
    return sorted(set(READ_NAMES.findall(source)))


# --- The world -------------------------------------------------------------------------------

@dataclass
class World:
    clients: dict[str, Client]
    apis: dict[str, Client]
    ids: dict[str, str]  # model label -> the id of its first object
    texts: dict[str, list[str]]
    api_fields: dict[tuple[str, str], list[str]]  # (path template, method) -> body fields
    forms: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    pdfs: set[str] = field(default_factory=set)  # endpoints that answered a PDF


def build_objects(cast, directory) -> None:
    """An object of each part of Relais around the cast's case, with the real services."""
    from relais.alarms.tests.factories import live_alarm, press
    from relais.followup.models import Neighbourhood
    from relais.linkage.tests.factories import couple_case
    from relais.measures.tests.factories import detain, order_ban
    from relais.programmes.tests.factories import group_of, judicial_file
    from relais.tests.url_matrix_world import (
        build_crisis,
        build_family,
        build_femicide,
        build_hospital_alert,
        build_redlist,
        build_safety_plan,
        build_series,
        build_table,
    )
    from relais.transfers.services import transfer_request

    live_alarm(cast)
    press(cast, "BTN-A-0001")
    order_ban(cast)
    detain(cast)
    judicial_file(cast, directory)
    group_of(cast)
    couple_case(cast, cast.officer_b)  # zone B's record of the same couple: a proposed link
    Neighbourhood.objects.create(agency=cast.zone_a, name="Flagey (test)")
    transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                     to_agency_id=cast.zone_b.pk, reason="Moved to zone B (test)")
    # A consultation body that heard a second case of zone A: a plan, an action, a
    # contribution; its meeting still open.
    build_table(cast)
    build_femicide(cast)  # the office's femicide record under review
    build_series(cast)  # a partner series imported by zone A's analyst
    build_crisis(cast)  # crisis mode: floods in the office's district
    build_redlist(cast)  # zone A's red-list entry on the case's address
    build_hospital_alert(cast)  # safeguards: a hospital's presence alert on the case
    build_family(cast)  # a family court's record on the case and its notice to zone A
    build_safety_plan(cast)  # zone A's SAPV's plan with the victim, shown to the shelter
    # Capacity from an import: a date and no author (as 9 services of the demo).
    Service.objects.filter(pk=directory.shelter.pk).update(capacity_updated_at=timezone.now(),
                                                           capacity_updated_by=None)


def first_id(label: str) -> str | None:
    pk = apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True).first()
    return None if pk is None else str(pk)


def api_body_fields() -> dict[tuple[str, str], list[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
            template = re.sub(r"\{(\w+)\}", r"<\1>", path)
            found[(template, method.upper())] = sorted(component.get("properties", {}))
    return found


@pytest.fixture
def world(cast, directory) -> World:
    from relais.feedback.models import FeedbackCode

    build_objects(cast, directory)
    users = {name: getattr(cast, name) for name in ROLES if hasattr(cast, name)}
    users["directory_editor"] = make_user("directory_editor", cast.platform,
                                          Role.DIRECTORY_EDITOR)
    helpline = make_agency("helpline", AgencyKind.HELPLINE)
    users["helpline_operator"] = make_user("helpline_operator", helpline,
                                           Role.HELPLINE_OPERATOR, Role.ANALYST)
    ids = {label: first_id(label)
           for label in {*ID_MODELS.values(), *NAMESPACE_ID_MODELS.values()}}
    texts = {name: list(values) for name, values in TEXT_PARAMETERS.items()}
    code = FeedbackCode.objects.values_list("code", flat=True).first()
    texts["code"] = [code or "ZZZZZZ", "ZZZZZZ"]
    clients, apis = {}, {}
    for role, user in users.items():
        clients[role] = verified_client(user)
        apis[role] = api_client(user)
        for client in (clients[role], apis[role]):
            client.raise_request_exception = False
    return World(clients=clients, apis=apis, ids={k: v for k, v in ids.items() if v},
                 texts=texts, api_fields=api_body_fields())


def urls_for(endpoint: Endpoint, world: World) -> tuple[str | None, list[str]]:
    """The address with valid values, and addresses with missing or malformed ids."""
    if not endpoint.route or "(?P<" in endpoint.route or "^" in endpoint.route:
        # A regular expression: its named groups take the first valid text.
        values = {name: world.texts[name][0] for name in endpoint.pattern.pattern.regex.groupindex}
        from django.urls import reverse

        return reverse(endpoint.name, kwargs=values), []
    valid: dict[str, str] = {}
    for _converter, name in endpoint.parameters():
        label = endpoint.id_model(name)
        if label is not None:
            valid[name] = world.ids.get(label, MISSING_IDS[0])
        elif name in world.texts:
            valid[name] = world.texts[name][0]
        else:
            return None, []

    def fill(values: dict[str, str]) -> str:
        return PARAMETER.sub(lambda m: values[m["name"]], endpoint.route).replace("^", "")

    bad = []
    for _converter, name in endpoint.parameters():
        wrong = MISSING_IDS if endpoint.id_model(name) else world.texts[name][1:]
        bad += [fill({**valid, name: value}) for value in wrong]
    return fill(valid), bad


class FormParser(HTMLParser):
    """The forms of a page: action, method and each field with its offered values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""),
                               "method": a.get("method", "get").upper(), "fields": {}})
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            options = self.forms[-1]["fields"].setdefault(a["name"], [])
            if a.get("value"):
                options.append(a["value"])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select and "value" in a:
            self.forms[-1]["fields"][self._select].append(a["value"])


def collect_forms(world: World, page_url: str, response) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    parser = FormParser()
    parser.feed(response.content.decode(errors="replace"))
    for form in parser.forms:
        target = urlsplit(form["action"] or page_url).path
        try:
            name = resolve(target).view_name
        except Resolver404:
            continue
        key = f"{name} {form['method']}"
        if form["fields"] not in [f["fields"] for f in world.forms[key]]:
            world.forms[key].append({"url": target, "fields": form["fields"]})


# --- The walk --------------------------------------------------------------------------------

def test_every_pattern_can_be_walked():
    """A new route parameter needs a way to fill it, or a reason not to walk its pattern."""
    unbuilt = [e.route for e in walked()
               if any(e.id_model(name) is None and name not in TEXT_PARAMETERS
                      for _converter, name in e.parameters())]
    assert unbuilt == [], f"add to ID_MODELS / TEXT_PARAMETERS or NOT_WALKED: {unbuilt}"


def test_every_database_id_in_an_address_uses_the_id_converter():
    plain = sorted(e.name for e in walked()
                   if any(conv == "int" for conv, _name in e.parameters()))
    assert plain == [], f"use <id:...> (relais.core.ids.IdConverter) in {plain}"


def check(failures: list[str], role: str, method: str, url: str, response, sent: Any) -> None:
    if response.status_code >= 500:
        shown = repr(sent)
        failures.append(f"{role} {method} {url} -> {response.status_code} with "
                        f"{shown[:300]}{'…' if len(shown) > 300 else ''}")


def first_pass(world: World, routes: list[tuple[Endpoint, str, list[str]]],
               failures: list[str]) -> None:
    """Every address as each role, the forms met on the way kept; each wrong address as one
    role (in turn). A PDF is drawn for one role only (it takes a while)."""
    for number, (endpoint, url, bad) in enumerate(routes):
        for index, role in enumerate(ROLES):
            client = (world.apis if endpoint.is_api else world.clients)[role]
            addresses = [url] if endpoint.name not in world.pdfs else []
            if index == number % len(ROLES):
                addresses += bad
            for address in addresses:
                response = client.get(address)
                check(failures, role, "GET", address, response, None)
                if address == url and response.status_code == 200:
                    collect_forms(world, url, response)
                    if response.get("Content-Type", "").startswith("application/pdf"):
                        world.pdfs.add(endpoint.name)


def test_no_server_error_on_bad_input(world):
    """Hypothesis draws the values for each pattern in turn: up to one example per role, the
    pattern's n-th example as role (index + n). Failures are gathered and reported at the end
    (the walk changes the world, so an example is neither replayed nor shrunk)."""
    routes = [(endpoint, *urls_for(endpoint, world)) for endpoint in walked()]
    failures: list[str] = []
    first_pass(world, routes, failures)
    for number, (endpoint, url, _bad) in enumerate(routes):
        fuzz_pattern(world, number, endpoint, url, failures)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


def fuzz_pattern(world: World, number: int, endpoint: Endpoint, url: str,
                 failures: list[str]) -> None:
    turns = iter(range(len(ROLES)))

    @settings(max_examples=len(ROLES), derandomize=True, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def walk(data) -> None:
        requests = draw_requests(world, data, endpoint, url)  # the same draws on every run
        turn = next(turns, None)
        if turn is None:
            return
        role = ROLES[(number + turn) % len(ROLES)]
        client = (world.apis if endpoint.is_api else world.clients)[role]
        for method, target, payload in requests:
            if method == "GET" and endpoint.name in world.pdfs and turn:
                continue  # a PDF is drawn once with bad parameters (it takes a while)
            if method == "GET":
                response = client.get(target, payload)
            elif endpoint.is_api:
                response = client.generic(method, target, json.dumps(payload),
                                          content_type="application/json")
            else:
                response = client.post(target, payload)
            check(failures, role, method, target, response, payload)

    walk()


def draw_requests(world: World, data, endpoint: Endpoint, url: str) -> list[tuple[str, str, Any]]:
    """(method, URL, query or body) with malformed values in every field the pattern reads."""
    names = read_names(endpoint.module)
    query_fields: dict[str, list[str]] = dict.fromkeys(names, [])
    for form in world.forms.get(f"{endpoint.name} GET", []):
        query_fields.update(form["fields"])
    requests = [("GET", url, data.draw(form_values(query_fields), label="query"))]
    if endpoint.is_api:
        template = endpoint.route.replace("<id:", "<").replace("<int:", "<")
        for (path, method), properties in world.api_fields.items():
            if path == template and method in ("POST", "PUT", "PATCH"):
                requests.append((method, url, data.draw(json_body(properties), label=method)))
        return requests
    for form in world.forms.get(f"{endpoint.name} POST") or [{"url": url, "fields": {}}]:
        body = data.draw(form_values({**dict.fromkeys(names, []), **form["fields"]}),
                         label="POST")
        body.pop("submission_token", None)  # each submission is new (no replay)
        requests.append(("POST", form["url"], body))
    return requests
