"""The API contract (issue 19 §4): every operation of the generated OpenAPI schema, walked by
every member of the fixed cast against the URL matrix's world.

- Every operation of the schema has a row in the URL matrix (relais/tests/test_url_matrix.py):
  its expectations are the policy's, written once.
- A GET answers 200 to the members the matrix lets through and 404 to everybody else.
- A POST is sent with a valid body (``POSTS`` below): 201 (or 200) to those the policy lets
  do it, 404 to everybody else. A PATCH or PUT (``WRITES``) likewise, with the record's
  current version in If-Match: 200 or 404.
- Every answer with a body validates against the schema's response for its status code
  (``jsonschema``, installed with drf-spectacular), objects holding no undocumented key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from relais.cases.models import SAFE_CONTACT_FIELDS, Person, SafeContactInstructions
from relais.cases.selectors import person_identity_version
from relais.conftest import api_client
from relais.core.api import etag
from relais.core.versions import record_version
from relais.intake.examples import grid_answers, report_arguments
from relais.tests import test_url_matrix
from relais.tests.test_fuzz import JUNK
from relais.tests.test_url_matrix import (
    CAST,
    CONTACT_ON_VICTIM,
    EVERYONE,
    MATRIX,
    NOBODY,
    OWNERS,
    POLICE_ON_CASE,
    answer,
    url_of,
)
from relais.tests.url_matrix_world import World

world = test_url_matrix.world  # the matrix's world, built once for this module


@dataclass(frozen=True)
class Post:
    """A valid body for a POST operation, and who gets it done (the others get 404)."""

    body: Callable[[World], dict[str, Any]]
    allowed: frozenset[str]


def _json(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, default=str))


POSTS: dict[str, Post] = {
    "api:case_list": Post(lambda w: {"situation": "couple", "municipality": "21009"},
                          EVERYONE - {"analyst_a", "admin_a"}),
    "api:case_persons": Post(lambda w: {"role": "witness", "first_name": "Wanda",
                                        "last_name": "Témoin"}, OWNERS),
    "api:directory_capacity": Post(lambda w: {"free_places": 2, "waiting_days": 0,
                                              "crisis_status": "open"}, {"shelter_worker"}),
    "api:alarm_activations": Post(lambda w: {"device": "BTN-A-0001",
                                             "at": timezone.now().isoformat()}, NOBODY),
    "api:redlist_lookup": Post(lambda w: {"postcode": "1050"}, NOBODY),
    # Only a police zone's grid: the owning zone, and zone B's officer by break-glass.
    "api:case_reports": Post(lambda w: _json(report_arguments(
        victim_id=w.cast.victim_id, perpetrator_id=w.cast.perpetrator_id)), OWNERS),
    "api:case_assessments": Post(lambda w: {
        "person_id": w.cast.victim_id, "instrument_code": "police_grid",
        "answers": grid_answers("police_grid", threats_to_kill="yes")}, POLICE_ON_CASE),
    # The world's referral waits for the shelter's acknowledgement: the receiver's step.
    "api:referral_steps": Post(lambda w: {"status": "received"}, {"shelter_worker"}),
    "api:task_take": Post(lambda w: {}, {"sapv_a", "reference_a"}),
    "api:task_cancel": Post(lambda w: {"reason": "She moved abroad."}, {"reference_a"}),
}


@dataclass(frozen=True)
class Write:
    """A valid update (PATCH, PUT), the version it is sent over, and who gets it done."""

    body: Callable[[World], dict[str, Any]]
    version: Callable[[World], str]
    allowed: frozenset[str]


def _identity_version(w: World) -> str:
    return person_identity_version(person=Person.objects.get(pk=w.cast.victim_id))


def _safe_contact_version(w: World) -> str:
    return record_version(SafeContactInstructions.objects.filter(
        person_id=w.cast.victim_id).first(), SAFE_CONTACT_FIELDS)


WRITES: dict[tuple[str, str], Write] = {
    ("api:person_detail", "patch"): Write(lambda w: {"gender": "femme (test)"},
                                          _identity_version, OWNERS),
    ("api:person_safe_contact", "put"): Write(lambda w: {"channel": "phone",
                                                         "hours": "evenings"},
                                              _safe_contact_version, CONTACT_ON_VICTIM),
}


# --- The schema, as JSON Schema --------------------------------------------------------------

def json_schema(node: Any) -> Any:
    """OpenAPI 3.0's dialect as JSON Schema: ``nullable`` becomes a null alternative, and an
    object with listed properties holds no other key."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: json_schema(value) for key, value in node.items()
           if key not in ("example", "examples")}
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if out.pop("nullable", False):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    name: str  # the URL name, as in the matrix
    responses: dict[str, Any]


def operations(schema: dict[str, Any]) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        name = f"{match.namespace}:{match.url_name}"
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append(Operation(method, path, name, operation.get("responses", {})))
    return found


def test_every_operation_has_a_row_and_every_post_a_body(schema):
    ops = operations(schema)
    assert len(ops) >= 30
    assert [op.name for op in ops if op.name not in MATRIX] == []
    assert sorted(op.name for op in ops if op.method == "post") == sorted(POSTS)
    assert sorted((op.name, op.method) for op in ops if op.method in ("patch", "put")) \
        == sorted(WRITES)
    assert {op.method for op in ops} <= {"get", "post", "patch", "put"}


def validate(schema: dict[str, Any], op: Operation, status: int, body: Any) -> list[str]:
    declared = op.responses.get(str(status))
    if declared is None:
        return [f"{status} is not in the schema"]
    content = (declared.get("content") or {}).get("application/json")
    if content is None or "schema" not in content:
        return []  # documented without a body schema (e.g. the alarm's summary)
    root = {**json_schema(content["schema"]),
            "components": json_schema(schema["components"])}
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in Draft202012Validator(root).iter_errors(body)][:5]


@pytest.mark.parametrize("username", CAST)
def test_each_operation_answers_as_the_policy_says_and_as_the_schema_says(
        world, db, schema, username):
    user = getattr(world.cast, username)
    client = api_client(user)
    errors = []
    for op in operations(schema):
        row = MATRIX[op.name]
        url = url_of(op.name, row, world)
        headers = None
        if op.method == "get":
            allowed, expected = row.get, (200,)
            data = None
        elif op.method == "post":
            post = POSTS[op.name]
            allowed, expected, data = post.allowed, (200, 201), post.body(world)
        else:
            write = WRITES[op.name, op.method]
            allowed, expected, data = write.allowed, (200,), write.body(world)
            headers = {"HTTP_IF_MATCH": etag(write.version(world))}
        response = answer_with_body(client, op.method, url, data, headers)
        status, body = response
        want = expected if username in allowed else (404,)
        if status not in want:
            errors.append(f"{op.method.upper()} {op.name}: {status} {str(body)[:300]}, "
                          f"expected {want}")
            continue
        for problem in validate(schema, op, status, body):
            errors.append(f"{op.method.upper()} {op.name} {status}: {problem}")
    assert errors == [], "\n".join(errors)


def answer_with_body(client, method: str, url: str, data: dict | None,
                     headers: dict[str, str] | None = None) -> tuple[Any, Any]:
    """``test_url_matrix.answer`` (each request rolled back), keeping the JSON body."""
    kept: dict[str, Any] = {}
    original = client.generic

    def generic(*args: Any, **kwargs: Any):
        response = original(*args, **kwargs)
        try:
            kept["body"] = response.json() if response.content else None
        except ValueError:
            kept["body"] = response.content[:200]
        return response

    client.generic = generic
    try:
        status = answer(client, method, url, data, True, headers)
    finally:
        client.generic = original
    return status, kept.get("body")


def test_no_server_error_on_bad_query_parameters(world, db, schema):
    """Hypothesis draws malformed values for every query parameter of every list (filters,
    ordering, cursor, page size), sent as a member of the cast who reads the list: 400 or 404
    at worst, never a server error. (relais/tests/test_fuzz.py sends the bodies.)"""
    failures: list[str] = []
    clients: dict[str, Any] = {}
    for op in operations(schema):
        names = [p["name"] for p in schema["paths"][op.path][op.method].get("parameters", [])
                 if p["in"] == "query"]
        row = MATRIX[op.name]
        if op.method != "get" or not names or not row.get:
            continue
        username = sorted(row.get)[0]
        if username not in clients:
            clients[username] = api_client(getattr(world.cast, username))
        fuzz_list(clients[username], url_of(op.name, row, world), names, failures)
    assert failures == [], "\n".join(failures[:20])


def fuzz_list(client: Any, url: str, names: list[str], failures: list[str]) -> None:
    @settings(max_examples=15, derandomize=True, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(query=st.dictionaries(st.sampled_from(names), JUNK, min_size=1))
    def walk(query: dict[str, str]) -> None:
        address = f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
        status = answer_with_body(client, "get", address, None)[0]
        if status not in (200, 400, 404):
            failures.append(f"GET {address}: {status}")

    walk()
