from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "relais.followup"
    label = "followup"
