from django.apps import AppConfig


class AlarmsConfig(AppConfig):
    name = "relais.alarms"
    label = "alarms"
    verbose_name = "Harassment alarms"
