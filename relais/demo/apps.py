from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and scale loaders (``seed_demo``, ``seed_scale``, ``demo_code``): at the top of
    the import graph, they call every app's demo loader; nothing imports them."""

    name = "relais.demo"
    label = "demo"
