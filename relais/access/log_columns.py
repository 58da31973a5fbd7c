"""The case access log's columns: the screen's table head and its export
(relais.core.exports) read this one list, so both hold the same columns. Each row is an
``AuditEvent``; on the screen its agency comes from ``AccessLog.agencies``, in the export from
the ``agency_name`` the export's selector adds.

A log can hold hundreds of thousands of events: the labels of actions, roles and scopes are
looked up once per language, not translated again on every row."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext_lazy

from relais.access.scopes import Scope
from relais.accounts.models import Role
from relais.audit.models import Action, AuditEvent
from relais.core.exports import Column


@lru_cache(maxsize=8)
def _labels(language: str | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Actions, roles and scopes by code, in ``language`` (the active one)."""
    return ({code: str(label) for code, label in Action.choices},
            {code: str(label) for code, label in Role.choices},
            {code: str(label) for code, label in Scope.choices})


def _who(event: AuditEvent) -> str:
    roles = _labels(translation.get_language())[1]
    names = ", ".join(roles.get(code, code) for code in event.roles.split(",") if code)
    return f"{event.username} ({names})" if names else event.username


def _what(event: AuditEvent) -> str:
    scopes = _labels(translation.get_language())[2]
    what = f"{event.object_type} {event.object_id}".strip()
    seen = set(event.scopes.split(","))
    names = ", ".join(label for code, label in scopes.items() if code in seen)
    return f"{what} ({names})" if names else what


def _action(event: AuditEvent) -> str:
    return _labels(translation.get_language())[0].get(event.action, event.action)


LOG_COLUMNS: list[Column[AuditEvent]] = [
    Column("when", gettext_lazy("When"), lambda event: event.occurred_at),
    Column("who", gettext_lazy("Who"), _who),
    Column("agency", gettext_lazy("Agency"), lambda event: getattr(event, "agency_name", "")),
    Column("action", gettext_lazy("Action"), _action),
    Column("what", gettext_lazy("What"), _what),
    Column("basis", gettext_lazy("Basis"), lambda event: event.basis),
    Column("from", gettext_lazy("From"),
           lambda event: f"{event.ip or ''} ({event.channel})".strip()),
]
