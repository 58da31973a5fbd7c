"""Who may delete a case recorded in error, and which of the access policy's own records keep it
(issue 20 §3; relais.cases.deletion).

- **Who.** The case's owning agency only, its staff who work on cases (``owner_case_access``:
  not through a share, not a merged case); the approver of a deletion request is checked again
  the same way when the handler runs. Courts, analysts and administrators own no case file:
  everyone else gets the same 404.
- **What keeps the case.** A case something of which has left the agency is closed with a
  reason, never deleted. The access policy knows two of those ways out: a share of the case
  (judicial forwarding, referral, consultation, break-glass, a former owner's share after a
  transfer or a merge), whatever its state, and a referral beyond "proposed"
  (``shares_of``, ``referrals_sent``; the case file registers them). The other parts of Relais
  register theirs in their own ``AppConfig.ready``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from relais.access.cases import CaseAccess, owner_case_access
from relais.access.models import Share
from relais.cases.models import Case
from relais.core.actor import Actor


def deletion_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """Access to a case she may ask to delete (or delete, as its approver): the owning
    agency's staff who see it (``owner_case_access``), 404 otherwise."""
    return owner_case_access(actor=actor, case_id=case_id)


def shares_of(case: Case) -> QuerySet:
    """Every share of the case, whatever its kind and state: it went to another agency."""
    return Share.objects.filter(case=case)


def referrals_sent(case: Case) -> QuerySet:
    """Its referrals beyond "proposed": they reached, or were sent to, a service."""
    from relais.referrals.models import Referral, ReferralStatus

    return Referral.objects.filter(case=case).exclude(status=ReferralStatus.PROPOSED)
