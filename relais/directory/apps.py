from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "relais.directory"
    label = "directory"

    def ready(self) -> None:
        from relais.directory.needs import needs, victim_search

        needs()  # a broken needs file stops the start, naming file and line
        victim_search()
