from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"

    def ready(self) -> None:
        from relais.core import links  # noqa: F401  (registers its deploy check)
        from relais.core.ids import IdConverter

        # <id:...> in every URL pattern that carries a database id (see relais.core.ids).
        register_converter(IdConverter, "id")
