"""The texts the harassment alarms write on the timeline, as codes shown in the reader's
language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_text

register_text("alarms.requested", _("Harassment alarm requested"))
register_text("alarms.granted", _("Harassment alarm granted"))
register_text("alarms.refused", _("Harassment alarm refused"))
register_text("alarms.paired", _("Harassment alarm handed over and paired"))
register_text("alarms.ended", _("Harassment alarm ended"))
register_text("alarms.pressed", _("URGENT: the harassment alarm was pressed"))
