from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "relais.linkage"
    verbose_name = "Linkage"
