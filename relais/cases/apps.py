from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "relais.cases"
    label = "cases"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.cases import sees_cases
        from relais.core.nav import everyone, register_nav

        register_nav("my_cases", order=1, label=_("My cases"), url_name="cases:my_cases",
                     app_name="cases", current_url_name="my_cases", visible=everyone)
        register_nav("search", order=2, label=_("Search"), url_name="cases:search",
                     app_name="cases", current_url_name="search", visible=sees_cases)
