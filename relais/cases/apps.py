from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "relais.cases"
    label = "cases"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import menus
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav

        register_nav("my_cases", order=1, label=_("My cases"), url_name="cases:my_cases",
                     app_name="cases", current_url_name="my_cases", visible=menus.shows_my_cases)
        register_nav("search", order=2, label=_("Search"), url_name="cases:search",
                     app_name="cases", current_url_name="search", visible=menus.shows_search)
        register_landing("my_cases", url_name="cases:my_cases")

        from relais.approvals.steps import register_handler
        from relais.cases import closure  # noqa: F401  (the reasons' codes, relais.core.texts)
        from relais.cases.deletion import DELETE_STEP
        from relais.cases.services import close_approved, delete_approved

        register_handler("case_close_high_risk", close_approved)
        register_handler(DELETE_STEP, delete_approved)

        # What keeps a case from deletion that the access policy knows (relais.cases.deletion).
        from relais.access import deletion as deletion_policy
        from relais.cases.deletion import register_deletion_blocker

        register_deletion_blocker("access_shares", _("It was shared with another agency."),
                                  deletion_policy.shares_of)
        register_deletion_blocker("referrals_sent", _("A referral was sent to a service."),
                                  deletion_policy.referrals_sent)
