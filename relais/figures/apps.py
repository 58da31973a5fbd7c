from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Figures practitioners can trust (issue 17): the indicators with the field's counting
    rules, partner series with their consistency checks, and the population they are rated on.
    docs/figures.md states each indicator's definition and source."""

    name = "relais.figures"
    label = "figures"
    verbose_name = "Figures"
