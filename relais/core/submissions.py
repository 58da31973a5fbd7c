"""Carry out a submission once, however many times it arrives."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from relais.core.models import SubmittedForm

TOKEN_FIELD = "submission_token"


def expiry_cutoff() -> Any:
    """Tokens older than this are forgotten: the same key is then a new request."""
    return timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def submissions_purge() -> int:
    """Delete the expired tokens (``manage.py submissions_purge``); returns how many."""
    return SubmittedForm.objects.filter(created_at__lt=expiry_cutoff()).delete()[0]


class SubmissionConflict(Exception):
    """The token was already used by this user on this endpoint, with another body."""


def body_fingerprint(data: Any) -> str:
    """A hash of a parsed request body, the same whatever the order of its keys."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def run_once(*, request: HttpRequest, token: str, do: Callable[[], str],
             fingerprint: str = "") -> tuple[str, bool]:
    """Run ``do`` (which writes and returns the URL of its result) once per token.

    A token counts for the signed-in user and the request's path only. Returns (result URL,
    whether this call carried it out). The token row is written in the same transaction as
    the work: if the work fails, the token is free for the next try. A token expires after
    ``settings.IDEMPOTENCY_KEY_HOURS``: sent again later, it is a new request. With a
    ``fingerprint`` (the API's body hash), a token already used with another fingerprint raises
    ``SubmissionConflict`` and nothing is done.
    """
    if not token:
        with transaction.atomic():
            return do(), True
    key = {"token": token[:64], "user": request.user, "endpoint": request.path[:300]}
    with transaction.atomic():
        SubmittedForm.objects.filter(**key, created_at__lt=expiry_cutoff()).delete()
        try:
            with transaction.atomic():
                claim = SubmittedForm.objects.create(**key, body_hash=fingerprint)
        except IntegrityError:
            prior = SubmittedForm.objects.filter(**key).first()
            if prior is None:  # the clash was not on the token (cannot happen today)
                raise
            if fingerprint and prior.body_hash != fingerprint:
                raise SubmissionConflict(token) from None
            return prior.result_url, False
        url = do()
        claim.result_url = url
        claim.save(update_fields=["result_url"])
        return url, True
