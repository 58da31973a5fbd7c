"""Why a task exists ("Why" on the task page), stored as codes with parameters and shown in
the reader's language.

A task's ``reason`` is a stored text of ``relais.core.texts`` (a list of ``[code, params]``
pairs, one sentence each; a task another report also calls for gains one). This module keeps
the follow-up's own codes and the names the apps already use: ``register_note`` is
``relais.core.texts.register_text``, ``reason`` is ``text``, ``render`` is ``render``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from relais.core.texts import CATALOGUE as NOTES
from relais.core.texts import Coded as Reason
from relais.core.texts import register_choices, register_text, render
from relais.core.texts import register_text as register_note
from relais.core.texts import text as reason
from relais.followup.models import Outcome, TaskKind

__all__ = ["NOTES", "Reason", "reason", "register_note", "render"]


# The follow-up's own reasons.
register_note("joined_report", _("Also for the report of %(when)s."))
register_note("now_official", _("Now an official report: follow up without delay."))
register_note("all_fine_high_risk",
              _("\"Everything is fine\" on a high-risk case: it may be said under pressure."))
register_note("crisis_recontact", _("Crisis re-contact of every recent victim."))
register_note("transferred_from", _("Handed over with the case by %(agency)s."))

# The follow-up's own words on the timeline, and on a task's end (relais.core.texts).
register_choices("followup.task_kind", TaskKind)
register_choices("followup.outcome", Outcome)
register_text("followup.contact", _("%(kind)s: %(outcome)s"))
register_text("followup.case_closed", _("The case was closed."))
register_text("followup.crisis_undone", _("Crisis re-contact undone."))
register_text("followup.newer_assessment", _("A newer assessment was recorded."))
