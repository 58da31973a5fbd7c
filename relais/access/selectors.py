"""Reads of the access app's own screens: the persons who may consent to a share, a share to
end. (The policy itself is in the domain modules: ``relais.access.cases`` and the others.)"""

from __future__ import annotations

from django.http import Http404

from relais.access.cases import CaseAccess
from relais.access.models import Share
from relais.cases.models import CaseParticipant


def consenting_persons(*, access: CaseAccess) -> list[tuple[str, str]]:
    """(person id, "name — role") of each person of a case the owner may share with consent."""
    return [(str(p.person_id), f"{p.person} — {p.get_role_display()}")
            for p in CaseParticipant.objects.filter(case=access.case).select_related("person")
            .order_by("id")]


def share_case_id(*, share_id: int) -> int:
    """The case a share opens; the caller checks she owns it (``owner_case_access``)."""
    case_id = Share.objects.filter(pk=share_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    return case_id
