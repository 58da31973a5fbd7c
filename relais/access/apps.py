from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "relais.access"
    label = "access"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.cases import is_reviewer
        from relais.access.jobs import job_scope
        from relais.access.landing import landing_for
        from relais.access.services import may_break_glass
        from relais.core.jobs import register_scope
        from relais.core.landing import register_chooser
        from relais.core.nav import register_nav

        register_chooser(landing_for)  # which landing a role gets is policy
        register_scope(job_scope)

        register_nav("reviews", order=90, label=_("Reviews"), url_name="access:reviews",
                     app_name="access", current_url_name="reviews", visible=is_reviewer)
        register_nav("break_glass", order=91, label=_("Emergency access"),
                     url_name="access:break_glass", app_name="access",
                     current_url_name="break_glass", visible=may_break_glass)
