"""Access policy of the prosecution tracking table (relais.justice).

- The office's legal advisors and magistrates work the table (``works_the_table``): they see
  their office's entries on the cases the case policy opens to them (``entry_scope``), and
  regroup cases of one household.
- The magistrates and the office's administrator organise the sections; the administrator
  sees no case, only the settings.
- The police zone that owns the case sees, on its case page, when each report arrived, its
  section, the decision and the measures (``zone_sees_panel``): not the reader nor the note.
"""

from __future__ import annotations

from django.db.models import QuerySet

from relais.access.cases import CaseAccess, visible_cases
from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.justice.models import Entry

# Who reads reports and keeps the table: the office's legal advisors and magistrates.
READER_ROLES = frozenset({Role.LEGAL_ADVISOR, Role.MAGISTRATE})
# Who organises the sections: the magistrates and the office's administrator (legal advisors
# see them). An administrator sees no case: she reaches the settings only.
SECTION_EDITOR_ROLES = frozenset({Role.MAGISTRATE, Role.ADMINISTRATOR})


def _is_office(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR


def works_the_table(actor: Actor) -> bool:
    """A legal advisor or magistrate of a prosecutor's office."""
    return _is_office(actor) and actor.has_role(*READER_ROLES)


def may_edit_sections(actor: Actor) -> bool:
    return _is_office(actor) and actor.has_role(*SECTION_EDITOR_ROLES)


def may_see_sections(actor: Actor) -> bool:
    return works_the_table(actor) or may_edit_sections(actor)


def entry_scope(actor: Actor) -> QuerySet[Entry]:
    """The entries the actor may see: her office's, on cases the access policy opens to her."""
    if not works_the_table(actor):
        return Entry.objects.none()
    return Entry.objects.filter(agency_id=actor.agency_id,
                                report__case__in=visible_cases(actor))


def zone_sees_panel(access: CaseAccess) -> bool:
    """The owning police zone reads the decisions on its case page."""
    actor = access.actor
    return (access.is_owner and actor.agency is not None
            and actor.agency.kind == AgencyKind.POLICE_ZONE)
