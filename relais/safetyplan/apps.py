from django.apps import AppConfig


class SafetyPlanConfig(AppConfig):
    name = "relais.safetyplan"
    label = "safetyplan"
    verbose_name = "Safety plans"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.cases.panels import register_panel
        from relais.safetyplan import selectors

        register_panel("safetyplan", order=38, template="safetyplan/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Safety plan"))
