from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "relais.notifications"
    label = "notifications"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access.notifications import receives_notices
        from relais.core.nav import register_nav
        from relais.notifications.selectors import notice_open_count

        register_nav("notices", order=4, label=_("Notices"), url_name="notifications:inbox",
                     app_name="notifications", visible=receives_notices,
                     badge=lambda actor: notice_open_count(actor=actor), badge_critical=False)
