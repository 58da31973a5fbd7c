"""The case access log's columns: the screen's table head and its export
(relais.core.exports) read this one list, so both hold the same columns. Each row is an
``AuditEvent``; on the screen its agency comes from ``AccessLog.agencies``, in the export from
the ``agency_name`` the export's selector adds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from relais.audit.models import AuditEvent
from relais.core.exports import Column
from relais.core.templatetags.relais import role_names, scope_names


def _who(event: AuditEvent) -> str:
    roles = ", ".join(role_names(event.roles))
    return f"{event.username} ({roles})" if roles else event.username


def _what(event: AuditEvent) -> str:
    what = f"{event.object_type} {event.object_id}".strip()
    scopes = ", ".join(scope_names(event.scopes))
    return f"{what} ({scopes})" if scopes else what


LOG_COLUMNS: list[Column[AuditEvent]] = [
    Column("when", gettext_lazy("When"), lambda event: event.occurred_at),
    Column("who", gettext_lazy("Who"), _who),
    Column("agency", gettext_lazy("Agency"), lambda event: getattr(event, "agency_name", "")),
    Column("action", gettext_lazy("Action"), lambda event: str(event.get_action_display())),
    Column("what", gettext_lazy("What"), _what),
    Column("basis", gettext_lazy("Basis"), lambda event: event.basis),
    Column("from", gettext_lazy("From"),
           lambda event: f"{event.ip or ''} ({event.channel})".strip()),
]
