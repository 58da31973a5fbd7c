"""The directory of services: who can help, where, in which language, when, and with room.

A service entry is public information about an organisation, with two exceptions handled by
``relais.directory.selectors``: a confidential address (a shelter's) is seen only by the
staff of the agency that keeps the entry, and the named contact person is for professionals
(never on the public finder).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.accounts.models import Agency, validate_refnis


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    POLICE_VICTIM_ASSISTANCE = "police_victim_assistance", _("Police victim assistance (SAPV)")
    EVA_UNIT = "eva_unit", _("EVA unit")
    SEXUAL_VIOLENCE_CENTRE = "sexual_violence_centre", _("Sexual-violence care centre (CPVS/ZSG)")
    CPAS = "cpas", _("CPAS / OCMW")
    LEGAL_AID = "legal_aid", _("Legal aid")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")
    PERPETRATOR_ACCOMMODATION = "perpetrator_accommodation", _("Accommodation for perpetrators")
    HELPLINE = "helpline", _("Helpline")
    YOUTH_AID = "youth_aid", _("Youth aid (SAJ/SPJ)")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood (ONE / Kind & Gezin)")
    SCHOOL_CENTRE = "school_centre", _("School centre (CPMS/CLB)")
    HEALTH = "health", _("Health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    INTERPRETERS = "interpreters", _("Interpreters")
    MIGRATION_ADVICE = "migration_advice", _("Residence and migration advice")
    HOUSING = "housing", _("Housing")
    HOUSE_OF_JUSTICE = "house_of_justice", _("House of justice")
    PLATFORM = "platform", _("Multi-agency platform")
    # A pharmacy where a victim may ask for help discreetly; it refers to care or the police.
    PHARMACY_RELAY = "pharmacy_relay", _("Pharmacy relay")


class TargetGroup(models.TextChoices):
    VICTIMS = "victims", _("Victims")
    PERPETRATORS = "perpetrators", _("Perpetrators")
    CHILDREN = "children", _("Children")
    RELATIVES = "relatives", _("Relatives")
    PROFESSIONALS = "professionals", _("Professionals")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair access")
    LIFT = "lift", _("Lift")
    ADAPTED_TOILETS = "adapted_toilets", _("Adapted toilets")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    EASY_READ = "easy_read", _("Easy-read documents")
    BRAILLE = "braille", _("Braille")
    LARGE_PRINT = "large_print", _("Large print")


class CrisisStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REDUCED = "reduced", _("Reduced service")
    CLOSED = "closed", _("Closed")


class AreaLevel(models.TextChoices):
    """What a service's area is made of, from the most local to the whole country."""

    POSTCODE = "postcode", _("Postcode")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("Judicial district")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")


def _check_choice_list(value: list[str], choices: type[models.TextChoices]) -> None:
    if not isinstance(value, list) or any(v not in choices.values for v in value):
        raise ValidationError(_("Unknown value in the list: %(values)s.")
                              % {"values": ", ".join(str(v) for v in value
                                                     if v not in choices.values)},
                              code="choice_list")


def validate_target_groups(value: list[str]) -> None:
    _check_choice_list(value, TargetGroup)


def validate_accessibility(value: list[str]) -> None:
    _check_choice_list(value, Accessibility)


def validate_language_codes(value: list[str]) -> None:
    if not isinstance(value, list) or any(
            not isinstance(v, str) or not v.isalpha() or not 2 <= len(v) <= 3 for v in value):
        raise ValidationError(_("Give languages as two- or three-letter codes, e.g. fr, nl, ar."))


class Service(models.Model):
    """One entry of the directory."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=ServiceType.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="services",
        help_text=_("The agency using Relais that keeps this entry current and receives its "
                    "referrals. Empty for services that do not use Relais."),
    )
    descriptions = models.JSONField(
        _("what it does"), default=dict, blank=True,
        help_text=_("One short text per language (fr, nl, en, de)."),
    )
    target_groups = models.JSONField(_("for whom"), default=list,
                                     validators=[validate_target_groups])
    languages = models.JSONField(_("languages"), default=list,
                                 validators=[validate_language_codes])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.CharField(_("municipality (REFNIS)"), max_length=5, blank=True,
                                    validators=[validate_refnis])
    address_confidential = models.BooleanField(
        _("confidential address"), default=False,
        help_text=_("A shelter's address: seen only by its own staff. Everyone else sees the "
                    "intake phone."),
    )
    intake_phone = models.CharField(_("intake phone"), max_length=30, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True,
                                   blank=True, validators=[MinValueValidator(49),
                                                           MaxValueValidator(52)])
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True,
                                    blank=True, validators=[MinValueValidator(2),
                                                            MaxValueValidator(7)])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_person = models.CharField(_("contact person for professionals"), max_length=120,
                                      blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    always_open = models.BooleanField(_("open 24/7"), default=False)
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    accessibility = models.JSONField(_("accessibility"), default=list, blank=True,
                                     validators=[validate_accessibility])
    requires_income = models.BooleanField(_("income required"), default=False)
    requires_residence_status = models.BooleanField(_("legal residence required"), default=False)
    accepts_undocumented = models.BooleanField(_("accepts undocumented people"), default=False)
    accepts_men = models.BooleanField(_("accepts men"), default=True)
    accepts_children = models.BooleanField(_("accepts children"), default=True)
    accepts_pets = models.BooleanField(_("accepts pets"), default=False)
    free_places = models.IntegerField(_("free places"), null=True, blank=True,
                                      help_text=_("Empty when the service has no places."))
    waiting_days = models.IntegerField(_("waiting time (days)"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+")
    crisis_status = models.CharField(_("status in a crisis"), max_length=8,
                                     choices=CrisisStatus.choices, default=CrisisStatus.OPEN)
    is_public = models.BooleanField(_("shown on the public finder"), default=True)
    is_fictitious = models.BooleanField(
        _("fictitious (demo)"), default=False,
        help_text=_("Demo entries are invented and say so on every screen."))
    updated_at = models.DateTimeField(_("entry updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # Field history (docs/history.md): before and after of each field, who and when. Who and
    # when are the history's own; the entry's "updated" stamps are not repeated in it.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "updated_by", "capacity_updated_at",
                         "capacity_updated_by"], cascade_delete_history=True)

    class Meta:
        verbose_name = _("service")
        ordering = ["name"]
        indexes = [models.Index(fields=["type"], name="service_type_idx")]
        constraints = [
            models.CheckConstraint(name="service_free_places_not_negative",
                                   condition=Q(free_places__isnull=True) | Q(free_places__gte=0)),
            models.CheckConstraint(name="service_waiting_days_not_negative",
                                   condition=Q(waiting_days__isnull=True)
                                   | Q(waiting_days__gte=0)),
            # A confidential address has no point on any map.
            models.CheckConstraint(name="service_confidential_has_no_location",
                                   condition=Q(address_confidential=False)
                                   | Q(latitude__isnull=True, longitude__isnull=True)),
            models.CheckConstraint(name="service_confidential_has_intake_phone",
                                   condition=Q(address_confidential=False)
                                   | ~Q(intake_phone="")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.free_places is not None and self.free_places < 0:
            errors["free_places"] = _("The number of free places cannot be below zero.")
        if self.waiting_days is not None and self.waiting_days < 0:
            errors["waiting_days"] = _("The waiting time cannot be below zero.")
        if self.address_confidential:
            if not self.intake_phone:
                errors["intake_phone"] = _(
                    "A service with a confidential address needs an intake phone: it is what "
                    "everyone else sees.")
            if self.latitude is not None or self.longitude is not None:
                errors["latitude"] = _("A confidential address is never placed on a map.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def description(self, language: str) -> str:
        texts = self.descriptions or {}
        return texts.get(language) or texts.get("en") or texts.get("fr") or ""

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and not self.address_confidential


class ServiceArea(models.Model):
    """One piece of the area a service serves: a postcode, a municipality, a district..."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices)
    code = models.CharField(_("code"), max_length=40, blank=True,
                            help_text=_("Empty for a national service."))

    class Meta:
        verbose_name = _("area served")
        constraints = [models.UniqueConstraint(fields=["service", "level", "code"],
                                               name="service_area_unique")]
        indexes = [models.Index(fields=["level", "code"], name="service_area_idx")]

    def __str__(self) -> str:
        return f"{self.level}:{self.code}" if self.code else self.level


class OpeningPeriod(models.Model):
    """A weekly opening period: Monday (0) 09:00–12:30."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("day"), validators=[MaxValueValidator(6)])
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening period")
        ordering = ["weekday", "opens"]
        constraints = [models.CheckConstraint(name="period_closes_after_opening",
                                              condition=Q(closes__gt=models.F("opens")))]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ScheduleException(models.Model):
    """A day that differs from the weekly schedule: closed, or other hours."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    label = models.CharField(_("why"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("schedule exception")
        ordering = ["day", "opens"]
        constraints = [models.CheckConstraint(
            name="exception_closed_or_hours",
            condition=Q(opens__isnull=True, closes__isnull=True)
            | Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")))]

    def __str__(self) -> str:
        return f"{self.day}"

    @property
    def closed(self) -> bool:
        return self.opens is None


Period = tuple[time, time]


@dataclass(frozen=True)
class Hours:
    """A service's opening hours as plain values: what ``day_periods`` reads. A search ranks
    hundreds of services by them without loading their periods as model instances."""

    always_open: bool
    closed_on_public_holidays: bool
    weekly: tuple[tuple[int, time, time], ...] = ()  # (weekday, opens, closes)
    exceptions: tuple[tuple[date, time | None, time | None], ...] = ()  # (day, opens, closes)

    def open_at(self, local: datetime, *, holidays: set[date]) -> bool:
        """Open at ``local``, a time already in the local time zone."""
        now = local.time()
        return any(opens <= now < closes
                   for opens, closes in day_periods(self, local.date(), holidays=holidays))

    def next_opening(self, local: datetime, *, holidays: set[date], days: int = 8
                     ) -> datetime | None:
        """When it next opens after ``local`` (in the local time zone), within ``days``."""
        for offset in range(days):
            day = local.date() + timedelta(days=offset)
            for opens, _closes in day_periods(self, day, holidays=holidays):
                start = datetime.combine(day, opens, tzinfo=local.tzinfo)
                if start > local:
                    return start
        return None


def hours_of(service: Service | Hours) -> Hours:
    """The hours of a service, read through ``.all()`` so that a list prefetched once serves
    every service of a list."""
    if isinstance(service, Hours):
        return service
    if service.always_open:
        return Hours(always_open=True, closed_on_public_holidays=False)
    return Hours(
        always_open=False, closed_on_public_holidays=service.closed_on_public_holidays,
        weekly=tuple((p.weekday, p.opens, p.closes) for p in service.periods.all()),
        exceptions=tuple((e.day, e.opens, e.closes) for e in service.exceptions.all()))


def day_periods(service: Service | Hours, day: date, *, holidays: set[date]) -> list[Period]:
    """Opening periods of one day, exceptions and public holidays included."""
    hours = hours_of(service)
    if hours.always_open:
        return [(time(0, 0), time(23, 59, 59))]
    exceptions = [(opens, closes) for when, opens, closes in hours.exceptions if when == day]
    if exceptions:
        return [(opens, closes) for opens, closes in exceptions if opens is not None]
    if hours.closed_on_public_holidays and day in holidays:
        return []
    weekday = day.weekday()
    return [(opens, closes) for on, opens, closes in hours.weekly if on == weekday]


def is_open_at(service: Service | Hours, moment: datetime, *, holidays: set[date]) -> bool:
    return hours_of(service).open_at(timezone.localtime(moment), holidays=holidays)
