"""The texts the referrals write, as codes shown in the reader's language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_text

register_text("referrals.override_asked",
              _("Refer to %(service)s without her consent (imminent danger)"))
