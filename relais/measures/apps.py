from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "relais.measures"
    label = "measures"
    verbose_name = "Protective measures"
