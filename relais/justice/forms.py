from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, municipality_name
from relais.core.versions import VersionField
from relais.justice.models import DEFAULT_DECISION_DAYS, Decision, Measure
from relais.justice.services import district_municipalities, readers_of


def _reader_choices(agency_id: int) -> list[tuple[int, str]]:
    return [(user.pk, user.get_full_name() or user.username)
            for user in readers_of(agency_id)]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    measures = forms.MultipleChoiceField(label=_("Measures ordered"), choices=Measure.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
    other_measure = forms.CharField(label=_("Other measure"), max_length=200, required=False,
                                    help_text=_("If you ticked “Other”."))
    note = forms.CharField(label=_("Note for the office"), max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("The police zone sees the decision and the measures, "
                                       "not this note."))
    version = VersionField()


class ReaderForm(forms.Form):
    reader = forms.TypedChoiceField(label=_("Reader"), coerce=int, empty_value=None,
                                    required=False)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"].choices = [("", _("— nobody yet —")),
                                         *_reader_choices(agency_id)]


class MergeForm(forms.Form):
    other_case = forms.CharField(label=_("Reference of the other case"), max_length=20)
    keep = forms.ChoiceField(
        label=_("Which case is kept?"), widget=forms.RadioSelect, initial="this",
        choices=[("this", _("This case: the other one is merged into it")),
                 ("other", _("The other case: this one is merged into it"))])
    reason = forms.CharField(label=_("Why are they one household or couple?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    other_case = forms.CharField(
        label=_("Reference of the other agency's case"), max_length=20,
        help_text=_("A case of another police zone that your agency can open (e.g. through a "
                    "case consultation)."))
    keep = forms.ChoiceField(
        label=_("Which case is kept?"), widget=forms.RadioSelect, initial="this",
        choices=[("this", _("This case: the other one is merged into it")),
                 ("other", _("The other case: this one is merged into it"))])
    reason = forms.CharField(
        label=_("Why are they one household or couple?"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other agency reads this before it answers, without seeing your case."))


class ProposalAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))],
                                 widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Your answer"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required to decline; the proposing agency reads it."))


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Why is the merge undone?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("e.g. Family and youth section"))
    decision_days = forms.IntegerField(label=_("Decision due within (days)"), min_value=1,
                                       max_value=365, initial=DEFAULT_DECISION_DAYS)
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities covered"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for the section that takes every other municipality of "
                    "the district."))
    readers = forms.TypedMultipleChoiceField(
        label=_("Readers"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("A new report goes to the reader with the fewest reports waiting for a "
                    "decision."))
    version = VersionField()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = (get_language() or "fr")[:2]
        codes = district_municipalities(agency.arrondissement) if agency.arrondissement else ()
        self.fields["municipalities"].choices = sorted(
            ((code, f"{municipality_name(code, language)} ({code})") for code in codes),
            key=lambda choice: choice[1])
        self.fields["readers"].choices = _reader_choices(agency.pk)
