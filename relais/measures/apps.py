from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "relais.measures"
    label = "measures"
    verbose_name = "Protective measures"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_measures
        from relais.cases.measures import register_measures
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.followup.notes import register_note
        from relais.measures import (
            selectors,
            texts,  # noqa: F401  (the texts it writes, relais.core.texts)
        )
        from relais.measures.models import ReleaseCondition
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
        register_note("ban_serve", _("Serve the residence-ban notice (print it from the ban's "
                                     "page) and see that he leaves the home."))
        register_note("ban_monitor", _("Check that the residence ban is respected and where he "
                                       "stays."))
        register_note("ban_expiry", _("The ban ends on %(end)s: let it expire, or record the "
                                      "family court's extension."))
        register_note("ban_expiry_extended", _("The ban, extended, ends on %(end)s: let it "
                                               "expire, or record a further extension."))
        register_note("ban_extended", _("The family court extended the ban until %(end)s: tell "
                                        "him (print the notice again from the ban's page)."))
        register_note("ban_lifted", _("The prosecutor's office lifted the residence ban: tell "
                                      "him it no longer applies."))

        def release_params(params: dict) -> dict:
            labels = dict(ReleaseCondition.choices)
            named = [str(labels[code]) for code in params.get("conditions", ()) if code in labels]
            return {**params, "conditions": ", ".join(named) or _("none")}

        register_note("release_warning", _("He is released on %(when)s (conditions: "
                                           "%(conditions)s). Warn her today, as her "
                                           "safe-contact instructions say."),
                      params=release_params)
        register_panel("measures", order=35, template="measures/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Protective measures"))
        register_measures("measures", selectors.measure_lines)
        register_notice_link("measures.residenceban", "measures:ban")
        register_notice_link("measures.detention", "measures:detention")
        register_nav("measures", order=40, label=_("Measures"), url_name="measures:list",
                     app_name="measures", visible=shows_measures)
        register_landing("monitored_measures", url_name="measures:list")

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.measures.models import Detention, ResidenceBan

        register_deletion_blocker("measures_bans", _("A residence ban is recorded on it."),
                                  lambda case: ResidenceBan.objects.filter(case=case))
        register_deletion_blocker("measures_detentions", _("A detention is recorded on it."),
                                  lambda case: Detention.objects.filter(case=case))
