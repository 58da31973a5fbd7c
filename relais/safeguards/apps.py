from django.apps import AppConfig


class SafeguardsConfig(AppConfig):
    name = "relais.safeguards"
    label = "safeguards"
    verbose_name = "Safeguards (migrant victims, hospitals)"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.followup.notes import register_note
        from relais.safeguards import selectors
        from relais.safeguards.models import ResidencePermit
        from relais.safeguards.rules import residence_rules

        residence_rules()  # a broken rules file stops the start, naming file and line
        register_kind("residence_recorded", _("Residence depending on the partner recorded"))

        def permit_params(params: dict) -> dict:
            labels = dict(ResidencePermit.choices)
            return {**params, "permit": str(labels.get(params.get("permit"), ""))}

        register_note("residence_apply", _(
            "Her residence depends on the partner (%(permit)s). Help her ask the Immigration "
            "Office to keep her right of residence by %(apply_by)s, with proof of the "
            "violence (see the documents on the case page), and offer a specialised legal "
            "service."), params=permit_params)
        register_panel("safeguards", order=37, template="safeguards/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Safeguards"))
