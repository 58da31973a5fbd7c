"""HTML input for the case file. Services do the validation that matters; forms parse."""

from __future__ import annotations

import belgica
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.access.scopes import Scope
from relais.accounts.models import WORKING_LANGUAGES
from relais.cases.deletion import DeletionReason
from relais.cases.models import (
    ClosureReason,
    ContactChannel,
    NeedKind,
    NeverDo,
    ParticipantRole,
    Sex,
    Situation,
    YesNoUnknown,
)
from relais.core.versions import VersionField


def municipality_choices() -> list[tuple[str, str]]:
    language = (get_language() or "fr")[:2]
    rows = []
    for record in belgica.municipalities():
        names = record["name"]
        rows.append((record["id"], names.get(language) or names.get("fr") or names["nl"]))
    return [("", "—")] + sorted(rows, key=lambda r: r[1])


class MunicipalityField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=municipality_choices, **kwargs)


class CaseOpenForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    municipality = MunicipalityField(
        label=_("Municipality"),
        help_text=_("Where the household lives or the facts took place."),
    )


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=ParticipantRole.choices)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    gender = forms.CharField(label=_("Gender identity"), required=False, max_length=60)
    languages = forms.CharField(
        label=_("Languages spoken"), required=False, max_length=60,
        help_text=_("Codes separated by commas, e.g. fr, ar."),
    )
    file_language = forms.ChoiceField(
        label=_("Language of her administrative file"), required=False,
        choices=[("", "—"), *WORKING_LANGUAGES],
    )
    national_number = forms.CharField(
        label=_("National number"), required=False, max_length=15,
        help_text=_("11 digits; dots and dashes are allowed."),
    )

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages", "")
        return [part.strip().lower() for part in raw.split(",") if part.strip()]


class PersonEditForm(PersonForm):
    """Correct her identity: the fields of ``PersonForm`` but her role, and the version read."""

    version = VersionField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["role"]


class PhoneForm(forms.Form):
    number = forms.CharField(label=_("Phone number"), max_length=30)
    label = forms.CharField(label=_("Label"), required=False, max_length=60)
    safe = forms.BooleanField(label=_("Safe to call"), required=False)


class AddressForm(forms.Form):
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, min_length=4)
    municipality = MunicipalityField(label=_("Municipality"))
    confidential = forms.BooleanField(
        label=_("Confidential (shelter or hiding address)"), required=False,
        help_text=_("Only your agency and agencies with an explicit share of this scope will "
                    "see it."),
    )

    def clean(self):
        data = super().clean()
        postcode, municipality = data.get("postcode"), data.get("municipality")
        if postcode and municipality:
            codes = {m["id"] for m in belgica.get_municipalities_for_postal_code(postcode)}
            if not codes:
                self.add_error("postcode", _("This is not a Belgian postcode."))
            elif municipality not in codes:
                self.add_error("municipality",
                               _("This municipality does not match the postcode."))
        return data


class SafeContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    hours = forms.CharField(label=_("Hours"), required=False, max_length=120,
                            help_text=_("e.g. weekdays 9–12, when the partner is at work."))
    can_speak_freely = forms.ChoiceField(label=_("Can she speak freely?"),
                                         choices=YesNoUnknown.choices,
                                         initial=YesNoUnknown.UNKNOWN)
    never = forms.MultipleChoiceField(label=_("Never"), choices=NeverDo.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Need"), choices=NeedKind.choices)
    detail = forms.CharField(label=_("Detail"), required=False, max_length=300)


class NoteForm(forms.Form):
    scope = forms.ChoiceField(label=_("Visible to"), choices=Scope.choices,
                              initial=Scope.JUDICIAL)
    text = forms.CharField(label=_("Note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Describe facts and behaviours; no labels or judgements."))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, national number or case reference"), min_length=2,
                        max_length=100)


class CaseCloseForm(forms.Form):
    """Closing a case: a coded reason, a note, and the open items acknowledged."""

    reason = forms.ChoiceField(label=_("Why is the case closed?"), widget=forms.RadioSelect,
                               choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where she moved (a zone or municipality, never an address) or which case "
                    "continues; anything a colleague reopening the case should know."))
    acknowledged = forms.BooleanField(
        label=_("I have read what is still open and close the case anyway"), required=False)


class CaseDeleteForm(forms.Form):
    """Deleting a case recorded in error: a coded reason and a note."""

    reason = forms.ChoiceField(label=_("Why is the case deleted?"), widget=forms.RadioSelect,
                               choices=DeletionReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a duplicate, the reference of the case that stays (REL-…). No names: "
                    "the note stays on the approval request after the case is gone."))
