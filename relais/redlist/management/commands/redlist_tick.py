"""The red list's periodic pass (schedule it every few minutes, beside ``followup_tick``; one
at a time). Idempotent: a second run in a row changes nothing."""

from django.core.management.base import BaseCommand

from relais.core.singleton import single_instance
from relais.redlist.selectors import tallies_close
from relais.redlist.services import expire_due, flags_refresh_due


class Command(BaseCommand):
    help = ("Lift the red-list entries past their review date, close the past hours' look-up "
            "tallies (an audit event each, with the counts) and refresh what the dispatch is "
            "told about the listed entries. Each change is audited.")

    def handle(self, *args, **options) -> None:
        with single_instance("redlist_tick") as mine:
            if not mine:
                self.stdout.write("redlist_tick: another run is in progress")
                return
            expired = expire_due()
            closed = tallies_close()
            refreshed = flags_refresh_due()
        self.stdout.write(f"redlist_tick: {expired} expired, {closed} tallies closed, "
                          f"{refreshed} entries with new flags")
