from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "relais.access"
    label = "access"
