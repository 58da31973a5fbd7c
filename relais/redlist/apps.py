from django.apps import AppConfig


class RedlistConfig(AppConfig):
    """The red list for dispatch (issue 18 §2): addresses and phone numbers where serious
    domestic violence is known, looked up by the dispatch (docs/redlist.md)."""

    name = "relais.redlist"
    label = "redlist"
    verbose_name = "Red list for dispatch"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import redlist as policy
        from relais.core.nav import register_nav
        from relais.core.texts import register_text
        from relais.followup.notes import register_note

        register_nav("redlist", order=66, label=_("Red list"), url_name="redlist:entries",
                     app_name="redlist", visible=policy.may_place)
        register_nav("redlist_lookup", order=67, label=_("Red-list look-up"),
                     url_name="redlist:lookup", app_name="redlist",
                     current_url_name="lookup", visible=policy.may_look_up)
        register_note("redlist_review", _("Red-list entry %(reference)s: review it before "
                                          "%(day)s, or it leaves the list by itself."))
        # A review task's cancel reason (relais.core.texts).
        register_text("redlist.reviewed", _("Reviewed."))
        register_text("redlist.expired", _("The red-list entry was lifted or expired."))

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.redlist.models import RedListEntry

        register_deletion_blocker("redlist", _("It was put on the red list."),
                                  lambda case: RedListEntry.objects.filter(case=case))
