"""Create a consultation body from the command line (before its coordinator runs it in Relais)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.access import consultation as policy
from relais.accounts.models import Agency, User
from relais.consultation.models import Body
from relais.consultation.services import body_create
from relais.core.actor import Actor


class Command(BaseCommand):
    help = ("Create a multi-agency consultation body run from a platform agency (its "
            "secretariat), with the default referral criteria as version 1. Example: "
            "consultation_body \"DIViCo Liège\" --agency platform-liege --area liege "
            "--protocol \"Protocole DIViCo 2023\" --coordinator coord_liege")

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the body's name, e.g. \"Olista Bruxelles\"")
        parser.add_argument("--agency", required=True,
                            help="the code of the secretariat agency (a multi-agency platform)")
        parser.add_argument("--area", required=True,
                            help="the judicial district or province")
        parser.add_argument("--protocol", required=True, help="the protocol's reference")
        parser.add_argument("--coordinator", default="",
                            help="username of the named coordinator (of the secretariat)")

    def handle(self, *args, name: str, agency: str, area: str, protocol: str,
               coordinator: str, **options) -> None:
        secretariat = Agency.objects.filter(code=agency).first()
        if secretariat is None:
            raise CommandError(f"no agency with the code {agency!r}")
        if not name.strip() or not protocol.strip():
            raise CommandError("the name and the protocol reference must not be empty")
        if Body.objects.filter(name=name.strip()).exists():
            raise CommandError(f"a body named {name.strip()!r} exists already")
        user = None
        if coordinator:
            user = User.objects.filter(username=coordinator, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user named {coordinator!r}")
        try:
            with transaction.atomic():
                body = body_create(actor=None, name=name, agency=secretariat, area=area.strip(),
                                   protocol_reference=protocol, coordinator=user)
                if user is not None and not policy.coordinates(Actor.for_user(user), body):
                    raise CommandError(f"{coordinator!r} is not a coordinator of {agency!r}")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"created body {body.pk}: {body.name} (secretariat {secretariat.code},"
                          f" criteria version 1)")
