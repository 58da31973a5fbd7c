"""Where each role lands after signing in, and when she clicks "Relais" (issue 19 §1).

The policy names a landing; the app that owns the screen registered the name with its address
(``relais.core.landing.register_landing``), so the policy knows no view and ``core`` no app.
A person with several roles lands on the first that applies, in the order of ``LANDINGS``
(the most specific work first); whoever matches none lands on "My cases".

- ``zone_today``: intervention, reception and IPV reference officers of a police zone; the
  day's deadlines over the zone's open cases (``followup:today``);
- ``followup_queue``: SAPV, EVA and neighbourhood officers; the follow-up work queue;
- ``prosecution_table``: legal advisors and magistrates of a prosecutor's office; the tracking
  table, overdue first;
- ``family_proceedings``: judges and clerks of a family or youth court; its proceedings;
- ``alarm_board``: dispatchers of a police zone; the alarm board;
- ``monitored_measures``: justice assistants; the residence bans to monitor (the programme
  files they follow reach them as notices and on the case page);
- ``referrals_received``: support and shelter workers; the referrals their service received;
- ``programme_files``: programme counsellors; the waiting list and files;
- ``consultation_bodies``: platform coordinators; the consultation bodies;
- ``helpline_call``: helpline operators; the call screen;
- ``figures``: analysts who see figures; ``helpline_figures``: a helpline's analysts;
- ``directory_entries``: directory editors; the entries to keep current, stale first;
- ``accounts``: agency administrators; the agency's accounts (its API tokens until the
  agency's account administration exists: one line in ``relais.accounts.apps``).
"""

from __future__ import annotations

from collections.abc import Callable

from relais.access import alarms as alarm_policy
from relais.access import courts as court_policy
from relais.access import helpline as helpline_policy
from relais.access import justice as justice_policy
from relais.access import measures as measure_policy
from relais.access import programmes as programme_policy
from relais.access.accounts import may_manage_tokens
from relais.access.cases import sees_cases
from relais.access.consultation import sees_consultation
from relais.access.directory import is_directory_editor
from relais.access.figures import sees_figures
from relais.access.followup import sees_followup
from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor

MY_CASES = "my_cases"


def _zone(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE


LANDINGS: tuple[tuple[str, Callable[[Actor], bool]], ...] = (
    ("zone_today", lambda a: _zone(a) and a.has_role(
        Role.INTERVENTION_OFFICER, Role.RECEPTION_OFFICER, Role.IPV_REFERENCE_OFFICER)),
    ("followup_queue", lambda a: sees_followup(a) and a.has_role(
        Role.VICTIM_ASSISTANCE_WORKER, Role.EVA_OFFICER, Role.NEIGHBOURHOOD_OFFICER)),
    ("prosecution_table", justice_policy.works_the_table),
    ("family_proceedings", court_policy.is_court),
    ("alarm_board", alarm_policy.is_dispatcher),
    ("monitored_measures", lambda a: a.has_role(Role.JUSTICE_ASSISTANT)
     and measure_policy.may_list(a)),
    ("referrals_received", lambda a: a.has_role(Role.SUPPORT_WORKER, Role.SHELTER_WORKER)
     and sees_cases(a)),
    ("programme_files", programme_policy.is_counsellor),
    ("consultation_bodies", lambda a: a.has_role(Role.PLATFORM_COORDINATOR)
     and sees_consultation(a)),
    ("helpline_call", helpline_policy.may_record_calls),
    ("figures", lambda a: a.has_role(Role.ANALYST) and sees_figures(a)),
    ("helpline_figures", helpline_policy.may_see_figures),
    ("directory_entries", is_directory_editor),
    ("accounts", may_manage_tokens),
)


def landing_for(actor: Actor) -> str:
    """The name of the actor's landing (no query)."""
    return next((name for name, applies in LANDINGS if applies(actor)), MY_CASES)
