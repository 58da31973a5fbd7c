"""Carry out a submission once, however many times it arrives."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from relais.core.models import SubmittedForm

TOKEN_FIELD = "submission_token"


def run_once(*, request: HttpRequest, token: str, do: Callable[[], str]) -> tuple[str, bool]:
    """Run ``do`` (which writes and returns the URL of its result) once per token.

    Returns (result URL, whether this call carried it out). The token row is written in the
    same transaction as the work: if the work fails, the token is free for the next try.
    """
    if not token:
        with transaction.atomic():
            return do(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = SubmittedForm.objects.create(token=token[:64], user=request.user)
        except IntegrityError:
            prior = SubmittedForm.objects.filter(token=token[:64], user=request.user).first()
            return (prior.result_url if prior else ""), False
        url = do()
        claim.result_url = url
        claim.save(update_fields=["result_url"])
        return url, True
