"""Protective measures ordered on a case (domain brief §3.4): the temporary residence ban and
the perpetrator's detention and release.

- ``ResidenceBan`` — ITR / tijdelijk huisverbod (law of 15 May 2012): the prosecutor's office
  orders the alleged perpetrator out of the shared home for up to 10 days; the family court may
  extend it (``BanExtension``); breaches are recorded (``BanBreach``). The banned home is kept
  as it was chosen (``BanAddress``): the notice handed to him shows that address and nothing
  else of where the protected persons are.
- ``Detention`` — arrest, arrest warrant / pre-trial detention; its release immediately warns
  the police zone where the victim lives.

Who sees them: the police zones, the prosecutor's office and the house of justice that see the
case with its judicial scope (see ``relais.measures.selectors``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.accounts.models import Agency, municipality_name
from relais.cases.models import Address, Case, Person


class BanStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered, not served yet")
    SERVED = "served", _("Served, starts later")
    IN_FORCE = "in_force", _("In force")
    EXTENDED = "extended", _("In force, extended by the family court")
    EXPIRED = "expired", _("Expired")
    LIFTED = "lifted", _("Lifted")


# Statuses in which the ban still binds (or will, once served).
ACTIVE_STATUSES = frozenset({BanStatus.ORDERED, BanStatus.SERVED, BanStatus.IN_FORCE,
                             BanStatus.EXTENDED})


class ResidenceBan(models.Model):
    """A temporary residence ban (ITR / tijdelijk huisverbod, law of 15 May 2012)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="residence_bans")
    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("person who must leave"))
    protected_persons = models.ManyToManyField(Person, related_name="+",
                                               verbose_name=_("persons protected"))
    ordered_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("prosecutor's office"))
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("ordered by"))
    ordered_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    ordered_ends_at = models.DateTimeField(_("end as ordered"))
    conditions = models.JSONField(_("legal conditions checked"), default=dict)
    rules_version = models.PositiveIntegerField(_("version of the rules"))
    grounds = models.TextField(_("facts and circumstances"), max_length=2000)
    perpetrator_stays_at = models.CharField(
        _("where he will stay"), max_length=300, blank=True,
        help_text=_("Seen by the police and justice only; never printed on any document."))
    serving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("police zone serving the notice"))
    monitor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("monitored by"))
    served_at = models.DateTimeField(_("served"), null=True, blank=True)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    lift_reason = models.CharField(_("why it was lifted"), max_length=300, blank=True)
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(excluded_fields=["ordered_at"], cascade_delete_history=True)

    class Meta:
        verbose_name = _("residence ban")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["case", "ends_at"], name="ban_case_idx"),
                   models.Index(fields=["ends_at"], name="ban_end_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="ban_ends_after_start"),
            models.CheckConstraint(condition=Q(ends_at__gte=F("ordered_ends_at")),
                                   name="ban_never_shortened"),
            models.CheckConstraint(condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                                   name="ban_lift_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"residence ban {self.pk} on {self.case_id}"

    def status_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.lifted_at is not None:
            return BanStatus.LIFTED
        if now >= self.ends_at:
            return BanStatus.EXPIRED
        if self.served_at is None:
            return BanStatus.ORDERED
        if now < self.starts_at:
            return BanStatus.SERVED
        if self.ends_at > self.ordered_ends_at:
            return BanStatus.EXTENDED
        return BanStatus.IN_FORCE

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return str(BanStatus(self.status).label)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def ended_at(self) -> datetime:
        """When it stopped binding (or will): lifted, else its end."""
        return min(self.lifted_at, self.ends_at) if self.lifted_at else self.ends_at


class BanAddress(models.Model):
    """A home the perpetrator may not enter, as it was chosen in the order (kept even if the
    person's address changes later). Never a confidential address."""

    ban = models.ForeignKey(ResidenceBan, on_delete=models.CASCADE, related_name="addresses")
    address = models.ForeignKey(Address, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(_("municipality (REFNIS)"), max_length=5)

    class Meta:
        verbose_name = _("banned address")
        verbose_name_plural = _("banned addresses")

    def __str__(self) -> str:
        return self.text()

    @property
    def label(self) -> str:
        """In the reader's language."""
        return self.text((get_language() or "fr")[:2])

    def text(self, language: str = "fr") -> str:
        return f"{self.street}, {self.postcode} {municipality_name(self.municipality, language)}"


class BanExtension(models.Model):
    """An extension decided by the family court, recorded by the prosecutor's office."""

    ban = models.ForeignKey(ResidenceBan, on_delete=models.CASCADE, related_name="extensions")
    previous_ends_at = models.DateTimeField(_("previous end"))
    new_ends_at = models.DateTimeField(_("new end"))
    decided_on = models.DateField(_("decided by the family court on"))
    court = models.CharField(_("family court"), max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension of a residence ban")
        ordering = ["recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(new_ends_at__gt=F("previous_ends_at")),
                                              name="extension_moves_end_later")]

    def __str__(self) -> str:
        return f"extension {self.pk} of ban {self.ban_id}"


class BreachKind(models.TextChoices):
    ENTERED_HOME = "entered_home", _("He entered or tried to enter the home")
    CONTACTED = "contacted", _("He contacted a protected person")
    APPROACHED = "approached", _("He came near the home or a protected person")
    OTHER = "other", _("Other")


class BanBreach(models.Model):
    """A breach of a residence ban, recorded by the police (or the prosecutor's office)."""

    ban = models.ForeignKey(ResidenceBan, on_delete=models.CASCADE, related_name="breaches")
    occurred_at = models.DateTimeField(_("when"))
    what = models.CharField(_("what happened"), max_length=16, choices=BreachKind.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("breach of a residence ban")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"breach {self.pk} of ban {self.ban_id}"


class DetentionKind(models.TextChoices):
    ARREST = "arrest", _("Arrest (deprivation of liberty, at most 48 hours)")
    ARREST_WARRANT = "arrest_warrant", _("Arrest warrant / pre-trial detention")
    SENTENCE = "sentence", _("Serving a prison sentence")
    OTHER = "other", _("Other deprivation of liberty")


class ReleaseCondition(models.TextChoices):
    NO_CONTACT = "no_contact", _("No contact with the victim")
    NO_ENTRY = "no_entry", _("No entry to the home or the municipality")
    PROGRAMME = "programme", _("Follow a perpetrator programme")
    OTHER = "other", _("Other (see the note)")


class DetentionStatus(models.TextChoices):
    DETAINED = "detained", _("Detained")
    RELEASE_PLANNED = "release_planned", _("Release recorded, not yet out")
    RELEASED = "released", _("Released")


class Detention(models.Model):
    """The alleged perpetrator deprived of liberty, and his release."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="detentions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person detained"))
    kind = models.CharField(_("kind"), max_length=16, choices=DetentionKind.choices)
    since = models.DateTimeField(_("since"))
    place = models.CharField(_("prison or place"), max_length=200, blank=True)
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    conditions_note = models.CharField(_("conditions, in words"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")
    release_recorded_at = models.DateTimeField(null=True, blank=True)
    release_zone = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+",
                                     verbose_name=_("police zone warned of the release"))
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(excluded_fields=["recorded_at", "release_recorded_at"],
                                cascade_delete_history=True)

    class Meta:
        verbose_name = _("detention")
        ordering = ["-since", "-pk"]
        indexes = [models.Index(fields=["case", "released_at"], name="detention_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=F("since")),
                name="detention_release_after_start"),
        ]

    def __str__(self) -> str:
        return f"detention {self.pk} on {self.case_id}"

    def status_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.released_at is None:
            return DetentionStatus.DETAINED
        return DetentionStatus.RELEASED if self.released_at <= now \
            else DetentionStatus.RELEASE_PLANNED

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return str(DetentionStatus(self.status).label)

    def condition_labels(self) -> list[str]:
        labels = dict(ReleaseCondition.choices)
        return [str(labels[code]) for code in self.conditions if code in labels]
