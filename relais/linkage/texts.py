"""The texts the linkage writes, as codes shown in the reader's language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_text

register_text("linkage.continue_asked",
              _("Continue case %(source)s on the family's file %(target)s"))
