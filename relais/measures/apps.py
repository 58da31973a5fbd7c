from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "relais.measures"
    label = "measures"
    verbose_name = "Protective measures"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import measures as measure_policy
        from relais.cases.measures import register_measures
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core.nav import register_nav
        from relais.measures import selectors
        from relais.measures.rules import ban_rules
        from relais.notifications.models import register_notice_link

        ban_rules()  # a broken rules file stops the start, naming file and line
        for code, label in (
            ("ban_ordered", _("Residence ban ordered")),
            ("ban_served", _("Residence-ban notice served")),
            ("ban_extended", _("Residence ban extended")),
            ("ban_lifted", _("Residence ban lifted")),
            ("ban_breached", _("Residence ban breached")),
            ("detention_recorded", _("Detention")),
            ("release_recorded", _("Release")),
        ):
            register_kind(code, label)
        register_panel("measures", order=35, template="measures/_case_panel.html",
                       context=selectors.case_panel)
        register_measures("measures", selectors.measure_lines)
        register_notice_link("measures.residenceban", "measures:ban")
        register_notice_link("measures.detention", "measures:detention")
        register_nav("measures", order=40, label=_("Measures"), url_name="measures:list",
                     app_name="measures", visible=measure_policy.may_list)
