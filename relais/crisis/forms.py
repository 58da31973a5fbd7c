from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.versions import VersionField
from relais.crisis.models import CrisisKind
from relais.directory.models import CrisisStatus


class DeclareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of crisis"), choices=CrisisKind.choices)
    area = forms.ChoiceField(label=_("Area"))
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_end = forms.DateField(label=_("Expected end"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    schools_closed = forms.BooleanField(
        label=_("Schools are closed"), required=False,
        help_text=_("Every open case with children then gets a task to check on them. A "
                    "pandemic closes schools by itself."))

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas

    def area_parts(self) -> tuple[str, str]:
        level, _sep, code = self.cleaned_data["area"].partition(":")
        return level, code


class ConfirmForm(forms.Form):
    status = forms.ChoiceField(choices=CrisisStatus.choices)
    free_places = forms.IntegerField(required=False, min_value=0, max_value=10000)


class DebriefForm(forms.Form):
    what_failed = forms.CharField(label=_("What failed"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    what_worked = forms.CharField(label=_("What worked"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    unreachable = forms.TypedMultipleChoiceField(
        label=_("Services that were unreachable"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pre-filled with the services shown as unconfirmed during the crisis."))
    unreachable_note = forms.CharField(label=_("About the unreachable services"),
                                       required=False, max_length=5000,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()

    def __init__(self, *args, services: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unreachable"].choices = services
