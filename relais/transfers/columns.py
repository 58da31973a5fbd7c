"""The transfers to accept: the screen's table head and its export (relais.core.exports) read
this one list, so both hold the same columns (the button's column holds no data)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core.exports import Column
from relais.transfers.models import CaseTransfer


def _asked(transfer: CaseTransfer) -> str:
    when = timezone.localtime(transfer.requested_at).strftime("%Y-%m-%d %H:%M")
    who = transfer.requested_by.get_full_name() if transfer.requested_by else ""
    return f"{when}, {who}" if who else when


def _reason(transfer: CaseTransfer) -> str:
    if transfer.person_agreed:
        return f"{transfer.reason} ({_('The person agreed.')})"
    return transfer.reason


INBOX_COLUMNS: list[Column[CaseTransfer]] = [
    Column("case", gettext_lazy("Case"), lambda transfer: transfer.case.reference),
    Column("from", gettext_lazy("From"), lambda transfer: transfer.from_agency.name),
    Column("asked", gettext_lazy("Asked on, by"), _asked),
    Column("reason", gettext_lazy("Reason"), _reason),
]
