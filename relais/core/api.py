"""REST API plumbing shared by every app: authentication, errors, idempotency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from relais.audit.denied import record_denied_request
from relais.core.actor import Actor, client_ip
from relais.core.submissions import SubmissionConflict, body_fingerprint, run_once

IDEMPOTENCY_HEADER = "Idempotency-Key"


def api_actor(request: Request) -> Actor:
    return Actor.for_user(request.user, ip=client_ip(request._request), channel="api")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django validation errors become 400 with field messages. Every refusal is the same 404,
    never saying more: missing, another agency, the wrong role or scope (a permission refusal
    included). Only a missing or wrong credential answers 401."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    csrf_failure = str(getattr(exc, "detail", "")).startswith("CSRF Failed")
    if isinstance(exc, Http404 | DjangoPermissionDenied | exceptions.PermissionDenied) \
            and not csrf_failure:  # a CSRF failure stays 403: it says nothing of the object
        record_denied_request(context["request"], context.get("kwargs"))
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for another request body on this "
                       "endpoint. Send a new key for a new request.")
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
