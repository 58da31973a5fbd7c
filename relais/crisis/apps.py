from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "relais.crisis"
    label = "crisis"
    verbose_name = "Crisis mode"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_crises
        from relais.core import hooks
        from relais.core.nav import register_nav
        from relais.crisis.services import on_capacity_updated

        hooks.register("capacity_updated", on_capacity_updated)

        register_nav("crisis", order=85, label=_("Crises"), url_name="crisis:list",
                     app_name="crisis", visible=shows_crises)
