"""The measures list's two tables (residence bans; detention and release): the screen's table
heads and their exports (relais.core.exports) read these lists, so both hold the same
columns."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from relais.core.exports import Column
from relais.measures.models import Detention, ResidenceBan


def _release(detention: Detention) -> str:
    if detention.released_at:
        released = timezone.localtime(detention.released_at).strftime("%Y-%m-%d %H:%M")
        return f"{released} · {_('her zone is warned')}" if detention.release_zone_id \
            else released
    if detention.expected_release_on:
        return f"{_('expected')} {detention.expected_release_on.isoformat()}"
    return ""


BAN_COLUMNS: list[Column[ResidenceBan]] = [
    Column("case", gettext_lazy("Case"), lambda ban: ban.case.reference),
    Column("perpetrator", gettext_lazy("Must stay away"), lambda ban: str(ban.perpetrator)),
    Column("starts", pgettext_lazy("start date", "From"), lambda ban: ban.starts_at),
    Column("ends", gettext_lazy("Until"), lambda ban: ban.ends_at),
    Column("status", gettext_lazy("Status"), lambda ban: ban.current_status_label),
    Column("monitor", gettext_lazy("Monitored by"),
           lambda ban: ban.monitor_agency.name if ban.monitor_agency else ""),
]

DETENTION_COLUMNS: list[Column[Detention]] = [
    Column("case", gettext_lazy("Case"), lambda detention: detention.case.reference),
    Column("person", gettext_lazy("Person"), lambda detention: str(detention.person)),
    Column("kind", gettext_lazy("Kind"), lambda detention: str(detention.get_kind_display())),
    Column("since", gettext_lazy("Since"), lambda detention: detention.since),
    Column("release", gettext_lazy("Release"), _release),
    Column("status", gettext_lazy("Status"), lambda detention: detention.current_status_label),
]

TABLES = {"bans": BAN_COLUMNS, "detentions": DETENTION_COLUMNS}
