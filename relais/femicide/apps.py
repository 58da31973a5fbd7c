from django.apps import AppConfig


class FemicideConfig(AppConfig):
    name = "relais.femicide"
    label = "femicide"
    verbose_name = "Femicide register"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import femicide as policy
        from relais.core.nav import register_nav

        register_nav("femicide", order=60, label=_("Femicide register"),
                     url_name="femicide:list", app_name="femicide",
                     visible=policy.sees_register)
