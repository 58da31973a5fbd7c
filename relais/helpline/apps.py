from django.apps import AppConfig


class HelplineConfig(AppConfig):
    """The helpline call log (issue 17 §3, OpenCHS-style): anonymous calls recorded by the
    helpline's operators during the call, and their figures."""

    name = "relais.helpline"
    label = "helpline"
    verbose_name = "Helpline"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import helpline as policy
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav

        register_nav("helpline", order=47, label=_("Helpline calls"),
                     url_name="helpline:call_new", app_name="helpline",
                     visible=policy.may_record_calls)
        register_nav("helpline_figures", order=48, label=_("Helpline figures"),
                     url_name="helpline:figures", app_name="helpline",
                     current_url_name="figures", visible=policy.may_see_figures)
        register_landing("helpline_call", url_name="helpline:call_new")
        register_landing("helpline_figures", url_name="helpline:figures")
