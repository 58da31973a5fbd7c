from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.versions import VersionField
from relais.femicide.models import ContactKind, Method, Outcome, Record, Relation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date of the facts"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    victim_sex = forms.ChoiceField(label=_("Victim's sex"),
                                   choices=Record._meta.get_field("victim_sex").choices,
                                   widget=forms.RadioSelect, initial="F")
    relation = forms.ChoiceField(label=_("The perpetrator was her"), choices=Relation.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    children_present = forms.BooleanField(label=_("Children were present"), required=False)
    case_reference = forms.CharField(
        label=_("Case in Relais (reference)"), required=False, max_length=40,
        help_text=_("If the family had a case: what Relais knew before the facts is taken from "
                    "it (reports, the last risk assessment, bans in force)."))


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ContactKind.choices)
    on = forms.DateField(label=_("When"), required=False, widget=DATE)
    what = forms.CharField(label=_("What happened"), max_length=500)


class ReviewForm(forms.Form):
    known = forms.CharField(label=_("What was known, by whom and when"), required=False,
                            max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    missed = forms.CharField(label=_("What was missed"), required=False, max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    changes = forms.CharField(label=_("What will change, and who sees to it"), required=False,
                              max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    version = VersionField()


class ReviewersForm(forms.Form):
    reviewers = forms.TypedMultipleChoiceField(label=_("Named reviewers"), coerce=int,
                                               widget=forms.CheckboxSelectMultiple)
    version = VersionField()

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = people
