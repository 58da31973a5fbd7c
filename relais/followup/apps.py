from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "relais.followup"
    label = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.followup import sees_followup
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.nav import register_nav
        from relais.followup import child_reflex, selectors, services, vulnerable  # noqa: F401  (reason codes)

        hooks.register("report_recorded", services.tasks_for_report)
        hooks.register("case_closed", services.cancel_on_case_closed)
        hooks.register("risk_assessed", services.reprioritise_on_assessment)
        hooks.register("case_transferred", services.hand_over_on_transfer)
        register_kind("followup_contact", _("Follow-up contact"))

        def panel_rows(access):
            rows = selectors.case_task_rows(access)
            return {} if rows is None else {"tasks": rows}

        def panel(access, found):
            if not access.is_owner:
                return None
            return {"followup_tasks": selectors.case_tasks(access) if "tasks" in found else []}

        register_panel("followup", order=25, template="followup/_case_panel.html",
                       context=panel, rows=panel_rows)

        from relais.core import jobs
        from relais.followup import crisis

        jobs.register(crisis.JOB_KIND, crisis.crisis_run, label=_("Crisis re-contact"),
                      summary=crisis.crisis_job_summary)

        register_nav("followup", order=3, label=_("Follow-up"), url_name="followup:queue",
                     app_name="followup", visible=sees_followup,
                     badge=lambda actor: selectors.open_task_count(actor=actor))
