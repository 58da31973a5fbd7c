from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.cases.models import Sex


class ProbeForm(forms.Form):
    """The identity being typed in "Add a person", as far as it goes: nothing is required, a
    field that does not parse is ignored."""

    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    birth_date = forms.DateField(required=False)
    sex = forms.ChoiceField(required=False, choices=Sex.choices)
    national_number = forms.CharField(required=False, max_length=15)

    def identity(self) -> dict:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields
                if name not in self.errors}
        return {k: v for k, v in data.items() if v}

    @staticmethod
    def enough(identity: dict) -> bool:
        """A last name with a first name or a birth date, or a national number."""
        return bool(identity.get("national_number")) or (
            bool(identity.get("last_name"))
            and bool(identity.get("first_name") or identity.get("birth_date")))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("same", _("The same person")), ("different", _("Not the same person"))])
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("What you checked, e.g. the national number on the ID "
                                        "card, or a call with the other agency."))


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Reason for undoing"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ContinueForm(forms.Form):
    into = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why this report belongs to the earlier file"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the same couple: confirmed by the national numbers."))
