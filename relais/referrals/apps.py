from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "relais.referrals"
    label = "referrals"

    def ready(self) -> None:
        from relais.access.menus import shows_referrals
        from relais.approvals.steps import register_handler
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.referrals import texts  # noqa: F401  (relais.core.texts)
        from relais.referrals.models import ReferralStatus
        from relais.referrals.rules import rule_set
        from relais.referrals.selectors import overdue_count
        from relais.referrals.services import OVERRIDE_STEP, override_approved
        from relais.referrals.views import case_panel, case_panel_rows

        for status in ReferralStatus:
            register_kind(f"referral_{status.value}",
                          format_lazy("{}: {}", _("Referral"), status.label))
        register_handler(OVERRIDE_STEP, override_approved)
        rule_set()  # a broken rules file stops the start, naming file and line
        register_panel("referrals", order=30, template="referrals/_case_panel.html",
                       context=case_panel, rows=case_panel_rows,
                       label=_("Referrals"))

        register_nav("referrals", order=6, label=_("Referrals"), url_name="referrals:list",
                     app_name="referrals", visible=shows_referrals,
                     badge=lambda actor: overdue_count(actor=actor))
        register_landing("referrals_received", url_name="referrals:list",
                         query="direction=incoming")
