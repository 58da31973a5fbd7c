from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "relais.transfers"
    label = "transfers"
    verbose_name = "Transfers"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_transfers
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.nav import register_nav
        from relais.notifications.models import register_notice_link
        from relais.transfers import selectors, services

        hooks.register("case_closed", services.cancel_on_case_closed)
        register_kind("transfer_requested", _("Transfer to another agency requested"))
        register_kind("transfer_cancelled", _("Transfer request cancelled"))
        register_kind("transfer_declined", _("Transfer declined"))
        register_kind("case_transferred", _("Case transferred to another agency"))
        register_panel("transfer", order=95, template="transfers/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Transfer"))
        register_notice_link("transfers.casetransfer", "transfers:transfer")
        register_nav("transfers", order=35, label=_("Transfers"), url_name="transfers:inbox",
                     app_name="transfers", visible=shows_transfers,
                     badge=selectors.inbox_badge, badge_critical=False)

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.transfers.models import CaseTransfer

        register_deletion_blocker("transfers", _("A transfer to another agency was requested."),
                                  lambda case: CaseTransfer.objects.filter(case=case))
