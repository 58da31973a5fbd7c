from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "relais.risk"
    label = "risk"

    def ready(self) -> None:
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.risk import texts  # noqa: F401  (the texts it writes, relais.core.texts)
        from relais.risk.instruments import instruments
        from relais.risk.views import case_panel, case_panel_rows

        register_kind("risk_assessed", _("Risk assessment"))
        register_kind("risk_override_confirmed", _("Lowered risk level confirmed"))
        instruments()  # a broken instrument file stops the start, naming file and line
        from relais.cases.header import register_header_item
        from relais.risk.selectors import header_items

        register_header_item("risk", order=10, provider=header_items)
        from relais.approvals.steps import register_handler
        from relais.cases.closure import register_approval_step
        from relais.risk.selectors import closing_approval_step
        from relais.risk.services import LOWER_STEP, lowering_approved

        register_handler(LOWER_STEP, lowering_approved)
        register_approval_step(closing_approval_step)
        register_panel("risk", order=20, template="risk/_case_panel.html", context=case_panel,
                       rows=case_panel_rows,
                       label=_("Risk"))
