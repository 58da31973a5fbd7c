from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "relais.programmes"
    label = "programmes"
    verbose_name = "Perpetrator programmes"
