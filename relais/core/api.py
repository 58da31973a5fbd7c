"""REST API plumbing shared by every app: authentication, errors, idempotency."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.filters import OrderingFilter
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from relais.audit.denied import record_denied_request
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor, client_ip
from relais.core.submissions import SubmissionConflict, body_fingerprint, run_once
from relais.core.versions import EditConflict

IDEMPOTENCY_HEADER = "Idempotency-Key"
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True,
    description="The ETag of the record as you read it (GET). If someone saved it since, "
                "nothing is saved and the answer is 412 with the values saved now and their "
                "ETag: compare, then send yours again with that ETag to keep them.")


def etag(version: str) -> str:
    return f'"{version}"'


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy("Send the record's ETag (from a GET) in If-Match: an update "
                                  "over a version you have not read could undo someone's work.")
    default_code = "if_match_required"


IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The ETag of the record as you read it (GET): if someone changed it since (a "
                "task: recorded an attempt, moved it or took it), nothing is done and the answer "
                "is 412 with the values saved now and their ETag. Without it, nothing is "
                "compared (clients written before it keep working).")


def if_match(request: Request, *, required: bool = True) -> str | None:
    """The version an update was read at, from ``If-Match`` (428 without one, when
    ``required``; else None)."""
    value = request.headers.get("If-Match", "").strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value or value == "*":
        if required:
            raise PreconditionRequired()
        return None
    return value


def api_actor(request: Request) -> Actor:
    return Actor.for_user(request.user, ip=client_ip(request._request), channel="api")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django validation errors become 400 with field messages. Every refusal is the same 404,
    never saying more: missing, another agency, the wrong role or scope (a permission refusal
    included). Only a missing or wrong credential answers 401."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, EditConflict):
        return Response({"detail": _("Someone saved this record after you read it: nothing was "
                                     "saved. Compare with the values saved now, then send "
                                     "yours again with this ETag to keep them."),
                         "code": "edit_conflict", "current": exc.current},
                        status=status.HTTP_412_PRECONDITION_FAILED,
                        headers={"ETag": etag(exc.version)})
    csrf_failure = str(getattr(exc, "detail", "")).startswith("CSRF Failed")
    if isinstance(exc, Http404 | DjangoPermissionDenied | exceptions.PermissionDenied) \
            and not csrf_failure:  # a CSRF failure stays 403: it says nothing of the object
        record_denied_request(context["request"], context.get("kwargs"))
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("This Idempotency-Key was already used for another request "
                                  "body on this endpoint. Send a new key for a new request.")
    default_code = "idempotency_key_reused"


def run_idempotent(request: Request, do: Callable[[], str]) -> tuple[str, bool]:
    """Run ``do`` once per Idempotency-Key of this user on this endpoint (see
    ``relais.core.submissions.run_once``); the same key with another body answers 422."""
    try:
        return run_once(request=request._request,
                        token=request.headers.get(IDEMPOTENCY_HEADER, "").strip(), do=do,
                        fingerprint=body_fingerprint(request.data))
    except SubmissionConflict:
        raise IdempotencyKeyReused() from None


# --- Lists: cursor pagination, an allowlist of filters and orderings ----------------------------

class CursorPage(CursorPagination):
    """Every list of the API: an opaque cursor (``next`` / ``previous``), 50 rows a page by
    default, ``page_size`` up to 200. A cursor stays right while rows are added."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"  # each list names its own (ListApi.ordering)


class StrictOrdering(OrderingFilter):
    """DRF's ``ordering`` parameter, limited to the list's allowlist; any other value is a 400
    that names the parameter (DRF would ignore it silently)."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len(fields):
            allowed = ", ".join(f"{name}, -{name}" for name in view.ordering_fields)
            raise exceptions.ValidationError({self.ordering_param: [
                _("Order by one of: %(fields)s.") % {"fields": allowed}]})
        # The last key makes the order total (the cursor needs one).
        return [*valid, "pk"] if valid and valid[0].lstrip("-") != "pk" else valid


class ListApi(ListAPIView):
    """A list read through the app's selector (``rows``), one page at a time.

    ``filters`` is a serializer of the allowed query parameters (a wrong value is a 400 naming
    it); ``ordering_fields`` the allowed orderings; ``out`` turns a row into the response's
    dict; each page read is one audit event (``audit_basis``), as the screens' lists are.
    """

    pagination_class = CursorPage
    filter_backends = [StrictOrdering]
    ordering_fields: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-pk",)
    filters: type[serializers.Serializer] | None = None
    audit_basis = ""

    def rows(self, *, actor: Actor, filters: dict[str, Any], **kwargs: Any) -> QuerySet:
        raise NotImplementedError

    def out(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError

    def audit_case_id(self, **kwargs: Any) -> int | None:
        return kwargs.get("case_id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        self.actor = actor
        filters: dict[str, Any] = {}
        if self.filters is not None:
            parsed = self.filters(data=request.query_params)
            parsed.is_valid(raise_exception=True)
            filters = dict(parsed.validated_data)
        queryset = self.filter_queryset(self.rows(actor=actor, filters=filters, **kwargs))
        page = self.paginate_queryset(queryset) or []
        data = [self.out(row) for row in page]
        audit_record(actor=actor, action=Action.READ, case_id=self.audit_case_id(**kwargs),
                     basis=f"API {self.audit_basis} ({len(data)} rows)")
        return self.get_paginated_response(self.get_serializer(data, many=True).data)


def replay_status(first: bool) -> int:
    """201 for the request that created, 200 for the same request sent again."""
    return status.HTTP_201_CREATED if first else status.HTTP_200_OK


def id_of(url: str) -> int:
    """The id at the end of a result URL (what ``run_idempotent`` keeps)."""
    return int(url.rstrip("/").rsplit("/", 1)[-1])


IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Send the same key again (same user, endpoint and body, within "
                "IDEMPOTENCY_KEY_HOURS) to get the first result (200) instead of a second "
                "record; the same key with another body answers 422.")
NOT_FOUND = OpenApiResponse(description="Missing, or not yours to see: the same 404.")
FIELD_ERRORS = OpenApiResponse(
    description="Errors per field, in the reader's language (Accept-Language).",
    examples=[OpenApiExample("Field errors", value={"victim_id": [
        "Choose the victim among the persons of the case."]}, response_only=True)])


@contextmanager
def errors_under(prefix: str, field: str) -> Iterator[None]:
    """A service's errors on ``<prefix><code>`` (a form's field per question) as the API's
    nested errors ``{field: {code: [...]}}``; the other fields as they are."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        out: dict[str, Any] = {}
        for key, messages in error.message_dict.items():
            if key.startswith(prefix):
                out.setdefault(field, {})[key.removeprefix(prefix)] = messages
            else:
                out[key] = messages
        raise exceptions.ValidationError(out) from None


REFUSAL_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}},
                  "required": ["detail"]}


def document_refusals(result: dict[str, Any], generator: Any, request: Any,
                      public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents the answers every
    endpoint may give — 401 without a credential, 404 for any refusal (missing, another
    agency, the wrong role or scope) — and every POST its 400 (errors per field) and 422 (an
    Idempotency-Key reused with another body)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = REFUSAL_SCHEMA
    refusal = {"content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Refusal"}}}}
    answers = {
        "401": ("No credential, or a wrong or expired one.", True),
        "404": ("Missing, or not yours to see or do: always the same answer.", True),
        "422": ("This Idempotency-Key was already used with another body.", False),
    }
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code, (description, everywhere) in answers.items():
                if everywhere or method == "post":
                    responses.setdefault(code, {"description": description, **refusal})
            if method == "post":
                responses.setdefault("400", {
                    "description": "Errors per field, in the reader's language.",
                    "content": {"application/json": {"schema": {
                        "type": "object", "additionalProperties": {}}}}})
    return result
