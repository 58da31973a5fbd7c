"""The alarm lists' columns (the dispatcher's board, the requests): the screen's table head and
its export (relais.core.exports) read this one definition, so both hold the same columns.

On the board, the case reference shows only where the dispatcher may open the summary
(``BoardRow.summary_open``); the export leaves that cell empty too."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.alarms.models import AlarmRequest
from relais.alarms.selectors import BoardRow
from relais.core.exports import Column


def _state(row: BoardRow) -> str:
    activation = row.activation
    if activation.handled_at is None:
        return _("Not handled")
    who = activation.handled_by
    name = (who.get_full_name() or who.username) if who else ""
    return _("Handled by %(who)s at %(when)s") % {
        "who": name, "when": timezone.localtime(activation.handled_at).strftime("%H:%M")}


BOARD_COLUMNS: list[Column[BoardRow]] = [
    Column("pressed", gettext_lazy("Pressed at"), lambda row: row.activation.occurred_at),
    Column("device", gettext_lazy("Device"), lambda row: row.activation.serial),
    Column("case", gettext_lazy("Case"),
           lambda row: row.activation.case.reference if row.summary_open else ""),
    Column("anomaly", gettext_lazy("Anomaly"),
           lambda row: str(row.activation.get_anomaly_display()) if row.activation.anomaly
           else ""),
    Column("state", gettext_lazy("State"), _state),
]

REQUEST_COLUMNS: list[Column[AlarmRequest]] = [
    Column("requested", gettext_lazy("Requested"), lambda r: r.requested_at),
    Column("case", gettext_lazy("Case"), lambda r: r.case.reference),
    Column("zone", gettext_lazy("Police zone"), lambda r: r.agency.name),
    Column("office", gettext_lazy("Prosecutor's office"),
           lambda r: r.prosecutor_office.name if r.prosecutor_office else _("Not forwarded yet")),
    Column("status", gettext_lazy("Status"), lambda r: str(r.get_status_display())),
]
