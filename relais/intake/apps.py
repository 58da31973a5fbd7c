from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "relais.intake"
    label = "intake"

    def ready(self) -> None:
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.intake import texts  # noqa: F401  (the texts it writes, relais.core.texts)
        from relais.intake.views import case_panel, case_panel_rows
        from relais.intake.wording import lexicons

        register_kind("information_report", _("Information report"))
        register_kind("official_report", _("Official report (PV)"))
        lexicons()  # a broken lexicon stops the start, naming file and line
        register_panel("intake", order=10, template="intake/_case_panel.html", context=case_panel,
                       rows=case_panel_rows,
                       label=_("Police records"))
