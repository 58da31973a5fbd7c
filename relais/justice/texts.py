"""The texts the prosecution tracking writes (timeline, the entry's history), as codes shown
in the reader's language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_choices, register_text
from relais.justice.models import Decision, Measure

register_choices("justice.decision", Decision)
register_choices("justice.measure", Measure)

register_text("justice.decision_measures", _("%(decision)s — %(measures)s"))
register_text("justice.corrected", _("Corrected: %(summary)s"))
register_text("justice.nobody", _("nobody"))
register_text("justice.merged", _("%(source)s regrouped into %(target)s: %(reason)s"))
register_text("justice.unmerged", _("%(source)s separated again from %(target)s: %(reason)s"))
register_text("justice.merge_asked", _("Merge case %(source)s into case %(target)s"))
