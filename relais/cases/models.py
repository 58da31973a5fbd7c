"""The case file: one household or couple situation, its persons and its timeline.

Field groups map to access scopes (see relais.access.scopes):
- identity (names, birth date, sex, gender, languages, national number, role): every reader;
- contact: phone numbers, addresses that are not confidential, safe-contact instructions;
- confidential location: confidential addresses (shelter...), only for their keeper agency and
  explicit shares of that scope;
- health: specific needs (disability, addiction, residence status...);
- judicial: the narrative of the facts (notes in that scope, later reports).
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.be import nn as belgian_nn
from stdnum.exceptions import ValidationError as StdnumError

from relais.accounts.models import (
    WORKING_LANGUAGES,
    Agency,
    municipality_name,
    validate_refnis,
)
from relais.core.texts import render


class Situation(models.TextChoices):
    COUPLE = "couple", _("Couple")
    EX_COUPLE = "ex_couple", _("Former couple")
    HOUSEHOLD = "household", _("Household (intrafamily)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    # Regrouped into another case of the same household (relais.justice.merge); its records
    # moved to ``merged_into`` and come back if the merge is undone.
    MERGED = "merged", _("Merged into another case")


class Case(models.Model):
    """One family, one file. Belongs to the agency that opened it."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    situation = models.CharField(_("situation"), max_length=12, choices=Situation.choices)
    municipality = models.CharField(
        _("municipality (REFNIS)"), max_length=5, validators=[validate_refnis],
        help_text=_("Where the household lives or the facts took place; decides the judicial "
                    "district."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases",
        verbose_name=_("merged into"),
        help_text=_("The case of the same household this one was regrouped into."),
    )
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        verbose_name = _("case")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["owner_agency", "-opened_at"], name="case_owner_idx")]
        constraints = [
            models.CheckConstraint(
                name="case_merged_has_target",
                condition=(models.Q(status="merged", merged_into__isnull=False)
                           & ~models.Q(merged_into=models.F("pk")))
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_merged(self) -> bool:
        return self.status == CaseStatus.MERGED


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / intersex")
    UNKNOWN = "U", _("Unknown")


def validate_national_number(value: str) -> None:
    """Belgian national number (rijksregisternummer / numéro de registre national)."""
    try:
        belgian_nn.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("This is not a valid Belgian national number (11 digits, with a check number)."),
            code="national_number",
        ) from error


def validate_language_list(value: list[str]) -> None:
    if not isinstance(value, list) or any(not isinstance(v, str) or len(v) > 8 for v in value):
        raise ValidationError(_("Give languages as codes, e.g. fr, nl, ar."))


class Person(models.Model):
    """A person known in one or more cases, recorded by one agency."""

    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(_("gender identity"), max_length=60, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_language_list]
    )
    file_language = models.CharField(
        _("language of the administrative file"), max_length=2, choices=WORKING_LANGUAGES,
        blank=True,
    )
    national_number = models.CharField(
        _("national number"), max_length=11, blank=True, validators=[validate_national_number]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"],
                                cascade_delete_history=True)

    class Meta:
        verbose_name = _("person")
        # Not unique: two agencies may each record the same person, and a uniqueness error
        # would tell one agency that another knows her.
        indexes = [
            models.Index(fields=["national_number"], name="person_nn_idx"),
            # The exact-match hints (same name and birth date; justice.selectors).
            models.Index("birth_date", Upper("last_name"), name="person_birth_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        if self.national_number:
            self.national_number = belgian_nn.compact(self.national_number)

    @property
    def formatted_national_number(self) -> str:
        return belgian_nn.format(self.national_number) if self.national_number else ""


class ParticipantRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    ALLEGED_PERPETRATOR = "alleged_perpetrator", _("Alleged perpetrator")
    CHILD = "child", _("Child")
    HOUSEHOLD_MEMBER = "household_member", _("Other household member")
    WITNESS = "witness", _("Witness")
    THIRD_PARTY = "third_party", _("Third party")


# The order in which persons are listed: the victim first.
ROLE_ORDER = [ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR, ParticipantRole.CHILD,
              ParticipantRole.HOUSEHOLD_MEMBER, ParticipantRole.WITNESS,
              ParticipantRole.THIRD_PARTY]
ROLE_RANK = models.Case(
    *(models.When(role=role, then=rank) for rank, role in enumerate(ROLE_ORDER)),
    output_field=models.IntegerField(),
)


class CaseParticipant(models.Model):
    """A person's role in one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role in the case"), max_length=20, choices=ParticipantRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person in the case")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class PhoneNumber(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20)
    label = models.CharField(_("label"), max_length=60, blank=True)
    safe = models.BooleanField(
        _("safe to call"), default=False,
        help_text=_("She chose this number as a safe way to reach her."),
    )
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        verbose_name = _("phone number")

    def __str__(self) -> str:
        return self.formatted

    @property
    def formatted(self) -> str:
        try:
            parsed = phonenumbers.parse(self.number, "BE")
        except phonenumbers.NumberParseException:
            return self.number
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_phone(raw: str) -> str:
    """E.164 form of a Belgian or international number, or a ValidationError."""
    try:
        parsed = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("This is not a phone number."), code="phone") from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("This phone number is not valid."), code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(
        _("municipality (REFNIS)"), max_length=5, validators=[validate_refnis]
    )
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("A shelter or hiding address: seen only by the agency that keeps it and by "
                    "explicit shares of the confidential-location scope."),
    )
    keeper_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+",
        help_text=_("The agency that recorded this address (the hosting shelter for a shelter "
                    "address)."),
    )
    current = models.BooleanField(_("current address"), default=True)
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode} {self.municipality_label}"

    @property
    def municipality_label(self) -> str:
        return municipality_name(self.municipality, (get_language() or "fr")[:2])


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person at the service")
    THROUGH_SERVICE = "through_service", _("Through her support service")


class NeverDo(models.TextChoices):
    LEAVE_MESSAGE = "leave_message", _("Never leave a voice message")
    SEND_LETTER_HOME = "send_letter_home", _("Never send a letter to the home address")
    VISIT_HOME = "visit_home", _("Never visit at home")
    CALL_OUTSIDE_HOURS = "call_outside_hours", _("Never call outside the hours given")
    SPEAK_TO_PARTNER = "speak_to_partner", _("Never speak to the partner or leave word with them")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


# What a correction of her identity, and the safe-contact form, write (and version:
# relais.core.versions).
PERSON_FIELDS = ("first_name", "last_name", "birth_date", "sex", "gender", "languages",
                 "file_language", "national_number")
SAFE_CONTACT_FIELDS = ("channel", "hours", "can_speak_freely", "never", "notes")


class SafeContactInstructions(models.Model):
    """How and when she can be contacted safely (contact scope)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="safe_contact")
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    hours = models.CharField(_("hours"), max_length=120, blank=True)
    can_speak_freely = models.CharField(
        _("can speak freely"), max_length=8, choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    never = models.JSONField(_("never do"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(excluded_fields=["updated_at"], cascade_delete_history=True)

    class Meta:
        verbose_name = _("safe-contact instructions")

    def __str__(self) -> str:
        return self.get_channel_display()

    def clean(self) -> None:
        super().clean()
        allowed = set(NeverDo.values)
        if not isinstance(self.never, list) or any(v not in allowed for v in self.never):
            raise ValidationError({"never": _("Unknown instruction.")})

    def never_labels(self) -> list[str]:
        labels = dict(NeverDo.choices)
        return [str(labels[v]) for v in self.never if v in labels]


class NeedKind(models.TextChoices):
    INTERPRETER = "interpreter", _("Interpreter")
    DISABILITY = "disability", _("Disability and accessibility")
    RESIDENCE_STATUS = "residence_status", _("Residence status")
    ADDICTION = "addiction", _("Addiction")
    HOMELESSNESS = "homelessness", _("Homelessness")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PREGNANCY = "pregnancy", _("Pregnancy or recent birth")
    OTHER = "other", _("Other")


class SpecificNeed(models.Model):
    """A need to plan for (health and vulnerability scope)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("need"), max_length=20, choices=NeedKind.choices)
    detail = models.CharField(
        _("detail"), max_length=300, blank=True,
        help_text=_("e.g. the interpreter's language, ramp needed, card F since 2024..."),
    )
    # Field history (docs/history.md): before and after of each field, who and when.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        verbose_name = _("specific need")

    def __str__(self) -> str:
        return self.get_kind_display()


class CaseAssignment(models.Model):
    """A staff member of the owning agency assigned to the case (e.g. the neighbourhood officer)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.case}"


class CaseNote(models.Model):
    """A written note on the case, kept in one scope (judicial narrative by default)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("visible to"), max_length=24)
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")

    def __str__(self) -> str:
        return f"note {self.pk} on {self.case}"


class TimelineEntry(models.Model):
    """One dated thing that happened on a case.

    Later parts of Relais (reports, assessments, referrals, tasks, measures) add entries with
    ``relais.cases.timeline.timeline_add``; ``kind`` names the entry type registered in
    ``relais.cases.timeline``, ``scope`` the access scope needed to see it ("" = anyone who
    sees the case), and ``source_type``/``source_id`` the object it stands for. What it says is
    ``summary_codes``, a text Relais writes (``relais.core.texts``), shown in the reader's
    language; ``summary`` holds words shown as they are (a name, a person's note, or the text of
    an entry written before codes). Read ``summary_text``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("date"))
    kind = models.CharField(_("kind"), max_length=40)
    scope = models.CharField(_("scope"), max_length=24, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_codes = models.JSONField(_("summary"), default=list, blank=True)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="timeline_case_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"

    @property
    def summary_text(self) -> str:
        """What the entry says, in the reader's language."""
        return render(self.summary_codes, fallback=self.summary)


class ClosureReason(models.TextChoices):
    """Why a case is closed (issue 20 §4): a coded list, never free text alone."""

    SAFE = "safe", _("She is safe, with the measures in place")
    MOVED = "moved", _("She moved (transfer to the new zone)")
    NO_CONTACT = "no_contact", _("No contact possible after the required attempts")
    DECLINED = "declined", _("She declined further help")
    MERGED = "merged", _("The case continues in another case")


class CaseClosure(models.Model):
    """One closure of a case, with its coded reason. A case reopened (linkage's "continue on",
    an undone merge...) keeps its closures: ``reopened_at`` is set, the row stays."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason"), max_length=16, choices=ClosureReason.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The open items she acknowledged, by kind: [["task", 3], ["measure", 1]] (no words).
    acknowledged = models.JSONField(default=list, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed"))
    # The second person who approved it, when the closure needed one (relais.approvals).
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case closure")
        ordering = ["-closed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(reopened_at__isnull=True),
                                    name="case_one_current_closure"),
        ]

    def __str__(self) -> str:
        return f"closure of {self.case_id}: {self.reason}"
