"""Field scopes and how far each role reaches inside its own agency.

A scope is a group of fields that a share may or may not open. Identity (names, birth date,
roles in the case) comes with any access to a case; the scopes below are opened one by one.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Role


class Scope(models.TextChoices):
    JUDICIAL = "judicial", _("Judicial narrative")
    CONTACT = "contact", _("Contact details and whereabouts")
    CONFIDENTIAL_LOCATION = (
        "confidential_location", _("Confidential addresses and shelter locations"))
    HEALTH = "health", _("Health and vulnerability")


ALL_SCOPES: frozenset[str] = frozenset(Scope.values)
# What the agency that opened a case sees. Confidential addresses are seen by the agency that
# keeps them (see CaseAccess.address_visible), not by the owner as such.
OWNER_SCOPES: frozenset[str] = frozenset({Scope.JUDICIAL, Scope.CONTACT, Scope.HEALTH})
JUDICIAL_FORWARDING_SCOPES: frozenset[str] = frozenset({Scope.JUDICIAL, Scope.CONTACT})
BREAK_GLASS_SCOPES: frozenset[str] = frozenset({Scope.JUDICIAL, Scope.CONTACT, Scope.HEALTH})
# Scopes about one person (the others are about the case as a whole).
PERSON_SCOPES: frozenset[str] = frozenset(
    {Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION, Scope.HEALTH}
)
# Perpetrator-programme staff never see how to reach or find anyone but the perpetrator, nor
# the others' health and vulnerability data.
PERPETRATOR_PROGRAMME_WITHHELD: frozenset[str] = PERSON_SCOPES


# What a dispatcher of the zone sees when a victim presses her harassment alarm (COL 3/2023):
# the risk and the judicial facts needed to intervene, and how to reach the persons. Never a
# confidential address; no health data (see relais.access.alarms.alarm_summary_access).
ALARM_SUMMARY_SCOPES: frozenset[str] = frozenset({Scope.JUDICIAL, Scope.CONTACT})


# Pseudo-scope of timeline entries only the owning agency sees (who the case was shared with:
# a shelter referral must not tell a perpetrator programme where she is).
OWNER_ONLY = "owner"


class Reach(enum.IntEnum):
    """How far a role reaches into the cases its agency owns or receives."""

    NONE = 0  # figures or accounts only, never personal data
    ASSIGNED = 1  # only cases the user is assigned to
    ALL = 2  # every case of the agency and every case shared with it


ROLE_REACH: dict[str, Reach] = {
    Role.NEIGHBOURHOOD_OFFICER: Reach.ASSIGNED,
    Role.DISPATCHER: Reach.ASSIGNED,
    Role.ANALYST: Reach.NONE,
    Role.ADMINISTRATOR: Reach.NONE,
    Role.DIRECTORY_EDITOR: Reach.NONE,
    Role.HELPLINE_OPERATOR: Reach.NONE,  # anonymous calls (relais.helpline), never a case
}

# Roles that review who accessed their agency's cases and the break-glass accesses.
REVIEWER_ROLES: frozenset[str] = frozenset({Role.IPV_REFERENCE_OFFICER})


def reach_of(roles: frozenset[str]) -> Reach:
    return max((ROLE_REACH.get(role, Reach.ALL) for role in roles), default=Reach.NONE)


def scope_labels(scopes: frozenset[str] | set[str] | list[str]) -> list[str]:
    labels = dict(Scope.choices)
    return [str(labels[s]) for s in Scope.values if s in scopes]
