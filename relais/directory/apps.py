from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "relais.directory"
    label = "directory"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.menus import shows_directory
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.directory.needs import needs, victim_search

        needs()  # a broken needs file stops the start, naming file and line
        victim_search()

        from relais.core import jobs
        from relais.directory import transfer

        jobs.register(transfer.JOB_KIND, transfer.directory_import_run,
                      label=_("Directory import"), summary=transfer.import_job_summary)

        register_nav("directory", order=5, label=_("Directory"), url_name="directory:search",
                     app_name="directory", visible=shows_directory)
        register_landing("directory_entries", url_name="directory:mine")
