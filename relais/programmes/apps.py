from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "relais.programmes"
    label = "programmes"
    verbose_name = "Perpetrator programmes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import programmes as programme_policy
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.programmes import (
            selectors,
            texts,  # noqa: F401  (the texts it writes, relais.core.texts)
        )

        register_kind("programme_status", _("Perpetrator programme"))
        register_nav("programmes", order=60, label=_("Programme"), url_name="programmes:files",
                     app_name="programmes", visible=programme_policy.may_set_rules)
        register_landing("programme_files", url_name="programmes:files")
        register_nav("programmes_followed", order=61, label=_("Programme files"),
                     url_name="programmes:followed", app_name="programmes",
                     visible=programme_policy.follows_files)
        register_panel("programmes", order=48, template="programmes/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Perpetrator programme"))

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.programmes.models import ProgrammeFile

        register_deletion_blocker("programmes", _("A perpetrator-programme file refers to it."),
                                  lambda case: ProgrammeFile.objects.filter(case=case))
