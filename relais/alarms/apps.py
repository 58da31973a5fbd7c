from django.apps import AppConfig


class AlarmsConfig(AppConfig):
    name = "relais.alarms"
    label = "alarms"
    verbose_name = "Harassment alarms"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import alarms as alarm_policy
        from relais.alarms import (
            selectors,
            services,
            texts,  # noqa: F401  (the texts it writes, relais.core.texts)
        )
        from relais.alarms.models import AlarmRequest
        from relais.alarms.rules import alarm_rules
        from relais.cases.measures import register_measures
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.notifications.models import register_notice_link

        alarm_rules()  # a broken eligibility file stops the start, naming file and line
        register_kind("alarm_requested", _("Harassment alarm requested"))
        register_kind("alarm_decided", _("Harassment alarm decided"))
        register_kind("alarm_assigned", _("Harassment alarm handed over"))
        register_kind("alarm_ended", _("Harassment alarm ended"))
        register_kind("alarm_activated", _("Harassment alarm pressed"))
        hooks.register("report_forwarded", services.request_for_office)
        register_measures("alarms", selectors.alarm_measures)
        register_notice_link("alarms.alarmactivation", "alarms:summary")

        def panel_rows(access):
            if not alarm_policy.sees_case_requests(access):
                return {}
            return {"requests": AlarmRequest.objects.filter(case=access.case)}

        def panel(access, found):
            if not alarm_policy.sees_case_requests(access):
                return None
            requests = selectors.case_requests(access) if "requests" in found else []
            return {"alarm_requests": requests, "case": access.case,
                    "can_request": alarm_policy.may_request_on(access)}

        register_panel("alarms", order=45, template="alarms/_case_panel.html", context=panel,
                       rows=panel_rows,
                       label=_("Harassment alarm"))

        def badge(actor) -> int:
            if alarm_policy.is_dispatcher(actor):
                return selectors.unhandled_count(actor=actor)
            return selectors.waiting_count(actor=actor)

        register_nav("alarms", order=50, label=_("Alarms"), url_name="alarms:board",
                     app_name="alarms", visible=alarm_policy.sees_alarms_menu, badge=badge)
        register_landing("alarm_board", url_name="alarms:board")

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.alarms.models import AlarmActivation
        from relais.cases.deletion import register_deletion_blocker

        alarm = _("A harassment alarm was requested on it.")
        register_deletion_blocker("alarms_requests", alarm,
                                  lambda case: AlarmRequest.objects.filter(case=case))
        register_deletion_blocker("alarms_activations", alarm,
                                  lambda case: AlarmActivation.objects.filter(case=case))
