"""The referrals list's columns, for each direction: the screen's table head and its export
(relais.core.exports) read this one definition, so both hold the same columns."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core.exports import Column
from relais.referrals.selectors import ReferralRow


def _status(row: ReferralRow) -> str:
    labels = [str(row.referral.get_status_display())]
    if row.overdue:
        labels.append(_("overdue"))
    if row.consent_withdrawn:
        labels.append(_("consent withdrawn"))
    return ", ".join(labels)


def _due(row: ReferralRow):
    referral = row.referral
    return referral.due_at if referral.is_open and referral.due_at else None


def referral_columns(direction: str) -> list[Column[ReferralRow]]:
    """Received referrals show who sent them; those made, the service they went to."""
    if direction == "incoming":
        other = Column("from", gettext_lazy("From"), lambda row: row.referral.from_agency.name)
    else:
        other = Column("to", gettext_lazy("To"), lambda row: row.referral.service.name)
    return [
        Column("case", gettext_lazy("Case"), lambda row: row.referral.case.reference),
        Column("person", gettext_lazy("Person"), lambda row: row.person_label),
        other,
        Column("status", gettext_lazy("Status"), _status),
        Column("due", gettext_lazy("Next step due"), _due),
    ]
