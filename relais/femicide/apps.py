from django.apps import AppConfig


class FemicideConfig(AppConfig):
    name = "relais.femicide"
    label = "femicide"
    verbose_name = "Femicide register"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import femicide as policy
        from relais.core.nav import register_nav

        register_nav("femicide", order=60, label=_("Femicide register"),
                     url_name="femicide:list", app_name="femicide",
                     visible=policy.sees_register)

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.femicide.models import Record

        register_deletion_blocker("femicide", _("A femicide record refers to it."),
                                  lambda case: Record.objects.filter(case=case))
