from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "relais.feedback"
    label = "feedback"
