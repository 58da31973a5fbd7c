"""Shared steps of the no-lost-update tests (issue 20 §1, relais.core.versions): two people
read the same edit form; the first saves; the second's save over the version she read is
refused with both versions shown and her typing kept; "Keep mine" then saves hers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client

from relais.audit.models import AuditEvent
from relais.core.models import FormDraft
from relais.core.versions import EditConflict

MARKER = 'name="version" value="'


def version_in(page: str) -> str:
    """The version an edit form carries (its hidden ``version`` field)."""
    assert MARKER in page, "the form carries no version"
    return page.split(MARKER, 1)[1].split('"', 1)[0]


def second_save_refused(*, url: str, first: Client, second: Client, base: dict[str, Any],
                        theirs: dict[str, Any], mine: dict[str, Any],
                        shown: Iterable[str] = ()) -> str:
    """Both open ``url``; ``first`` saves ``theirs``; ``second`` saves ``mine`` over the
    version both read: refused, with the box, ``shown`` (both values) and her draft kept.
    Returns the version the refused form now carries ("Keep mine" saves over it)."""
    read = version_in(first.get(url).content.decode())
    assert version_in(second.get(url).content.decode()) == read
    saved = first.post(url, {**base, **theirs, "version": read})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    refused = second.post(url, {**base, **mine, "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page, page[:3000]
    assert "Keep mine and save" in page and "Take theirs (reload)" in page
    for text in shown:
        assert text in page, text
    assert FormDraft.objects.filter(user_id=second.session["_auth_user_id"], path=url).exists()
    newer = version_in(page)
    assert newer != read
    return newer


def refused_without_audit(do: Callable[[], object]) -> EditConflict:
    """``do`` raises EditConflict and writes no audit event."""
    before = AuditEvent.objects.count()
    with pytest.raises(EditConflict) as conflict:
        do()
    assert AuditEvent.objects.count() == before
    return conflict.value
