from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "relais.referrals"
    label = "referrals"

    def ready(self) -> None:
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.referrals.models import ReferralStatus
        from relais.referrals.rules import rule_set
        from relais.referrals.views import case_panel

        for status in ReferralStatus:
            register_kind(f"referral_{status.value}",
                          format_lazy("{}: {}", _("Referral"), status.label))
        rule_set()  # a broken rules file stops the start, naming file and line
        register_panel("referrals", order=30, template="referrals/_case_panel.html",
                       context=case_panel)
