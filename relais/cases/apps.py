from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "relais.cases"
    label = "cases"
