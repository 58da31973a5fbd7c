from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "relais.followup"
    label = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_followup
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.landing import register_landing
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

        from relais.cases.header import register_header_item

        register_header_item("followup", order=40, provider=selectors.header_items)
        from relais.cases.closure import register_open_items, register_reason_check
        from relais.cases.models import ClosureReason

        register_open_items("followup", selectors.closure_open_items)
        register_reason_check(ClosureReason.NO_CONTACT, selectors.no_contact_check)
        register_panel("followup", order=25, template="followup/_case_panel.html",
                       context=panel, rows=panel_rows,
                       label=_("Follow-up"))

        from relais.core import jobs
        from relais.followup import crisis

        jobs.register(crisis.JOB_KIND, crisis.crisis_run, label=_("Crisis re-contact"),
                      summary=crisis.crisis_job_summary)

        register_nav("followup", order=3, label=_("Follow-up"), url_name="followup:queue",
                     app_name="followup", visible=shows_followup,
                     badge=lambda actor: selectors.open_task_count(actor=actor))
        register_landing("zone_today", url_name="followup:today")
        register_landing("followup_queue", url_name="followup:queue")
