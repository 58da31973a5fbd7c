from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "relais.linkage"
    label = "linkage"
    verbose_name = "Linkage"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_linkage
        from relais.approvals.steps import register_handler
        from relais.cases.panels import register_panel, register_person_probe
        from relais.cases.timeline import register_kind
        from relais.core import hooks, jobs
        from relais.core.nav import register_nav
        from relais.linkage import panel, rescan, services, texts  # noqa: F401

        register_kind("case_reactivated", _("Reopened: a new report of the same couple"))
        jobs.register(rescan.JOB_KIND, rescan.rescan_run, label=_("Same persons looked for again"),
                      summary=rescan.rescan_summary)
        register_handler(services.CONTINUE_STEP, services.continue_approved)
        hooks.register("person_recorded", services.on_person_changed)
        hooks.register("person_changed", services.on_person_changed)
        register_panel("linkage", order=5, template="linkage/_case_panel.html",
                       context=panel.case_panel, rows=panel.case_panel_rows,
                       label=_("Same person in other files?"))
        register_person_probe(
            lambda access: reverse("linkage:proposals", args=[access.case.pk]))
        register_nav("linkage", order=45, label=_("Same person?"), url_name="linkage:queue",
                     app_name="linkage", visible=shows_linkage)
