from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmendmentsConfig(AppConfig):
    name = "relais.amendments"
    label = "amendments"
    verbose_name = "Amendments"

    def ready(self) -> None:
        from relais.amendments.selectors import timeline_addenda
        from relais.cases.timeline import register_details, register_kind

        register_kind("report_amended", _("Police record corrected by an addendum"))
        register_kind("assessment_amended", _("Risk assessment corrected by an addendum"))
        for kind in ("report_amended", "assessment_amended"):
            register_details(kind, timeline_addenda, template="amendments/_timeline.html")
