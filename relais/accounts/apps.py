from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.core.nav import everyone, register_nav

        register_nav("api", order=99, label=_("API"), url_name="accounts:api_token",
                     app_name="accounts", current_url_name="api_token", visible=everyone)
