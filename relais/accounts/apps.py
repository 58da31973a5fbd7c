from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.accounts import administers_accounts
        from relais.core.nav import everyone, register_nav

        register_nav("api", order=99, label=_("API"), url_name="accounts:api_token",
                     app_name="accounts", current_url_name="api_token", visible=everyone)
        # The agency's administrator manages its own accounts (docs/agency-administration.md).
        register_nav("agency_accounts", order=98, label=_("Accounts"),
                     url_name="accounts:agency_accounts", app_name="accounts",
                     current_url_name="agency_accounts", visible=administers_accounts)
