"""The victim's own safety plan (issue 20 §5).

A victim-support worker (CAW, CPVCF, the SAPV of a police zone, a shelter) makes the plan
with her: where she can go and whom she can call, a code word, what is ready to take, what the
children do and who picks them up, her phone and accounts, and what she does at the moment of
danger.

- ``SafetyPlan`` — one plan for one person of a case, kept by the support service that made it
  (``agency``). It names the persons of the case who are a risk to her (``risk_persons``): the
  access policy (``relais.access.safetyplan``) keeps the plan from every agency that works
  with them.
- ``PlanVersion`` — what the plan says at one review. Every review at a contact adds a version,
  "reviewed, nothing changed" too (``changed`` False): the previous versions stay readable,
  with who reviewed and when.
- ``ChildArrangement`` — for one child of the case, in one version: what the child does and
  who picks the child up.
- ``PlanConsent`` — her consent that the plan be shown to one named agency, recorded by the
  support worker; revocable.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.access.models import ConsentMethod
from relais.accounts.models import Agency
from relais.cases.models import Case, Person

# The languages of the printed plan: hers, whatever the worker's.
PLAN_LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"),
                  ("en", "English")]


class ReadyItem(models.TextChoices):
    """What is ready to take (kept where she can reach it, or with someone she trusts)."""

    IDENTITY = "identity", _("Identity card, passport or residence permit")
    CHILDREN_PAPERS = "children_papers", _("The children's papers")
    BANK = "bank", _("Bank card and account details")
    MONEY = "money", _("Some cash")
    KEYS = "keys", _("Spare keys")
    MEDICINES = "medicines", _("Medicines and prescriptions")
    NUMBERS = "numbers", _("Important phone numbers on paper")
    COPIES = "copies", _("Copies of important papers kept with someone trusted")
    BAG = "bag", _("A bag packed and ready")


class DigitalItem(models.TextChoices):
    """Her phone and accounts."""

    LOCATION_OFF = "location_off", _("Location sharing checked and turned off")
    PASSWORDS = "passwords", _("Passwords changed; shared accounts and cloud checked")
    SPYING_SIGNS = "spying_signs", _("Phone checked for signs of spying apps")
    TRACKERS = "trackers", _("Car and bags checked for trackers")
    SAFE_PHONE = "safe_phone", _("A safe phone no one else knows of")
    HISTORY = "history", _("Knows how to clear the browsing history")


class DangerStep(models.TextChoices):
    """What she does at the moment of danger."""

    CALL_112 = "call_112", _("Call 112")
    ROOM_WITH_EXIT = "room_with_exit", _("Go to a room with a way out, away from the kitchen")
    CODE_WORD = "code_word", _("Send the code word to a trusted person")
    LEAVE = "leave", _("Leave, with the children, for a safe place")
    NEIGHBOUR = "neighbour", _("A neighbour calls for help on hearing noise")


def _check_choices(value: object, choices: type[models.TextChoices]) -> None:
    if not isinstance(value, list) or any(v not in choices.values for v in value):
        raise ValidationError(_("Choose among the items offered."), code="choices")


def validate_ready(value: object) -> None:
    _check_choices(value, ReadyItem)


def validate_digital(value: object) -> None:
    _check_choices(value, DigitalItem)


def validate_danger(value: object) -> None:
    _check_choices(value, DangerStep)


class SafetyPlan(models.Model):
    """One person's safety plan, kept by the support service that made it with her."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("for"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("support service"))
    language = models.CharField(_("her language"), max_length=2, choices=PLAN_LANGUAGES,
                                default="fr",
                                help_text=_("The language of the printed plan."))
    risk_persons = models.ManyToManyField(
        Person, related_name="+", blank=True, verbose_name=_("persons who are a risk to her"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    current_number = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("safety plan")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "agency"],
                                               name="safetyplan_one_per_service")]

    def __str__(self) -> str:
        return f"safety plan {self.pk}"


class PlanVersion(models.Model):
    """What the plan says at one review (each review at a contact adds one)."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    changed = models.BooleanField(default=True,
                                  help_text=_("False: reviewed with her, nothing changed."))
    review_note = models.CharField(_("note of the review"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    # Safe places and trusted persons.
    safe_places = models.TextField(_("safe places"), max_length=2000, blank=True,
                                   help_text=_("Where she can go at any hour."))
    trusted_persons = models.TextField(_("trusted persons"), max_length=2000, blank=True,
                                       help_text=_("Whom she can call, and how."))
    # The code word.
    code_word = models.CharField(_("code word"), max_length=100, blank=True)
    code_word_meaning = models.TextField(
        _("what the code word means"), max_length=1000, blank=True,
        help_text=_("Who knows it and what they do when they hear it."))
    # Documents, money and a bag ready.
    ready_items = models.JSONField(_("ready to take"), default=list, blank=True,
                                   validators=[validate_ready])
    ready_where = models.TextField(_("where they are kept"), max_length=1000, blank=True)
    # The children (one line per child in ChildArrangement).
    children_plan = models.TextField(_("for the children"), max_length=2000, blank=True,
                                     help_text=_("What the children know and do."))
    # Digital safety.
    digital_items = models.JSONField(_("phone and accounts"), default=list, blank=True,
                                     validators=[validate_digital])
    spying_signs = models.TextField(_("signs noticed on her phone or accounts"),
                                    max_length=1000, blank=True)
    safe_phone = models.TextField(_("the safe phone"), max_length=500, blank=True,
                                  help_text=_("Where it is kept, who has its number."))
    # The moment of danger.
    danger_steps = models.JSONField(_("at the moment of danger"), default=list, blank=True,
                                    validators=[validate_danger])
    danger_plan = models.TextField(_("what she does, step by step"), max_length=2000,
                                   blank=True)
    # Who the plan named as a risk at this version (ids of persons of the case).
    risk_person_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("version of a safety plan")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="safetyplan_version_unique")]

    def __str__(self) -> str:
        return f"plan {self.plan_id} v{self.number}"


CONTENT_FIELDS = ("safe_places", "trusted_persons", "code_word", "code_word_meaning",
                  "ready_items", "ready_where", "children_plan", "digital_items",
                  "spying_signs", "safe_phone", "danger_steps", "danger_plan")


class ChildArrangement(models.Model):
    """For one child of the case, in one version: what the child does, who picks the child up."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    what_they_do = models.TextField(_("what the child does"), max_length=1000, blank=True)
    picked_up_by = models.CharField(_("who picks the child up"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("arrangement for a child")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["version", "child"],
                                               name="safetyplan_child_unique")]

    def __str__(self) -> str:
        return f"child {self.child_id} in {self.version_id}"


class PlanConsent(models.Model):
    """Her consent that the plan be shown to one named agency; revocable."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="consents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("shown to"))
    method = models.CharField(_("how she consented"), max_length=20,
                              choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    revoked_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("consent to show a safety plan")
        ordering = ["-recorded_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["plan", "agency"], condition=Q(revoked_at__isnull=True),
            name="safetyplan_one_active_consent")]

    def __str__(self) -> str:
        return f"consent {self.pk} on plan {self.plan_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
