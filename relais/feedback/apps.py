from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "relais.feedback"
    label = "feedback"

    def ready(self) -> None:
        from relais.feedback.questions import questionnaire

        questionnaire()  # a broken questions file stops the start, naming file and line
