"""The forms of the safety plan. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from relais.access.models import ConsentMethod
from relais.cases.models import Person
from relais.safetyplan.models import (
    CONTENT_FIELDS,
    PLAN_LANGUAGES,
    DangerStep,
    DigitalItem,
    PlanVersion,
    ReadyItem,
)
from relais.safetyplan.services import ChildLine, PlanContent


def _text(name: str, rows: int = 3) -> forms.CharField:
    field = PlanVersion._meta.get_field(name)
    return forms.CharField(label=capfirst(field.verbose_name), required=False,
                           max_length=field.max_length, help_text=field.help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _checks(name: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=capfirst(PlanVersion._meta.get_field(name).verbose_name),
                                     required=False, choices=choices.choices,
                                     widget=forms.CheckboxSelectMultiple)


class PlanForm(forms.Form):
    """The plan: made with her, or reviewed at a contact."""

    language = forms.ChoiceField(label=_("Her language (for the printed plan)"),
                                 choices=PLAN_LANGUAGES)
    safe_places = _text("safe_places")
    trusted_persons = _text("trusted_persons")
    code_word = forms.CharField(label=_("Code word"), required=False, max_length=100)
    code_word_meaning = _text("code_word_meaning", 2)
    ready_items = _checks("ready_items", ReadyItem)
    ready_where = _text("ready_where", 2)
    children_plan = _text("children_plan", 2)
    digital_items = _checks("digital_items", DigitalItem)
    spying_signs = _text("spying_signs", 2)
    safe_phone = _text("safe_phone", 2)
    danger_steps = _checks("danger_steps", DangerStep)
    danger_plan = _text("danger_plan", 4)
    risk_persons = forms.MultipleChoiceField(
        label=_("Persons of the case who are a risk to her"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The plan is never shown to an organisation that works with them. The "
                    "alleged perpetrators of the case always count."))
    review_note = forms.CharField(label=_("Note of this contact"), required=False,
                                  max_length=500)
    read_number = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, children: list[Person], others: list[Person],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_persons"].choices = [(str(p.pk), f"{p.first_name} {p.last_name}")
                                               for p in others]
        self.child_fields: list[tuple[Person, str, str]] = []
        for child in children:
            do, pickup = f"child_{child.pk}_do", f"child_{child.pk}_pickup"
            self.fields[do] = forms.CharField(
                label=_("What %(name)s does") % {"name": child.first_name}, required=False,
                max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[pickup] = forms.CharField(
                label=_("Who picks %(name)s up") % {"name": child.first_name},
                required=False, max_length=200)
            self.child_fields.append((child, do, pickup))

    def sections(self) -> list[tuple[Any, list]]:
        """The form's parts, in the order she goes through them (a fieldset each)."""
        children = [self[name] for _child, do, pickup in self.child_fields
                    for name in (do, pickup)]
        return [
            (_("Safe places and trusted persons"), [self["safe_places"],
                                                    self["trusted_persons"]]),
            (_("Code word"), [self["code_word"], self["code_word_meaning"]]),
            (_("Ready to take"), [self["ready_items"], self["ready_where"]]),
            (_("The children"), [self["children_plan"], *children]),
            (_("Phone and accounts"), [self["digital_items"], self["spying_signs"],
                                       self["safe_phone"]]),
            (_("At the moment of danger"), [self["danger_steps"], self["danger_plan"]]),
            (_("This contact"), [self["risk_persons"], self["language"],
                                 self["review_note"]]),
        ]

    def content(self) -> PlanContent:
        data = self.cleaned_data
        return PlanContent.from_data({
            **{name: data.get(name) for name in CONTENT_FIELDS},
            "children": [ChildLine(child_id=child.pk, what_they_do=data.get(do, ""),
                                   picked_up_by=data.get(pickup, ""))
                         for child, do, pickup in self.child_fields],
            "risk_person_ids": [int(pk) for pk in data.get("risk_persons", [])]})


def her_language(person: Person) -> str:
    """The language of the printed plan by default: her file's, else the first she speaks that
    the plan is printed in, else French."""
    printable = dict(PLAN_LANGUAGES)
    for code in [person.file_language, *(person.languages or [])]:
        if code in printable:
            return code
    return "fr"


def initial_of(view, perpetrator_ids: set[int], person: Person | None = None) -> dict[str, Any]:
    """The review form filled with the current version (``view``: a VersionView), or, for a new
    plan (``view`` None), her language and the alleged perpetrators ticked as risks."""
    if view is None:
        return {"risk_persons": [str(pk) for pk in sorted(perpetrator_ids)],
                "language": her_language(person) if person else "fr"}
    version = view.version
    initial: dict[str, Any] = {name: getattr(version, name) for name in CONTENT_FIELDS}
    initial["risk_persons"] = [str(pk) for pk in version.risk_person_ids]
    initial["language"] = version.plan.language
    initial["read_number"] = version.number
    for line in view.children:
        initial[f"child_{line.child_id}_do"] = line.what_they_do
        initial[f"child_{line.child_id}_pickup"] = line.picked_up_by
    return initial


class ConfirmForm(forms.Form):
    """Reviewed with her, nothing changed."""

    review_note = forms.CharField(label=_("Note of this contact"), required=False,
                                  max_length=500)
    read_number = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ConsentForm(forms.Form):
    agency = forms.ChoiceField(label=_("Show the plan to"))
    method = forms.ChoiceField(label=_("How she consented"), choices=ConsentMethod.choices)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Choose an organisation")),
                                         *((str(pk), name) for pk, name in agencies)]
