from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "relais.consultation"
    label = "consultation"
    verbose_name = "Multi-agency consultation"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_consultation
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.consultation import selectors, services
        from relais.core import hooks
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.notifications.models import register_notice_link

        hooks.register("task_closed", services.action_returned)
        hooks.register("case_closed", services.close_on_case_closed)
        register_kind("consultation_referred", _("Referred to the multi-agency consultation"))
        register_kind("consultation_heard", _("Heard in the multi-agency consultation"))
        register_kind("consultation_left", _("Left the multi-agency consultation"))
        register_notice_link("consultation.referral", "consultation:referral")
        register_notice_link("consultation.plan", "consultation:plan")
        from relais.cases.header import register_header_item

        register_header_item("consultation", order=50, provider=selectors.header_items)
        from relais.cases.closure import register_open_items

        register_open_items("consultation", selectors.closure_open_items)
        register_panel("consultation", order=90, template="consultation/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Multi-agency consultation"))
        register_nav("consultation", order=40, label=_("Consultation"),
                     url_name="consultation:bodies", app_name="consultation",
                     visible=shows_consultation, badge=selectors.inbox_badge,
                     badge_critical=False)
        register_landing("consultation_bodies", url_name="consultation:bodies")

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.consultation.models import Plan, Referral

        listed = _("It was put on a case consultation's list.")
        register_deletion_blocker("consultation_referrals", listed,
                                  lambda case: Referral.objects.filter(case=case))
        register_deletion_blocker("consultation_plans", listed,
                                  lambda case: Plan.objects.filter(case=case))
