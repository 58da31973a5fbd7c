from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"

    def ready(self) -> None:
        from relais.core import links  # noqa: F401  (registers its deploy check)
