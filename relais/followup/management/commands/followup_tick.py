"""Run the follow-up's periodic pass once (idempotent; schedule it every few minutes). One at a
time: while another is running, it says so and does nothing."""

from django.core.management.base import BaseCommand

from relais.followup.tick import followup_tick


class Command(BaseCommand):
    help = ("Create the follow-up tasks that have become due, cancel those of closed cases and "
            "e-mail reminders for overdue tasks. Safe to run as often as wanted.")

    def handle(self, *args, **options) -> None:
        report = followup_tick()
        self.stdout.write(f"followup_tick: {report}")
