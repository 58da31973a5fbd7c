"""The texts approvals writes, as codes (relais.core.texts)."""

from django.utils.translation import gettext_lazy as _

from relais.approvals.models import ApprovalState
from relais.core.texts import register_choices, register_text

register_choices("approvals.state", ApprovalState)
register_text("approvals.requested", _("Approval asked: %(step)s"))
register_text("approvals.decided", _("%(step)s: %(decision)s"))
register_text("approvals.decision_reason", _("Reason: %(reason)s"))
