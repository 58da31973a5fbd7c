"""The texts the protective measures write (timeline, tasks), as codes shown in the reader's
language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_choices, register_text
from relais.measures.models import BreachKind, DetentionKind, ReleaseCondition

register_choices("measures.breach_kind", BreachKind)
register_choices("measures.detention_kind", DetentionKind)
register_choices("measures.release_condition", ReleaseCondition)

register_text("measures.ban_ordered", _("Residence ban from %(start)s until %(end)s"))
register_text("measures.ban_served", _("Residence-ban notice served"))
register_text("measures.ban_extended", _("Residence ban extended until %(end)s"))
register_text("measures.ban_lifted", _("Residence ban lifted early"))
register_text("measures.release", _("Release on %(when)s; conditions: %(conditions)s"))
register_text("measures.no_condition", _("none"))
# A task's cancel reason and outcome.
register_text("measures.ban_lifted_cancel", _("The residence ban was lifted."))
register_text("measures.served_on_ban", _("Served (recorded on the ban)."))
