"""Forms built from an instrument: one yes / no / unknown question per item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.versions import VersionField
from relais.risk.instruments import Instrument, category_label, instrument_get
from relais.risk.models import Decision
from relais.risk.services import item_field

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))]


def item_fields(instrument: Instrument | str, language: str | None) -> dict[str, forms.Field]:
    """The instrument's questions as required radio fields named ``item_<code>``."""
    if isinstance(instrument, str):
        instrument = instrument_get(instrument)
    return {
        item_field(item.code): forms.ChoiceField(
            label=item.question_in(language), help_text=item.help_in(language),
            choices=ANSWER_CHOICES, widget=forms.RadioSelect,
            error_messages={"required": _("Answer yes, no or unknown: unknown is not no.")},
        )
        for item in instrument.items
    }


def judgement_fields(instrument: Instrument, language: str | None,
                     help_text: str) -> dict[str, forms.Field]:
    """The assessor's own level and its justification, under the grid's answers."""
    return {
        "final_level": forms.ChoiceField(
            label=_("Your final level"), required=False,
            choices=[("", _("The computed level")),
                     *[(level.code, level.label_in(language)) for level in instrument.levels]],
            help_text=help_text),
        "justification": forms.CharField(
            label=_("Justification"), required=False, max_length=3000,
            widget=forms.Textarea(attrs={"rows": 3})),
    }


class InstrumentAnswers:
    """A form holding an instrument's questions (``self.instrument``): its groups of fields
    for the template and the answers for the service (the assessment and its addendum)."""

    instrument: Instrument

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups = []
        for category in ("victim", "perpetrator", "context"):
            fields = [self[item_field(item.code)] for item in self.instrument.items
                      if item.category == category]
            if fields:
                groups.append((category_label(category), fields))
        return groups

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        answers = {item.code: data.pop(item_field(item.code)) for item in self.instrument.items}
        return {"answers": answers, **data}


class AssessmentForm(InstrumentAnswers, forms.Form):
    def __init__(self, *args: Any, instrument: Instrument, language: str | None,
                 persons: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["person_id"] = forms.TypedChoiceField(
            label=_("Person assessed"), coerce=int, choices=persons,
            initial=persons[0][0] if persons else None)
        self.fields.update(item_fields(instrument, language))
        self.fields.update(judgement_fields(instrument, language, _(
            "The grid aids your judgement: you may set another level. Say why; a lower level "
            "needs a colleague's confirmation.")))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Decision.ACCEPTED, _("Accept")),
                                          (Decision.DECLINED, _("Decline"))])
    reason = forms.CharField(label=_("Reason for declining"), required=False, max_length=1000)
    version = VersionField()
