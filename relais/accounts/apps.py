from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.accounts import administers_accounts
        from relais.access.menus import shows_api
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav

        register_nav("api", order=99, label=_("API"), url_name="accounts:api_token",
                     app_name="accounts", current_url_name="api_token", visible=shows_api)
        # The agency's administrator manages its own accounts (docs/agency-administration.md).
        register_nav("agency_accounts", order=98, label=_("Accounts"),
                     url_name="accounts:agency_accounts", app_name="accounts",
                     current_url_name="agency_accounts", visible=administers_accounts)
        # The administrator's landing: her agency's accounts.
        register_landing("accounts", url_name="accounts:agency_accounts")
