"""The texts the perpetrator programmes write on the timeline, as codes shown in the reader's
language (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_choices, register_text
from relais.programmes.models import FileStatus

register_choices("programmes.file_status", FileStatus)

register_text("programmes.status", _("%(agency)s: %(status)s"))
