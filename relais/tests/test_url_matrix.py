"""The access matrix generated from the URL configuration (issue 13).

Every named URL pattern of Relais, HTML and API, is asked for by every member of the fixed cast
(relais/conftest.py), GET and POST, against the objects of one demo-like world
(relais/tests/url_matrix_world.py). ``MATRIX`` below says, for each URL name, how its
arguments come from the world and who gets through; everybody else gets 404, whatever the
reason. "Gets through" is any answer but 404: a page (200), a redirect after an action (302),
a form or API error on an empty body (200, 400, 422), a method not allowed (405). A 403 or a
server error is never right. Anonymous visitors are sent to the sign-in page (HTML) or get 401
(API).

The expected sets are written from the policy (docs/access-policy.md and relais/access/), not
from what the code answers: a cell the code gets wrong says ``# DEFECT: ...`` and fails until
the code is fixed.

How to add a URL: give it a row in ``MATRIX`` (or, if it is public or not ours, a reason in
``EXEMPT``). ``test_every_url_has_a_row`` fails while one has none, and
``test_every_row_names_a_url`` while a row names a URL that is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from relais import conftest
from relais.conftest import api_client, verified_client
from relais.tests.url_matrix_world import (  # the arguments of a URL in the world
    World,
    activation,
    ban,
    body,
    build_world,
    case,
    csv_export,
    entry,
    group,
    hearing,
    meeting,
    none,
    plan,
    programme_file,
    report,
    safety_plan,
    service,
    task,
    victim,
)

# --- The cast, by the groups the policy speaks of ------------------------------------------

CAST = ("officer_a", "officer_b", "sapv_a", "neighbourhood_a", "reference_a", "analyst_a",
        "admin_a", "legal_advisor", "magistrate", "justice_assistant", "shelter_worker",
        "support_worker", "counsellor", "coordinator", "dispatcher_a")
EVERYONE = frozenset(CAST)
NOBODY: frozenset[str] = frozenset()


# In the world (relais/tests/url_matrix_world.py), zone A owns the case. The neighbourhood
# officer is assigned to it (by the report's revisit); the dispatcher is not. Zone B's officer
# opened it by break-glass (not yet reviewed). The case was forwarded to the prosecutor's
# office (judicial, contact), shared with the house of justice (judicial), referred to the
# shelter on the victim's consent (contact and confidential location on her) and to the
# programme (the perpetrator; judicial and contact). The support service and the platform
# hold no share.
ZONE_A = frozenset({"officer_a", "sapv_a", "neighbourhood_a", "reference_a", "analyst_a",
                    "admin_a", "dispatcher_a"})
POLICE = ZONE_A | {"officer_b"}
OFFICE = frozenset({"legal_advisor", "magistrate"})  # the prosecutor's office
FIGURES = OFFICE | {"analyst_a", "admin_a", "reference_a", "counsellor"}  # access.figures
# The owning agency, within the reach of each role (access.cases.owner_case_access).
OWNERS = frozenset({"officer_a", "sapv_a", "neighbourhood_a", "reference_a"})
CASE_READERS = OWNERS | OFFICE | {"officer_b", "justice_assistant", "shelter_worker",
                                  "counsellor"}
JUDICIAL_READERS = CASE_READERS - {"shelter_worker"}
# Contact scope on the victim (the programme never sees hers); health: owner, break-glass.
CONTACT_ON_VICTIM = OWNERS | OFFICE | {"officer_b", "shelter_worker"}
HEALTH_ON_VICTIM = OWNERS | {"officer_b"}
# Measures: police and justice agencies with the judicial scope (access.measures).
MEASURE_READERS = OWNERS | OFFICE | {"officer_b", "justice_assistant"}
POLICE_ON_CASE = OWNERS | {"officer_b"}
# The list of measures to watch: their staff who reach case files (access.measures.may_list).
MEASURE_WATCHERS = (POLICE | OFFICE | {"justice_assistant"}) - {"analyst_a", "admin_a"}
# The report's pages: the case policy and the judicial scope (access.intake).
BREAK_GLASS_USERS = frozenset({"officer_a", "officer_b", "sapv_a", "reference_a"}) | OFFICE
ZONE_RESULT_ROLES = frozenset({"admin_a", "analyst_a", "reference_a", "sapv_a"})
# Who sees the world's person link (access.linkage.link_scope).
LINK_READERS = OWNERS | OFFICE | {"officer_b"}
# The owning agency's staff who reach all its cases: they hand a case over or propose a merge
# (access.transfers.manages_case, access.merges.may_propose).
MANAGERS = frozenset({"officer_a", "sapv_a", "reference_a"})
# Staff who reach all their agency's cases: each answers the transfers to its agency.
REACH_ALL = EVERYONE - {"neighbourhood_a", "dispatcher_a", "analyst_a", "admin_a"}
# A URL that does not answer this method says 405 to everyone before looking anything up.
NOT_A_METHOD = EVERYONE

# The multi-agency consultation (access.consultation). The world's body is run from the
# platform (its coordinator coordinates it); its members are zone A, the office, the support
# service, the shelter, the programme and the house of justice, not zone B. Within a member
# agency, the staff who reach all its cases take part (REACH_ALL). The body heard a second case
# of zone A (not the cast's) with zone A, the support service, the programme and the platform
# present: the plan's consultation shares open that case to the support service, the
# programme and the platform (never to its owner, which needs none).
COORDINATOR = frozenset({"coordinator"})
MEMBERS = REACH_ALL - {"officer_b", "coordinator"}
AT_THE_TABLE = MEMBERS | COORDINATOR  # the body, its meetings and agendas, contributions
# Zone A referred the case: its referral is for its staff who take part and the coordinators.
REFERRAL_READERS = (ZONE_A & REACH_ALL) | COORDINATOR
# The record and the plan: the plan's participants (the agencies present and those given an
# action: zone A, the support service, the programme, which sees only its own actions) while
# the plan's share is in force, and the coordinators (issue 16: "the participants see it for
# the duration of the plan, and nobody else").
PLAN_READERS = (ZONE_A & REACH_ALL) | {"support_worker", "counsellor"} | COORDINATOR


@dataclass(frozen=True)
class Row:
    """One URL name: its arguments in the world, and who gets through on GET and on POST."""

    args: Callable[[World], dict[str, Any]]
    get: AbstractSet[str]
    post: AbstractSet[str]
    query: Callable[[World], str] = lambda w: ""
    data: dict[str, str] | None = None  # the minimal POST body (default: empty)


# The safety plan (access.safetyplan): victim-support workers who see the case make one; the
# world's plan is zone A's SAPV's, shown to the shelter on her consent.
SAFETY_PLAN_MAKERS = frozenset({"sapv_a", "shelter_worker"})
SAFETY_PLAN_READERS = frozenset({"sapv_a", "shelter_worker"})


MATRIX: dict[str, Row] = {
    # --- accounts: every signed-in user
    "accounts:logout": Row(none, NOT_A_METHOD, EVERYONE),
    "accounts:api_token": Row(none, EVERYONE, EVERYONE),
    # The agency's administrator lists her staff's tokens (access.accounts.may_manage_tokens);
    # a token is revoked by its user or by that administrator (access.accounts.may_revoke).
    "accounts:api_tokens": Row(none, {"admin_a"}, {"admin_a"}),
    "accounts:api_token_revoke": Row(lambda w: {"token_id": w.token.pk}, NOT_A_METHOD,
                                     {"admin_a"}),
    # --- cases (access.cases)
    "cases:my_cases": Row(none, EVERYONE, EVERYONE),  # her own list, empty if she sees none
    # may_open_case: roles that reach case files (not the analyst, not the administrator).
    # DEFECT: analyst_a and admin_a get the form (200); the service refuses only a valid one.
    "cases:case_open": Row(none, EVERYONE - {"analyst_a", "admin_a"},
                           EVERYONE - {"analyst_a", "admin_a"}),
    "cases:search": Row(none, EVERYONE, EVERYONE),  # her own search, in what she sees
    "cases:case_detail": Row(case, CASE_READERS, CASE_READERS),
    # The owner edits the case and identities. DEFECT: every case reader gets the form (200):
    # the view checks case_access, not owner_case_access.
    "cases:person_add": Row(case, OWNERS, OWNERS),
    "cases:note_add": Row(case, CASE_READERS, CASE_READERS),  # a note in a scope she sees
    "cases:person_detail": Row(victim, CASE_READERS, CASE_READERS),
    "cases:phone_add": Row(victim, CONTACT_ON_VICTIM, CONTACT_ON_VICTIM),
    "cases:address_add": Row(victim, CONTACT_ON_VICTIM, CONTACT_ON_VICTIM),
    "cases:safe_contact": Row(victim, CONTACT_ON_VICTIM, CONTACT_ON_VICTIM),
    # Correcting her identity: her owning agency (access.cases.person_access can_edit).
    "cases:person_edit": Row(victim, OWNERS, OWNERS),
    "cases:need_add": Row(victim, HEALTH_ON_VICTIM, HEALTH_ON_VICTIM),
    # Field history (access.history): as the record; fields she may not see are left out.
    "cases:case_history": Row(case, CASE_READERS, NOT_A_METHOD),
    "cases:person_history": Row(victim, CASE_READERS, NOT_A_METHOD),
    "cases:safe_contact_history": Row(victim, CONTACT_ON_VICTIM, NOT_A_METHOD),
    # The check before closing, and the closure: the owning agency's case staff (a write).
    "cases:case_close": Row(case, OWNERS, OWNERS),
    # Deleting a case recorded in error (access.deletion): the same, a write of the owner.
    "cases:case_delete": Row(case, OWNERS, OWNERS),
    # --- approvals (access.approvals): zone A's officer asked; zone A's supervisor (its IPV
    # reference officer) decides, never the officer himself, nobody of another agency.
    "approvals:list": Row(none, EVERYONE, NOT_A_METHOD),  # her own lists, empty if none
    "approvals:approve": Row(lambda w: {"request_id": w.approval.pk}, NOT_A_METHOD,
                             {"reference_a"}),
    "approvals:refuse": Row(lambda w: {"request_id": w.approval.pk}, NOT_A_METHOD,
                            {"reference_a"}),
    # --- shares, consent, break-glass, review (access.services, access.log)
    "access:referral_share": Row(case, OWNERS, OWNERS),
    "access:consultation": Row(case, OWNERS, OWNERS),
    "access:forward": Row(case, NOT_A_METHOD, OWNERS),
    "access:access_log": Row(case, {"reference_a"}, {"reference_a"}),
    # The owner or the recipient records the withdrawal.
    "access:consent_withdraw": Row(lambda w: {"consent_id": w.consent.pk}, NOT_A_METHOD,
                                   OWNERS | {"shelter_worker"}),
    "access:share_end": Row(lambda w: {"share_id": w.share.pk}, OWNERS, OWNERS),
    "access:break_glass": Row(none, BREAK_GLASS_USERS, BREAK_GLASS_USERS),
    "access:reviews": Row(none, EVERYONE, EVERYONE),  # her agency's pending list, else empty
    "access:review": Row(lambda w: {"share_id": w.break_glass.pk}, {"reference_a"},
                         {"reference_a"}),
    # --- intake (access.intake): recorded by the owning police zone, read in the judicial
    # scope
    "intake:report_new": Row(case, OWNERS, OWNERS),
    "intake:report_detail": Row(report, JUDICIAL_READERS, JUDICIAL_READERS),
    "intake:report_forward": Row(report, NOT_A_METHOD, OWNERS),
    "intake:report_document": Row(lambda w: {"report_id": w.report.pk, "document": "report"},
                                  JUDICIAL_READERS, JUDICIAL_READERS),
    "intake:wording_check": Row(none, NOT_A_METHOD, EVERYONE),  # checks a text, reads nothing
    # --- risk (access.risk): the police grid is offered to police zones
    "risk:assessment_new": Row(lambda w: {"case_id": w.cast.case.pk,
                                          "instrument_code": "police_grid"},
                               POLICE_ON_CASE, POLICE_ON_CASE),
    "risk:assessment_detail": Row(lambda w: {"assessment_id": w.assessment.pk},
                                  JUDICIAL_READERS, JUDICIAL_READERS),
    "risk:assessment_confirm": Row(lambda w: {"assessment_id": w.assessment.pk},
                                   NOT_A_METHOD, OWNERS),
    "risk:action_decide": Row(lambda w: {"action_id": w.action.pk}, NOT_A_METHOD, OWNERS),
    # --- notices (access.notifications): the notice is for zone A's reference officer
    "notifications:inbox": Row(none, EVERYONE, EVERYONE),  # her own inbox, empty if none
    "notifications:acknowledge": Row(lambda w: {"notice_id": w.notice.pk}, NOT_A_METHOD,
                                     {"reference_a"}),
    # --- directory (access.directory): every professional reads it; the shelter keeps its
    # entry; directory editors (none in the cast) create, import and export
    "directory:search": Row(none, EVERYONE, EVERYONE),
    "directory:new": Row(none, NOBODY, NOBODY),
    "directory:mine": Row(none, EVERYONE, EVERYONE),  # her agency's entries, empty if none
    "directory:import": Row(none, NOBODY, NOBODY),
    "directory:export": Row(lambda w: {"fmt": "csv"}, NOBODY, NOBODY),
    "directory:poster": Row(none, POLICE, POLICE),  # a police zone's (302 to the PDF)
    "directory:leaflet": Row(lambda w: {"refnis": "21009"}, EVERYONE, EVERYONE),
    "directory:detail": Row(service, EVERYONE, EVERYONE),
    "directory:edit": Row(service, {"shelter_worker"}, {"shelter_worker"}),
    "directory:capacity": Row(service, NOT_A_METHOD, {"shelter_worker"}),
    "directory:confirm": Row(service, NOT_A_METHOD, {"shelter_worker"}),
    "directory:history": Row(service, {"shelter_worker"}, NOT_A_METHOD),  # who may edit it
    # --- referrals (access.referrals): the referrer while she sees the case, the receiver
    "referrals:find_help": Row(case, OWNERS, OWNERS),
    "referrals:new": Row(case, OWNERS, OWNERS, query=lambda w: (
        f"?service={w.directory.support_fr.pk}&person={w.cast.victim_id}")),
    "referrals:list": Row(none, EVERYONE, EVERYONE),  # her agency's, either way
    "referrals:detail": Row(lambda w: {"referral_id": w.referral.pk},
                            OWNERS | {"shelter_worker"}, OWNERS | {"shelter_worker"}),
    # DEFECT: everyone gets 302 on an empty body, and on a missing referral: the form is
    # validated before side_of().
    "referrals:step": Row(lambda w: {"referral_id": w.referral.pk}, NOT_A_METHOD,
                          OWNERS | {"shelter_worker"}),
    # --- follow-up (access.followup): the task is zone A's, for its SAPV
    "followup:queue": Row(none, EVERYONE, EVERYONE),  # her agency's tasks, empty if none
    "followup:calendar": Row(none, EVERYONE, EVERYONE),
    "followup:task": Row(task, OWNERS, OWNERS),
    "followup:take": Row(task, NOT_A_METHOD, {"sapv_a", "reference_a"}),
    "followup:cancel": Row(task, NOT_A_METHOD, {"reference_a"}),  # unassigned: coordinator
    "followup:crisis": Row(none, {"reference_a"}, {"reference_a"}),
    "followup:crisis_undo": Row(lambda w: {"batch_id": w.batch.pk}, NOT_A_METHOD,
                                {"reference_a"}),
    # --- crisis: the most vulnerable households and the child reflex (access.crisis_followup)
    "followup:vulnerable": Row(none, {"reference_a"}, {"reference_a"}),
    "followup:child_reflex": Row(none, NOT_A_METHOD, {"reference_a"}),
    "followup:policy": Row(none, {"admin_a"}, {"admin_a"}),
    "followup:neighbourhood_new": Row(none, {"admin_a"}, {"admin_a"}),
    "followup:neighbourhood": Row(lambda w: {"neighbourhood_id": w.neighbourhood.pk},
                                  {"admin_a"}, {"admin_a"}),
    "followup:indicator": Row(none, ZONE_RESULT_ROLES, ZONE_RESULT_ROLES),
    # --- feedback (access.feedback)
    "feedback:results": Row(none, ZONE_RESULT_ROLES, ZONE_RESULT_ROLES),
    # --- prosecution (access.justice): the office's legal advisor and magistrate; sections
    # edited by the magistrate
    "justice:table": Row(none, OFFICE, OFFICE),
    "justice:entry": Row(entry, OFFICE, OFFICE),
    "justice:entry_reader": Row(entry, NOT_A_METHOD, OFFICE),
    "justice:entry_merge": Row(entry, OFFICE, OFFICE),
    # --- linkage (access.linkage). The link joins the case's victim and zone B's own record of
    # her: it is seen by whoever sees one side and may be matched against the other (the
    # judicial chain: zone A's staff who reach the case, zone B, the office). The house of
    # justice, the shelter and the programme see the case but are matched only among the cases
    # they see: zone B's is not one of them.
    "linkage:proposals": Row(case, NOT_A_METHOD, OWNERS),
    "linkage:family": Row(case, CASE_READERS, CASE_READERS),
    # Reactivation: the owner moves a new case onto an earlier file (an empty body: an error
    # message and a redirect for the owner).
    "linkage:continue": Row(case, NOT_A_METHOD, OWNERS),
    "linkage:queue": Row(none, EVERYONE - {"analyst_a", "admin_a"},
                         EVERYONE - {"analyst_a", "admin_a"}),
    # A linkage batch (look again in one's agency's open cases): whoever decides links; a
    # job for those whose agency holds open cases, an error message for the others.
    "linkage:rescan": Row(none, NOT_A_METHOD, EVERYONE - {"analyst_a", "admin_a"}),
    "linkage:link": Row(lambda w: {"link_id": w.link.pk}, LINK_READERS, LINK_READERS),
    "linkage:link_undo": Row(lambda w: {"link_id": w.link.pk}, NOT_A_METHOD, LINK_READERS),
    # The office's merges; a police zone's staff who reach all its cases: its merges by
    # agreement (access.merges.sees_merges).
    "justice:merges": Row(none, OFFICE | MANAGERS | {"officer_b"},
                          OFFICE | MANAGERS | {"officer_b"}),
    # Merging by agreement (access.merges): zone A proposed, zone B answers.
    "justice:proposal_new": Row(case, MANAGERS, MANAGERS),
    "justice:proposal": Row(lambda w: {"proposal_id": w.proposal.pk},
                            MANAGERS | {"officer_b"}, {"officer_b"}),
    "justice:proposal_cancel": Row(lambda w: {"proposal_id": w.proposal.pk}, NOT_A_METHOD,
                                   MANAGERS),
    "justice:merge_undo": Row(lambda w: {"merge_id": w.merge.pk}, OFFICE, OFFICE),
    "justice:sections": Row(none, OFFICE, OFFICE),
    "justice:section_new": Row(none, {"magistrate"}, {"magistrate"}),
    "justice:section": Row(lambda w: {"section_id": w.section.pk}, {"magistrate"},
                           {"magistrate"}),
    # --- measures (access.measures)
    # --- family and youth courts (access.courts; issue 18 §3). No cast member is a court: the
    # court's list and the recording are nobody's here. The prosecutor's office and the owning
    # zone's staff who reach all its cases (not the neighbourhood officer) open the case to a
    # court; the records are read as the measures are (police and justice with the judicial
    # scope); the court's notice to zone A by zone A's staff who see the case.
    "family:list": Row(none, NOBODY, NOBODY),
    "family:proceeding_new": Row(case, NOBODY, NOBODY),
    "family:open_to_court": Row(case, MANAGERS | OFFICE, MANAGERS | OFFICE),
    "family:proceeding": Row(lambda w: {"proceeding_id": w.family_proceeding.pk},
                             MEASURE_READERS, NOT_A_METHOD),
    "family:proceeding_end": Row(lambda w: {"proceeding_id": w.family_proceeding.pk},
                                 NOT_A_METHOD, NOBODY),
    "family:notice": Row(lambda w: {"notice_id": w.link_notice.pk}, OWNERS, NOT_A_METHOD),
    "measures:list": Row(none, MEASURE_WATCHERS, MEASURE_WATCHERS),
    "measures:ban_new": Row(case, OFFICE, OFFICE),
    "measures:ban": Row(ban, MEASURE_READERS, MEASURE_READERS),
    "measures:ban_history": Row(ban, MEASURE_READERS, NOT_A_METHOD),
    "measures:ban_notice": Row(ban, MEASURE_READERS, MEASURE_READERS,
                               query=lambda w: "?lang=fr"),
    "measures:ban_serve": Row(ban, NOT_A_METHOD, POLICE_ON_CASE),
    "measures:ban_extend": Row(ban, OFFICE, OFFICE),  # the ordering office
    "measures:ban_lift": Row(ban, NOT_A_METHOD, OFFICE),
    "measures:ban_breach": Row(ban, POLICE_ON_CASE | OFFICE, POLICE_ON_CASE | OFFICE),
    "measures:ban_stay": Row(ban, NOT_A_METHOD, POLICE_ON_CASE | OFFICE),
    "measures:detention_new": Row(case, POLICE_ON_CASE | OFFICE, POLICE_ON_CASE | OFFICE),
    # The house of justice reads detention and release, never records them.
    "measures:detention": Row(lambda w: {"detention_id": w.detention.pk}, MEASURE_READERS,
                              POLICE_ON_CASE | OFFICE),
    "measures:detention_history": Row(lambda w: {"detention_id": w.detention.pk},
                                      MEASURE_READERS, NOT_A_METHOD),
    # --- transfers (access.transfers): zone A asked zone B to take the case over
    "transfers:request": Row(case, MANAGERS, MANAGERS),
    "transfers:inbox": Row(none, REACH_ALL, REACH_ALL),  # her agency's, either way
    "transfers:transfer": Row(lambda w: {"transfer_id": w.transfer.pk},
                              MANAGERS | {"officer_b"}, {"officer_b"}),
    "transfers:cancel": Row(lambda w: {"transfer_id": w.transfer.pk}, NOT_A_METHOD, MANAGERS),
    # --- harassment alarm (access.alarms)
    # The board: dispatchers; the others who have a part are led to it (302).
    "alarms:board": Row(none, {"dispatcher_a", "officer_a", "officer_b", "sapv_a",
                               "reference_a", "admin_a"} | OFFICE,
                        {"dispatcher_a", "officer_a", "officer_b", "sapv_a", "reference_a",
                         "admin_a"} | OFFICE),
    "alarms:summary": Row(activation, {"dispatcher_a"}, {"dispatcher_a"}),
    "alarms:handle": Row(activation, NOT_A_METHOD, {"dispatcher_a"}),
    # request_scope: the zone's requesters who reach every case, the deciding office.
    "alarms:requests": Row(none, {"officer_a", "officer_b", "sapv_a", "reference_a"} | OFFICE,
                           {"officer_a", "officer_b", "sapv_a", "reference_a"} | OFFICE),
    # The request page: the same people as the requests list (the zone's requesters, the
    # office's deciders), with the judicial scope (access.alarms.may_open_request); each form
    # posts its action here: deciding is the office's (access.alarms.may_decide).
    "alarms:request": Row(lambda w: {"request_id": w.assignment.request_id},
                          (OWNERS - {"neighbourhood_a"}) | OFFICE,
                          OFFICE, data={"action": "decide"}),
    "alarms:devices": Row(none, {"reference_a", "admin_a"}, {"reference_a", "admin_a"}),
    "alarms:device": Row(lambda w: {"device_id": w.assignment.device_id},
                         {"reference_a", "admin_a"}, {"reference_a", "admin_a"}),
    "alarms:request_new": Row(case, {"officer_a", "sapv_a", "reference_a"},
                              {"officer_a", "sapv_a", "reference_a"}),
    # --- perpetrator programme (access.programmes): its counsellors only
    "programmes:files": Row(none, {"counsellor"}, {"counsellor"}),
    # The judicial files a house of justice follows: its justice assistants.
    "programmes:followed": Row(none, {"justice_assistant"}, NOT_A_METHOD),
    "programmes:file_new": Row(none, {"counsellor"}, {"counsellor"}),
    "programmes:file_from_referral": Row(lambda w: {"referral_id": w.pending_referral.pk},
                                         {"counsellor"}, {"counsellor"}),
    "programmes:file": Row(programme_file, {"counsellor"}, {"counsellor"}),
    "programmes:activity_new": Row(programme_file, {"counsellor"}, {"counsellor"}),
    "programmes:file_group": Row(programme_file, {"counsellor"}, {"counsellor"}),
    "programmes:file_substances": Row(programme_file, {"counsellor"}, {"counsellor"}),
    "programmes:groups": Row(none, {"counsellor"}, {"counsellor"}),
    "programmes:group": Row(group, {"counsellor"}, {"counsellor"}),
    "programmes:group_close": Row(group, NOT_A_METHOD, {"counsellor"}),
    "programmes:settings": Row(none, {"counsellor"}, {"counsellor"}),
    "programmes:format_new": Row(none, {"counsellor"}, {"counsellor"}),
    "programmes:format": Row(lambda w: {"format_id": w.group_format.pk}, {"counsellor"},
                             {"counsellor"}),
    # --- the multi-agency consultation (access.consultation; see the groups above)
    # The menu's list: every agency that can sit at a table (sees_consultation, no query);
    # zone B's is empty.
    "consultation:bodies": Row(none, REACH_ALL, REACH_ALL),
    "consultation:body": Row(body, AT_THE_TABLE, AT_THE_TABLE),
    "consultation:board": Row(body, COORDINATOR, COORDINATOR),
    "consultation:meeting_new": Row(body, COORDINATOR, COORDINATOR),
    # A member refers a case her agency sees (the cast's case: not referred yet); zone B sees
    # it too but is no member.
    "consultation:refer": Row(lambda w: {"case_id": w.cast.case.pk,
                                         "body_id": w.table.body.pk},
                              CASE_READERS & MEMBERS, CASE_READERS & MEMBERS),
    "consultation:referral": Row(lambda w: {"referral_id": w.table.referral.pk},
                                 REFERRAL_READERS, REFERRAL_READERS),
    # Withdrawing (the referral was heard: an error message and a redirect).
    "consultation:referral_withdraw": Row(lambda w: {"referral_id": w.table.referral.pk},
                                          NOT_A_METHOD, REFERRAL_READERS),
    # The agenda (minimal identification) and, for the plan's readers, the record.
    "consultation:meeting": Row(meeting, AT_THE_TABLE, AT_THE_TABLE),
    "consultation:agenda_pdf": Row(meeting, AT_THE_TABLE, AT_THE_TABLE,
                                   query=lambda w: "?lang=nl"),
    # The coordinators build the agenda and record the meeting.
    "consultation:agenda_add": Row(meeting, NOT_A_METHOD, COORDINATOR),
    "consultation:attendance": Row(meeting, NOT_A_METHOD, COORDINATOR),
    "consultation:meeting_close": Row(meeting, NOT_A_METHOD, COORDINATOR),
    "consultation:hearing": Row(hearing, COORDINATOR, COORDINATOR),
    "consultation:agenda_remove": Row(hearing, NOT_A_METHOD, COORDINATOR),
    # Each member agency (and the secretariat) tells what it knows until the meeting is closed.
    "consultation:contribution": Row(hearing, AT_THE_TABLE, AT_THE_TABLE),
    # Zone A, the owner, was present: it needs no share of its own case, and the plan leads
    # its own actions to their guided screens (the alarm request: only the owning zone's).
    "consultation:plan": Row(plan, PLAN_READERS, PLAN_READERS),
    # Each agency's plan PDF (its own actions; a coordinator picks the agency): the plan's
    # readers.
    "consultation:plan_pdf": Row(plan, PLAN_READERS, PLAN_READERS, query=lambda w: "?lang=fr"),
    "consultation:action_new": Row(plan, COORDINATOR, COORDINATOR),
    "consultation:plan_close": Row(plan, NOT_A_METHOD, COORDINATOR),
    # The body's administration: its coordinators.
    "consultation:body_admin": Row(body, COORDINATOR, COORDINATOR),
    "consultation:member_save": Row(body, NOT_A_METHOD, COORDINATOR),
    "consultation:member_remove": Row(lambda w: {"membership_id": w.table.membership.pk},
                                      NOT_A_METHOD, COORDINATOR),
    "consultation:criteria": Row(body, COORDINATOR, COORDINATOR),
    # The figures: its coordinators and the platform's analysts (none in the cast; zone A's
    # analyst is not the secretariat's).
    "consultation:figures": Row(body, COORDINATOR, NOT_A_METHOD),
    "consultation:figures_export": Row(lambda w: body(w) | csv_export(w), COORDINATOR,
                                       NOT_A_METHOD),
    # --- the helpline call log (access.helpline): a helpline's operators record and list its
    # calls, its analysts read its figures. The cast has no helpline (zone A's analyst is not
    # a helpline's): everyone gets 404 (relais/helpline/tests/test_views.py has the insiders).
    "helpline:call_new": Row(none, NOBODY, NOBODY),
    "helpline:calls": Row(none, NOBODY, NOT_A_METHOD),
    "helpline:figures": Row(none, NOBODY, NOT_A_METHOD),
    "helpline:figures_export": Row(csv_export, NOBODY, NOT_A_METHOD),
    # --- the femicide register (access.femicide): the office, and the reviewers it names
    # (zone A's reference officer, for the world's record: its page and review only).
    "femicide:list": Row(none, OFFICE, OFFICE),
    "femicide:new": Row(none, OFFICE, OFFICE),
    "femicide:figures": Row(none, OFFICE, OFFICE),
    "femicide:figures_export": Row(csv_export, OFFICE, NOT_A_METHOD),
    "femicide:record": Row(lambda w: {"record_id": w.femicide.pk}, OFFICE | {"reference_a"},
                           OFFICE | {"reference_a"}),
    "femicide:contact_add": Row(lambda w: {"record_id": w.femicide.pk}, NOT_A_METHOD, OFFICE),
    "femicide:reviewers": Row(lambda w: {"record_id": w.femicide.pk}, NOT_A_METHOD, OFFICE),
    # --- crisis mode (access.crisis): everyone sees the crises; the office's magistrates (and
    # administrators) declare, lift and debrief for its district; a platform's coordinators for
    # its area (the cast's platform has no jurisdiction: none). A service's own staff confirm
    # its status (access.directory.may_edit).
    "crisis:list": Row(none, EVERYONE, NOT_A_METHOD),
    "crisis:declare": Row(none, {"magistrate"}, {"magistrate"}),
    "crisis:detail": Row(lambda w: {"crisis_id": w.crisis.pk}, EVERYONE, NOT_A_METHOD),
    "crisis:lift": Row(lambda w: {"crisis_id": w.crisis.pk}, NOT_A_METHOD, {"magistrate"}),
    "crisis:debrief": Row(lambda w: {"crisis_id": w.crisis.pk}, {"magistrate"}, {"magistrate"}),
    "crisis:confirm": Row(lambda w: {"service_id": w.directory.shelter.pk}, NOT_A_METHOD,
                          {"shelter_worker"}),
    # --- the safeguards (access.safeguards, issue 18 §4-5): her residence is health data
    # (owner, break-glass); hospital alerts are set and ended by a health service only (none
    # in the cast: the world's alert is a hospital's outside it).
    "safeguards:residence_new": Row(case, HEALTH_ON_VICTIM, HEALTH_ON_VICTIM),
    "safeguards:alert_new": Row(case, NOBODY, NOBODY),
    "safeguards:alert_end": Row(lambda w: {"alert_id": w.hospital_alert.pk}, NOT_A_METHOD,
                                NOBODY),
    # --- the figures (access.figures): a zone's analysts, administrators and reference
    # officers; an office's magistrates, legal advisors and analysts. Counts only.
    # A programme's counsellors see their programme's figures.
    "figures:dashboard": Row(none, FIGURES, FIGURES),
    "figures:export": Row(csv_export, FIGURES, NOT_A_METHOD),
    # Partner series (counts published by partners): whoever sees figures reads them; only
    # analysts import (access.figures.may_see_series, may_import_series).
    "figures:series_list": Row(none, FIGURES, NOT_A_METHOD),
    "figures:series_upload": Row(none, {"analyst_a"}, {"analyst_a"}),
    "figures:series_detail": Row(lambda w: {"series_id": w.series.pk}, FIGURES,
                                 NOT_A_METHOD),
    # Consent to reporting: a person's refusal to be counted is recorded and withdrawn by
    # whoever may edit the persons of the case (access.figures.may_record_refusal: the owning
    # agency within each role's reach). An empty POST is a form error (200).
    "figures:refusal_new": Row(case, OWNERS, OWNERS),
    "figures:refusal_withdraw": Row(
        lambda w: {"case_id": w.cast.case.pk, "refusal_id": w.refusal.pk}, OWNERS, OWNERS),
    # --- the red list for dispatch (access.redlist): the zone's reference officer and the
    # prosecutor's office put entries; the world's entry is zone A's (the office does not see
    # it); the dispatchers look up. An empty POST on review / lift is a form error (302).
    "redlist:entries": Row(none, {"reference_a"} | OFFICE, NOT_A_METHOD),
    "redlist:entry_new": Row(none, {"reference_a"} | OFFICE, {"reference_a"} | OFFICE),
    "redlist:entry": Row(lambda w: {"entry_id": w.redlist.pk}, {"reference_a"}, NOT_A_METHOD),
    "redlist:entry_extend": Row(lambda w: {"entry_id": w.redlist.pk}, NOT_A_METHOD,
                                {"reference_a"}),
    "redlist:entry_lift": Row(lambda w: {"entry_id": w.redlist.pk}, NOT_A_METHOD,
                              {"reference_a"}),
    "redlist:lookup": Row(none, {"dispatcher_a"}, {"dispatcher_a"}),
    # --- the API (same policy as the screens)
    # Both require sign-in (issue 13, section 3).
    "api:schema": Row(none, EVERYONE, NOT_A_METHOD),
    "api:docs": Row(none, EVERYONE, NOT_A_METHOD),
    "api:case_list": Row(none, EVERYONE, EVERYONE - {"analyst_a", "admin_a"}),
    "api:case_detail": Row(case, CASE_READERS, NOT_A_METHOD),
    "api:case_persons": Row(case, NOT_A_METHOD, OWNERS),
    "api:person_detail": Row(victim, CASE_READERS, NOT_A_METHOD),
    "api:person_safe_contact": Row(victim, CONTACT_ON_VICTIM, NOT_A_METHOD),
    "api:directory_search": Row(none, EVERYONE, NOT_A_METHOD),
    "api:directory_detail": Row(service, EVERYONE, NOT_A_METHOD),
    # Only its keeper updates it (access.directory.may_edit).
    "api:directory_capacity": Row(service, NOT_A_METHOD, {"shelter_worker"}),
    # Only the alarm platform's gateway token presses an alarm (alarms/tests/test_api.py); a
    # personal token or a session gets 404, on every method.
    "api:alarm_activations": Row(none, NOBODY, NOBODY),
    "api:alarm_summary": Row(activation, {"dispatcher_a"}, NOT_A_METHOD),
    # The red-list look-up: the zone's dispatch gateway token only (redlist/tests/test_api.py).
    "api:redlist_lookup": Row(none, NOBODY, NOBODY),
    # --- landing (issue 19 §1): "/" sends everyone to her own work (access.landing)
    "home": Row(none, EVERYONE, NOT_A_METHOD),
    # The zone's day: her agency's deadlines and open cases, empty if she sees none.
    "followup:today": Row(none, EVERYONE, NOT_A_METHOD),
    # --- agency administration (issue 19 §6; access.accounts): the agency's administrator,
    # on her own agency's accounts (the cast's officer is zone A's); the reset was asked by
    # zone A's other administrator, so she is the second person who may confirm it.
    "accounts:agency_accounts": Row(none, {"admin_a"}, {"admin_a"}),
    "accounts:agency_invite": Row(none, {"admin_a"}, {"admin_a"}),
    "accounts:agency_account": Row(lambda w: {"user_id": w.cast.officer_a.pk}, {"admin_a"},
                                   {"admin_a"}),
    "accounts:agency_account_roles": Row(lambda w: {"user_id": w.cast.officer_a.pk},
                                         NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_account_deactivate": Row(lambda w: {"user_id": w.cast.officer_a.pk},
                                              NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_account_reactivate": Row(lambda w: {"user_id": w.cast.officer_a.pk},
                                              NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_invitation_resend": Row(lambda w: {"user_id": w.cast.officer_a.pk},
                                             NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_reset_request": Row(lambda w: {"user_id": w.cast.officer_a.pk},
                                         NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_reset_confirm": Row(lambda w: {"reset_id": w.second_factor_reset.pk},
                                         NOT_A_METHOD, {"admin_a"}),
    "accounts:agency_reset_cancel": Row(lambda w: {"reset_id": w.second_factor_reset.pk},
                                        NOT_A_METHOD, {"admin_a"}),
    # --- list exports (issue 19 §5; relais.core.exports): the same people as the list, GET
    # only. The follow-up queue, the referrals and the transfers: each agency's own rows.
    "justice:table_export": Row(csv_export, OFFICE, NOT_A_METHOD),
    "followup:queue_export": Row(csv_export, EVERYONE, NOT_A_METHOD),
    "measures:list_export": Row(csv_export, MEASURE_WATCHERS, NOT_A_METHOD),
    "referrals:list_export": Row(csv_export, EVERYONE, NOT_A_METHOD),
    "programmes:files_export": Row(csv_export, {"counsellor"}, NOT_A_METHOD),
    "alarms:board_export": Row(csv_export, {"dispatcher_a"}, NOT_A_METHOD),
    "alarms:requests_export": Row(csv_export, {"officer_a", "officer_b", "sapv_a",
                                               "reference_a"} | OFFICE, NOT_A_METHOD),
    "access:access_log_export": Row(lambda w: {"case_id": w.cast.case.pk, "fmt": "csv"},
                                    {"reference_a"}, NOT_A_METHOD),
    "transfers:inbox_export": Row(csv_export, REACH_ALL, NOT_A_METHOD),
    # --- amendments (access.amendments): the record's own agency corrects it by an addendum:
    # the report, zone A's staff who may record reports; the assessment, zone A's staff who
    # may use the police grid and read it.
    "amendments:report_amend": Row(report, OWNERS, OWNERS),
    "amendments:assessment_amend": Row(lambda w: {"assessment_id": w.assessment.pk}, OWNERS,
                                       OWNERS),
    # The case page's sections, loaded when opened (issue 19): the case's own policy and audit;
    # a section with nothing for her says so (200), like a page she may read.
    "cases:case_panel": Row(lambda w: {"case_id": w.cast.case.pk, "panel": "intake"},
                            CASE_READERS, NOT_A_METHOD),
    # The municipality of a postcode as she types (reference data, stores and reads nothing).
    "intake:postcode_municipality": Row(none, NOT_A_METHOD, EVERYONE),
    # Long work (relais.core.jobs, access.jobs): a job is its author's alone.
    "core:job": Row(lambda w: {"job_id": w.job.pk}, {"reference_a"}, NOT_A_METHOD),
    "core:job_cancel": Row(lambda w: {"job_id": w.job.pk}, NOT_A_METHOD, {"reference_a"}),
    # --- issue 19 §4: the same policy as the screens' rows above
    # Records: read in the judicial scope (intake:report_detail); recorded by the owning
    # police zone (intake:report_new; an empty body is a 400 for them).
    "api:case_reports": Row(case, JUDICIAL_READERS, OWNERS),
    "api:report_detail": Row(report, JUDICIAL_READERS, NOT_A_METHOD),
    # A case's assessments: every case reader (those she may see, maybe none). Recording
    # needs an instrument offered to her agency (risk:assessment_new), named in the body: an
    # empty body is a 400 for every case reader, a valid one a 404 outside police zones
    # (risk/tests/test_api.py).
    "api:case_assessments": Row(case, CASE_READERS, CASE_READERS),
    "api:assessment_detail": Row(lambda w: {"assessment_id": w.assessment.pk},
                                 JUDICIAL_READERS, NOT_A_METHOD),
    "api:referral_list": Row(none, EVERYONE, NOT_A_METHOD),  # her agency's, either way
    "api:referral_detail": Row(lambda w: {"referral_id": w.referral.pk},
                               OWNERS | {"shelter_worker"}, NOT_A_METHOD),
    "api:referral_steps": Row(lambda w: {"referral_id": w.referral.pk}, NOT_A_METHOD,
                              OWNERS | {"shelter_worker"}),
    "api:task_list": Row(none, EVERYONE, NOT_A_METHOD),  # her queue, empty if none
    "api:task_detail": Row(task, OWNERS, NOT_A_METHOD),
    "api:task_take": Row(task, NOT_A_METHOD, {"sapv_a", "reference_a"}),
    "api:task_cancel": Row(task, NOT_A_METHOD, {"reference_a"}),
    "api:entry_list": Row(none, OFFICE, NOT_A_METHOD),
    "api:entry_detail": Row(entry, OFFICE, NOT_A_METHOD),
    "api:ban_list": Row(none, MEASURE_WATCHERS, NOT_A_METHOD),
    "api:ban_detail": Row(ban, MEASURE_READERS, NOT_A_METHOD),
    "api:detention_list": Row(none, MEASURE_WATCHERS, NOT_A_METHOD),
    "api:detention_detail": Row(lambda w: {"detention_id": w.detention.pk}, MEASURE_READERS,
                                NOT_A_METHOD),
    "api:programme_file_list": Row(none, {"counsellor"}, NOT_A_METHOD),
    "api:programme_file_detail": Row(programme_file, {"counsellor"}, NOT_A_METHOD),
    # --- the victim's own safety plan (access.safetyplan; issue 20 §5). Zone A's SAPV made a
    # plan with the victim, who consented to show it to the shelter (which sees the case on her
    # referral). Victim-support workers who see the case make plans: zone A's SAPV and the
    # shelter's worker. The plan is read by its service's support staff (not zone A's officers)
    # and the shelter; reviewed, and consents recorded, by its service only. Never the programme.
    "safetyplan:new": Row(lambda w: {"case_id": w.cast.case.pk, "person_id": w.cast.victim_id},
                          SAFETY_PLAN_MAKERS, SAFETY_PLAN_MAKERS),
    "safetyplan:plan": Row(safety_plan, SAFETY_PLAN_READERS, NOT_A_METHOD),
    "safetyplan:review": Row(safety_plan, {"sapv_a"}, {"sapv_a"}),
    "safetyplan:confirm": Row(safety_plan, NOT_A_METHOD, {"sapv_a"}),
    "safetyplan:versions": Row(safety_plan, SAFETY_PLAN_READERS, NOT_A_METHOD),
    "safetyplan:version": Row(lambda w: {"plan_id": w.safety_plan.pk, "number": 1},
                              SAFETY_PLAN_READERS, NOT_A_METHOD),
    "safetyplan:print": Row(safety_plan, SAFETY_PLAN_READERS, NOT_A_METHOD,
                            query=lambda w: "?lang=nl"),
    "safetyplan:consent": Row(safety_plan, NOT_A_METHOD, {"sapv_a"}),
    "safetyplan:consent_revoke": Row(lambda w: {"consent_id": w.safety_plan_consent.pk},
                                     NOT_A_METHOD, {"sapv_a"}),
}

# Patterns with no row, and why. A name ending in ":" stands for a whole namespace; an unnamed
# pattern is named by its route.
EXEMPT = {
    "accounts:login": "sign-in, step 1: public",
    "accounts:verify": "sign-in, step 2: the password step's session, before any access",
    "accounts:enroll": "sign-in, enrolling the second factor: the same",
    "accounts:invitation": "the invitation e-mail's one-time link: public, the key is the proof",
    "accounts:invitation_password": "the same link's password step (the key in the session)",
    "directory:public": "the public service finder (/help/): public entries for victims",
    "directory:public_language": "the public service finder in one language",
    "feedback:entry": "the anonymous feedback form for victims: public",
    "feedback:entry_language": "the same, in one language",
    "feedback:form": "the same, reached by the code on the flyer",
    "feedback:form_language": "the same, in one language",
    "set_language": "Django's language switch: no data",
    "admin:": "Django's admin: superusers with a second factor (django-otp), not the policy",
    "health": "for the reverse proxy: no database, no personal data",
    "favicon.ico": "no icon: an empty answer",
}

def url_patterns(resolver: URLResolver | None = None, namespace: str = ""
                 ) -> Iterator[tuple[str, URLPattern]]:
    """Every pattern of the URL configuration, as ``namespace:name`` (or its route)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, inner)
        else:
            name = pattern.name or str(pattern.pattern)
            yield (f"{namespace}:{name}" if namespace else name), pattern


def exempt(name: str) -> bool:
    return name in EXEMPT or any(key.endswith(":") and name.startswith(key) for key in EXEMPT)


def test_every_url_has_a_row():
    missing = sorted(name for name, _p in url_patterns()
                     if name not in MATRIX and not exempt(name))
    assert missing == [], f"URL patterns with no row in MATRIX (nor a reason in EXEMPT): {missing}"


def test_every_row_names_a_url():
    names = {name for name, _p in url_patterns()}
    gone = sorted(name for name in [*MATRIX, *EXEMPT]
                  if name not in names and not (name.endswith(":") and
                                                any(n.startswith(name) for n in names)))
    assert gone == [], f"Rows naming no URL pattern: {gone}"


# --- The world, built once for the module --------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The cast and its world, built once and rolled back after the module. Each test runs in
    its own transaction inside (pytest-django's ``db``), and each request in a savepoint that
    is rolled back, so that no answer depends on the requests before it."""
    # The cast fixture's own function (relais/conftest.py), called outside a test.
    build_cast = conftest.cast._get_wrapped_function()
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(build_cast(None))
        transaction.set_rollback(True)


def url_of(name: str, row: Row, w: World, **override: Any) -> str:
    return reverse(name, kwargs=row.args(w) | override) + row.query(w)


def answer(client: Client, method: str, url: str, data: dict[str, str] | None,
           api: bool, headers: dict[str, str] | None = None) -> int | str:
    """The status code, with nothing kept: the database and the client's cookies (a sign-out
    changes them) are as before. A server error is answered as its exception's name."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            try:
                if method == "get":
                    response = client.get(url)
                elif method in ("patch", "put"):  # the API's updates (If-Match in headers)
                    response = getattr(client, method)(url, data or {}, format="json",
                                                       **(headers or {}))
                elif api:
                    response = client.post(url, data or {}, format="json")
                else:
                    response = client.post(url, data or {})
                return response.status_code
            except Exception as error:  # a server error, reported with the others
                return f"500 ({type(error).__name__})"
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def wrong(status: int | str, through: bool) -> bool:
    """Whether an answer breaks the rule: refused is 404; through is anything but 404, 403
    or a server error."""
    if not isinstance(status, int) or status == 403 or status >= 500:
        return True
    return (status != 404) is not through


@pytest.mark.parametrize("username", CAST)
def test_each_member_of_the_cast_gets_through_exactly_where_the_policy_says(world, db,
                                                                           username):
    user = getattr(world.cast, username)
    html, api = verified_client(user), api_client(user)
    errors = []
    for name, row in MATRIX.items():
        is_api = name.startswith("api:")
        url = url_of(name, row, world)
        for method, allowed in (("get", row.get), ("post", row.post)):
            status = answer(api if is_api else html, method, url, row.data, is_api)
            if wrong(status, username in allowed):
                expected = "through" if username in allowed else 404
                errors.append(f"{method.upper()} {name} ({url}): {status}, expected {expected}")
    assert errors == [], "\n".join(errors)


def test_anonymous_visitors_are_sent_to_sign_in(world, db):
    """HTML: a redirect to the sign-in page; the API: 401 (its browsable docs may redirect).
    A method the URL does not answer may say 405 first: nothing is read."""
    sign_in = reverse("accounts:login")
    html, api = Client(), APIClient()
    errors = []
    for name, row in MATRIX.items():
        is_api = name.startswith("api:")
        url = url_of(name, row, world)
        for method, allowed in (("get", row.get), ("post", row.post)):
            client = api if is_api else html
            response = (client.get(url) if method == "get"
                        else client.post(url, row.data or {}))
            status = response.status_code
            to_sign_in = status == 302 and response["Location"].startswith(sign_in)
            browser = not is_api or name in API_BROWSER_PAGES
            ok = ((is_api and status == 401) or (to_sign_in and browser)
                  or (allowed is NOT_A_METHOD and status == 405))
            if not ok:
                errors.append(f"{method.upper()} {name} ({url}): {status}")
    assert errors == [], "\n".join(errors)


# Pages of the API meant for a browser: they may send an anonymous visitor to sign in.
API_BROWSER_PAGES = {"api:docs"}
MISSING = 999999


def test_a_missing_object_answers_404_to_everybody(world, db):
    """Every id in a URL replaced by one that does not exist: 404 to each member of the cast who
    gets through on the real object (the others get 404 anyway)."""
    clients: dict[str, tuple[Client, APIClient]] = {}
    errors = []
    for name, row in MATRIX.items():
        ids = {key: MISSING for key, value in row.args(world).items() if isinstance(value, int)}
        if not ids:
            continue
        is_api = name.startswith("api:")
        url = url_of(name, row, world, **ids)
        for method, allowed in (("get", row.get), ("post", row.post)):
            if allowed is NOT_A_METHOD:
                continue
            for username in sorted(allowed):
                if username not in clients:
                    user = getattr(world.cast, username)
                    clients[username] = (verified_client(user), api_client(user))
                html, api = clients[username]
                status = answer(api if is_api else html, method, url, row.data, is_api)
                if status != 404:
                    errors.append(f"{method.upper()} {name} ({url}) by {username}: {status}")
    assert errors == [], "\n".join(errors)
