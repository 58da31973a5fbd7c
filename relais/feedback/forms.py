"""Forms of the public feedback pages: the code from the leaflet, and the questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relais.feedback.questions import Questionnaire
from relais.feedback.services import normalise_code, zone_for_code


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code on your leaflet"), max_length=40,
        help_text=_("Six letters and digits, for example K7WQ3M. Capitals and spaces do not "
                    "matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}))

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if zone_for_code(code) is None:
            raise ValidationError(_("We do not know this code. Check it on your leaflet: six "
                                    "letters and digits, without O or I."), code="unknown")
        return code


class FeedbackForm(forms.Form):
    """One optional question per field, answered with radio buttons."""

    def __init__(self, *args: Any, questions: Questionnaire, language: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions.questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text(language), required=False, widget=forms.RadioSelect,
                choices=[(a.code, a.label(language)) for a in question.answers],
                error_messages={"invalid_choice": _(
                    "This answer is not one of the choices: choose one, or leave the question "
                    "blank.")})
