from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Figures practitioners can trust (issue 17): the indicators with the field's counting
    rules, partner series with their consistency checks, and the population they are rated on.
    docs/figures.md states each indicator's definition and source."""

    name = "relais.figures"
    label = "figures"
    verbose_name = "Figures"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.figures import sees_figures
        from relais.cases.panels import register_panel
        from relais.core import jobs
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.figures import consent, series_job

        register_nav("figures", order=70, label=_("Figures"), url_name="figures:dashboard",
                     app_name="figures", visible=sees_figures)
        register_landing("figures", url_name="figures:dashboard")
        jobs.register(series_job.JOB_KIND, series_job.series_import_run,
                      label=_("Partner series import"), summary=series_job.series_job_summary)
        register_panel("consent", order=97, template="figures/_consent_panel.html",
                       context=consent.case_panel, rows=consent.case_panel_rows,
                       label=_("Counted in figures"))
