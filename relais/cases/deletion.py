"""Deleting a case recorded in error (issue 20 §3): a duplicate intake, a case opened on the
wrong family. A closed case stays, with its reason; a deleted one is gone, with what belongs
only to it. Only while nothing of it has left the agency.

Like the closure's check (``relais.cases.closure``), the case file does not know the parts of
Relais that may hold on to a case; each tells it in its ``AppConfig.ready`` (arrows point
down):

- ``register_deletion_blocker(name, reason, rows)``: ``rows(case)`` is a queryset of what blocks
  the deletion (a share, a referral sent, a transfer, a prosecution entry, a measure, an alarm,
  a consultation listing, a merge, a programme file...), ``reason`` the sentence that says so
  in the reader's language. A case is deleted only when every queryset is empty.

Who may ask is the access policy (``relais.access.deletion``); whether a second person
approves is the approvals' rules file (step ``record_delete``). The service is
``relais.cases.services.case_delete``; docs/approvals-and-closure.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from relais.cases.models import Case
from relais.core.texts import register_choices, register_text

DELETE_STEP = "record_delete"  # the approval step (relais.approvals.steps)


class DeletionReason(TextChoices):
    """Why a case is deleted: a coded list (the audit keeps the code, never a name)."""

    DUPLICATE = "duplicate", _("A duplicate of another case")
    WRONG_FAMILY = "wrong_family", _("Opened on the wrong person or family")
    MISTAKE = "mistake", _("Opened by mistake (no situation to follow)")


# Reasons whose note is required: which case it duplicates (its reference, never a name).
NOTE_REQUIRED = frozenset({DeletionReason.DUPLICATE})


@dataclass(frozen=True)
class Blocker:
    reason: Promise | str  # translated lazily: the reader's language
    rows: Callable[[Case], QuerySet]


BLOCKERS: dict[str, Blocker] = {}


def register_deletion_blocker(name: str, reason: Promise | str,
                              rows: Callable[[Case], QuerySet]) -> None:
    """``rows(case)`` non-empty means the case cannot be deleted, because of ``reason`` (a
    part may register several querysets with the same sentence: it is said once)."""
    BLOCKERS[name] = Blocker(reason=reason, rows=rows)


def deletion_blockers(case: Case) -> list[str]:
    """Why the case cannot be deleted now, in the reader's language (empty: it can), each
    sentence once. One query per registered blocker."""
    reasons: list[str] = []
    for name in sorted(BLOCKERS):
        blocker = BLOCKERS[name]
        if str(blocker.reason) not in reasons and blocker.rows(case).exists():
            reasons.append(str(blocker.reason))
    return reasons


register_choices("cases.deletion_reason", DeletionReason)
register_text("cases.delete_asked",
              _("Delete case %(reference)s — reason: %(reason)s"))
