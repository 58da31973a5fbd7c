"""The access policy of Relais: every rule of who may see or do what, one module per domain.

- ``scopes``: field scopes, how far each role reaches, the reviewer roles;
- ``cases``: the one queryset rule ``visible_cases``, ``case_access`` / ``person_access`` and
  what a reader sees of a case (its scopes, addresses, timeline);
- ``intake``, ``risk``, ``referrals``, ``followup``, ``justice``, ``measures``, ``alarms``,
  ``programmes``, ``directory``, ``notifications``, ``feedback``, ``accounts``: each domain's
  visibility scope (a queryset taking the actor), its predicates (``may_*``) and role sets;
- ``transfers``, ``merges``: who hands a case over to another agency, who merges cases of two
  owners, and what a former owner keeps;
- ``agency``: what an agency keeps for itself (sections, neighbourhoods, formats, devices);
- ``models``, ``services``, ``views``: shares, consent, break-glass and their review;
  ``log``: who accessed a case.

Apps call these modules; they never test a role or an agency kind themselves
(relais/tests/test_architecture.py). Every refusal is ``Http404``. The modules import only the
models of the apps they rule. The table a reviewer checks is docs/access-policy.md.
"""
