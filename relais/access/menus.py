"""The main menu shows only what the reader's role can use (issue 19 §1).

Each app registers its menu entry with a predicate (``relais.core.nav.register_nav``). Most
entries' predicates are the screen's own rule (``justice.may_see_sections``,
``alarms.sees_alarms_menu``, ``courts.is_court``...). Those whose screen anyone may open, or
whose rule follows the agency's kind more than the person's work, are narrowed here to the
roles that work with them:

- **Case work** (``CASE_WORK_ROLES``): every role that reaches case files, except the
  dispatcher, whose only tool is the alarm board (the one-screen summary of a press). These
  roles see "My cases", "Search", the directory, referrals, linkage ("Same person?"), the API,
  and, with their agency's rule, the follow-up, transfers, measures and the consultation.
- **The dispatcher** sees "My cases" only when a case is opened to him (one query, for him
  alone); his menu is the alarms, the red-list look-up and his notices.
- **Family and youth courts** (their judges and clerks) work on the family proceedings: no
  follow-up queue, referrals, transfers, consultation, linkage or directory.
- **Figures, accounts, directory and helpline roles** (analysts, administrators, directory
  editors, helpline operators) see no case screen: the analyst the figures, the administrator
  the follow-up policy, devices and tokens; the directory editor the directory, the crises (a
  service's daily status) and the API; the helpline operator the call screen and the
  directory.

Menus are not access: a screen's own rule still answers 404 to whoever opens its address
without the right. ``relais/tests/test_landing.py`` asserts every role's menu.
"""

from __future__ import annotations

from relais.access import consultation as consultation_policy
from relais.access import courts as court_policy
from relais.access import crisis as crisis_policy
from relais.access import followup as followup_policy
from relais.access import helpline as helpline_policy
from relais.access import linkage as linkage_policy
from relais.access import measures as measure_policy
from relais.access import transfers as transfer_policy
from relais.access.accounts import may_manage_tokens
from relais.access.cases import sees_cases, visible_cases
from relais.access.directory import is_directory_editor
from relais.access.scopes import ROLE_REACH, Reach
from relais.accounts.models import Role
from relais.core.actor import Actor

# Roles that reach case files, but the dispatcher (his cases come with an alarm press).
CASE_WORK_ROLES: frozenset[str] = frozenset(
    role for role in Role.values if ROLE_REACH.get(role, Reach.ALL) > Reach.NONE
) - {Role.DISPATCHER}


def works_on_cases(actor: Actor) -> bool:
    return bool(actor.roles & CASE_WORK_ROLES)


def _case_work(actor: Actor) -> bool:
    """Case work outside a family or youth court (whose work is its proceedings)."""
    return works_on_cases(actor) and not court_policy.is_court(actor)


def shows_my_cases(actor: Actor) -> bool:
    """"My cases": case work; another role that reaches cases (the dispatcher) once he has one."""
    if works_on_cases(actor):
        return True
    return sees_cases(actor) and visible_cases(actor).exists()


def shows_search(actor: Actor) -> bool:
    return works_on_cases(actor)


def shows_followup(actor: Actor) -> bool:
    """The queues (an agency that receives tasks), or the zone's follow-up policy."""
    return ((_case_work(actor) and followup_policy.sees_followup(actor))
            or followup_policy.may_set_policy(actor))


def shows_directory(actor: Actor) -> bool:
    """Who refers, who keeps the entries, and the helpline that points callers to services."""
    return (_case_work(actor) or is_directory_editor(actor)
            or helpline_policy.may_record_calls(actor))


def shows_referrals(actor: Actor) -> bool:
    return _case_work(actor)


def shows_transfers(actor: Actor) -> bool:
    return _case_work(actor) and transfer_policy.may_answer_transfers(actor)


def shows_measures(actor: Actor) -> bool:
    return works_on_cases(actor) and measure_policy.may_list(actor)


def shows_consultation(actor: Actor) -> bool:
    """Members at the table; a platform's analysts for its bodies' figures."""
    return (consultation_policy.sees_consultation(actor)
            and not court_policy.is_court(actor))


def shows_linkage(actor: Actor) -> bool:
    return _case_work(actor) and linkage_policy.may_decide_links(actor)


def shows_crises(actor: Actor) -> bool:
    """Case work, those who declare crises, and directory editors (a service's daily status).
    The banner of a crisis in force shows to everyone whatever the menu."""
    return crisis_policy.sees_crises(actor) and (
        works_on_cases(actor) or is_directory_editor(actor)
        or crisis_policy.may_declare_somewhere(actor))


def shows_api(actor: Actor) -> bool:
    """Her own token: case work, the directory editor (the directory's API), and the
    administrator (who also lists and revokes her staff's tokens)."""
    return works_on_cases(actor) or is_directory_editor(actor) or may_manage_tokens(actor)
