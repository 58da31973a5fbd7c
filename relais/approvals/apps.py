from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "relais.approvals"
    label = "approvals"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from relais.access.approvals import shows_approvals
        from relais.approvals import texts  # noqa: F401  (codes of the texts it writes)
        from relais.approvals.rules import approval_rules, check_handlers
        from relais.approvals.selectors import badge_count
        from relais.approvals.steps import HANDLERS
        from relais.core.nav import register_nav
        from relais.notifications.models import register_notice_link

        # A broken rules file stops the start, naming file and line; so does a step no app
        # carries out (the apps above registered their handlers in their own ready()).
        check_handlers(approval_rules(), HANDLERS)
        register_notice_link("approvals.approvalrequest",
                             lambda pk: f"{reverse('approvals:list')}#request-{pk}")
        register_nav("approvals", order=9, label=_("Approvals"), url_name="approvals:list",
                     app_name="approvals", visible=shows_approvals,
                     badge=lambda actor: badge_count(actor=actor), badge_critical=False)

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.approvals.models import ApprovalRequest, ApprovalState
        from relais.cases.deletion import DELETE_STEP, register_deletion_blocker

        register_deletion_blocker(
            "approvals_pending", _("Another request on it waits for approval."),
            lambda case: ApprovalRequest.objects.filter(case=case, state=ApprovalState.PENDING)
            .exclude(step=DELETE_STEP))  # asking twice: "already waits for an approval"
