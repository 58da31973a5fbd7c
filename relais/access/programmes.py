"""Access policy of perpetrator programmes (relais.programmes, Praxis model).

- A programme's counsellors hold its files (``file_scope``); its administrator or a counsellor
  sets its rules and formats. The programme never sees the victim's contact details or
  whereabouts (the case policy withholds them: ``CaseAccess.withholds_from``).
- On the case page, the justice assistant's house of justice and the mandating prosecutor's
  office read the judicial files of the case (status, hours, interruption reason, nothing of
  the interviews); the programme reads its own files (``panel_files``). The justice
  assistants also have the list of every judicial file their house follows
  (``followed_files``): the same columns, interruptions first.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from relais.access.cases import CaseAccess
from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.programmes.models import ProgrammeFile, Route

# Who reads a judicial file on the case page, per agency kind: the field naming the agency on
# the file, and the roles.
JUSTICE_READERS = {
    AgencyKind.HOUSE_OF_JUSTICE: ("house_of_justice", frozenset({Role.JUSTICE_ASSISTANT})),
    AgencyKind.PROSECUTOR: ("prosecutor_office",
                            frozenset({Role.LEGAL_ADVISOR, Role.MAGISTRATE})),
}


def is_programme(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.is_perpetrator_programme


def is_counsellor(actor: Actor) -> bool:
    """The programme's counsellors hold its files."""
    return is_programme(actor) and actor.has_role(Role.PROGRAMME_COUNSELLOR)


def may_set_rules(actor: Actor) -> bool:
    """The programme's administrator or a counsellor sets its rules and formats."""
    return is_programme(actor) and actor.has_role(Role.PROGRAMME_COUNSELLOR, Role.ADMINISTRATOR)


def require_counsellor(actor: Actor) -> None:
    if not is_counsellor(actor):
        raise Http404


def file_scope(actor: Actor) -> QuerySet[ProgrammeFile]:
    """The files the actor may open: her programme's, if she is one of its counsellors."""
    if not is_counsellor(actor):
        return ProgrammeFile.objects.none()
    return ProgrammeFile.objects.filter(agency_id=actor.agency_id)


def follows_files(actor: Actor) -> bool:
    """A house of justice's justice assistants follow the judicial files mandated to it."""
    agency = actor.agency
    if agency is None or agency.kind != AgencyKind.HOUSE_OF_JUSTICE:
        return False
    return bool(actor.roles & JUSTICE_READERS[AgencyKind.HOUSE_OF_JUSTICE][1])


def followed_files(actor: Actor) -> QuerySet[ProgrammeFile]:
    """The judicial programme files the actor's house of justice follows (none for anyone
    else): what the case page's panel shows them, for every case at once."""
    if not follows_files(actor):
        return ProgrammeFile.objects.none()
    return ProgrammeFile.objects.filter(route=Route.JUDICIAL, house_of_justice=actor.agency)


def panel_files(access: CaseAccess) -> tuple[QuerySet[ProgrammeFile], bool] | None:
    """The programme files of the case the reader sees on the case page, and whether she reads
    them as the programme (True) or as justice (False); None: no panel."""
    actor = access.actor
    agency = actor.agency
    if agency is None:
        return None
    files = ProgrammeFile.objects.filter(case=access.case)
    if agency.kind in JUSTICE_READERS:
        field_name, roles = JUSTICE_READERS[agency.kind]
        if not actor.roles & roles:
            return None
        return files.filter(route=Route.JUDICIAL, **{field_name: agency}), False
    if is_counsellor(actor):
        return files.filter(agency=agency), True
    return None
