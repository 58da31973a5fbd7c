"""The summary at the top of the case page: what a professional must know at a glance.

Each item is read within the reader's access: the case file gives the children and the victim's
safe-contact rule (withheld without the contact scope) and gathers the measures in force from
``relais.cases.measures``; later parts add theirs with ``register_header_item(name, order=,
provider=fn)`` in their ``AppConfig.ready`` — the risk level with its trend and the critical
signals (``risk``), the next deadlines (``followup``), an open consultation (``consultation``).
``fn(access)`` returns the items the reader may see (an empty list hides them). The items are
part of the case read, which the case page audits; each provider reads a fixed number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess
from relais.access.scopes import Scope
from relais.cases.measures import measures_in_force
from relais.cases.models import ParticipantRole


@dataclass(frozen=True)
class HeaderLine:
    text: str
    url: str = ""
    tone: str = ""  # "", "warning" or "critical"


@dataclass(frozen=True)
class HeaderItem:
    key: str  # a stable code: "risk", "signals", "measures", "children", "deadlines"...
    label: str | Promise
    lines: tuple[HeaderLine, ...] = ()
    empty: str = ""  # said when there is no line ("None in force")
    withheld: bool = False  # exists, but not shared with the reader
    tone: str = ""
    order: int = 0


Provider = Callable[[CaseAccess], list[HeaderItem]]
PROVIDERS: dict[str, tuple[int, Provider]] = {}

# The order of the case file's own items among the others' (risk 10, signals 15, deadlines
# 40, consultation 50).
MEASURES_ORDER, CHILDREN_ORDER, SAFE_CONTACT_ORDER = 20, 30, 60


def register_header_item(name: str, *, order: int, provider: Provider) -> None:
    PROVIDERS[name] = (order, provider)


def age_on(birth_date, today) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day)
                                           < (birth_date.month, birth_date.day))


def _measures(access: CaseAccess) -> HeaderItem:
    lines = measures_in_force(access)
    label = _("Measures in force")
    if not lines and Scope.JUDICIAL not in access.scopes:
        return HeaderItem(key="measures", label=label, withheld=True, order=MEASURES_ORDER)
    return HeaderItem(key="measures", label=label, order=MEASURES_ORDER,
                      lines=tuple(HeaderLine(text=str(line.label)) for line in lines),
                      empty=_("None in force"), tone="warning" if lines else "")


def _children(participants) -> HeaderItem:
    today = timezone.localdate()
    lines = []
    for participant, person_view in participants:
        if participant.role != ParticipantRole.CHILD:
            continue
        person = person_view.person
        age = age_on(person.birth_date, today)
        text = (_("%(name)s, %(age)s years") % {"name": person.first_name, "age": age}
                if age is not None else person.first_name)
        lines.append(HeaderLine(text=text))
    return HeaderItem(key="children", label=_("Children"), lines=tuple(lines),
                      empty=_("No child recorded"), order=CHILDREN_ORDER)


def _safe_contact(participants) -> HeaderItem | None:
    victim = next((pv for participant, pv in participants
                   if participant.role == ParticipantRole.VICTIM), None)
    label = _("Safe contact")
    if victim is None:
        return None
    if not victim.sees_contact:
        return HeaderItem(key="safe_contact", label=label, withheld=True,
                          order=SAFE_CONTACT_ORDER)
    rule = victim.safe_contact
    if rule is None:
        return HeaderItem(key="safe_contact", label=label, order=SAFE_CONTACT_ORDER,
                          empty=_("No safe-contact rule recorded: ask her before any call"),
                          tone="warning")
    first = rule.get_channel_display() + (f", {rule.hours}" if rule.hours else "")
    lines = [HeaderLine(text=first)]
    lines += [HeaderLine(text=str(label_), tone="critical") for label_ in rule.never_labels()]
    return HeaderItem(key="safe_contact", label=label, lines=tuple(lines),
                      order=SAFE_CONTACT_ORDER)


def case_header(*, access: CaseAccess, participants) -> list[HeaderItem]:
    """The summary items of a case for the reader, in their order. ``participants``: the
    case view's (participant, person view) pairs, already within her access."""
    items: list[HeaderItem] = [_measures(access), _children(participants)]
    safe = _safe_contact(participants)
    if safe is not None:
        items.append(safe)
    for order, provider in PROVIDERS.values():
        items += [item if item.order else replace(item, order=order)
                  for item in provider(access)]
    return sorted(items, key=lambda item: item.order)
