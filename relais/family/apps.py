from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "relais.family"
    label = "family"
    verbose_name = "Family and youth courts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import courts as court_policy
        from relais.cases.measures import register_measures
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.family import (
            selectors,
            services,
            texts,  # noqa: F401  (the texts it writes, relais.core.texts)
        )
        from relais.notifications.models import register_notice_link

        register_kind("family_decision", _("Decision of a family or youth court"))
        register_kind("family_court_opened", _("Case opened to a family or youth court"))
        register_panel("family", order=36, template="family/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Family proceedings"))
        register_measures("family", selectors.measure_lines)
        register_notice_link("family.linknotice", "family:notice")
        register_nav("family", order=42, label=_("Family proceedings"), url_name="family:list",
                     app_name="family", visible=court_policy.is_court)
        register_landing("family_proceedings", url_name="family:list")
        hooks.register("criminal_measure_ordered", services.criminal_measure_notify)

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.family.models import FamilyProceeding, LinkNotice

        court = _("A family-court proceeding is recorded on it, or the courts were told of it.")
        register_deletion_blocker("family_proceedings", court,
                                  lambda case: FamilyProceeding.objects.filter(case=case))
        register_deletion_blocker("family_notices", court,
                                  lambda case: LinkNotice.objects.filter(case=case))
