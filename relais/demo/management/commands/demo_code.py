"""Print the current second-factor code of the demo accounts (demo only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from relais.accounts.services import b32_key


class Command(BaseCommand):
    help = "Print the current TOTP code shared by the demo accounts."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only with RELAIS_DEBUG=1.")
        code = totp(b32_key(settings.DEMO_TOTP_SECRET))
        self.stdout.write(f"{code:06d}")
