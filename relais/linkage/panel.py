"""The linkage's panel on the case page: the persons of the case that may be known in another
file, and the way to the family view."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from relais.access.cases import CaseAccess
from relais.access.linkage import link_scope
from relais.cases.models import CaseParticipant
from relais.linkage.family import pair_files
from relais.linkage.forms import ContinueForm
from relais.linkage.models import OPEN_STATUSES, LinkStatus
from relais.linkage.selectors import case_links


def _links(access: CaseAccess) -> QuerySet:
    persons = CaseParticipant.objects.filter(case_id=access.case.pk).values("person_id")
    return link_scope(access.actor).filter(Q(left__in=persons) | Q(right__in=persons))


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    links = _links(access)
    return {"open": links.filter(status__in=OPEN_STATUSES),
            "confirmed": links.filter(status=LinkStatus.CONFIRMED)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    if not found:
        return None
    links = case_links(actor=access.actor, case_id=access.case.pk) if "open" in found else []
    earlier = []
    if "confirmed" in found and access.can_edit:
        # Reactivation: an earlier file of the same couple in the reader's agency.
        earlier = [f for f in pair_files(actor=access.actor, case_id=access.case.pk)
                   if f.opened_at < access.case.opened_at]
    return {"links": links, "family": "confirmed" in found, "earlier": earlier,
            "continue_form": ContinueForm() if earlier else None}
