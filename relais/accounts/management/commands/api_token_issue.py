"""Issue an API token from the command line: a personal one, or the alarm gateway's."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from relais.accounts.models import ApiTokenKind, User
from relais.accounts.services import api_token_issue


class Command(BaseCommand):
    help = ("Issue an API token for a user (revoking her previous one of the same kind) and "
            "print its key, which is shown only now. --gateway: the harassment-alarm "
            "platform's token, which only posts alarm activations.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--gateway", action="store_true",
                            help="a gateway token (alarm activations only)")

    def handle(self, *args, username: str, gateway: bool, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        kind = ApiTokenKind.GATEWAY if gateway else ApiTokenKind.PERSONAL
        token, key = api_token_issue(actor=None, user=user, kind=kind,
                                     issued_by="manage.py api_token_issue")
        self.stdout.write(f"{kind} token for {username}, expires "
                          f"{token.expires_at:%Y-%m-%d}: {key}")
