"""The addendum forms: the record's correctable fields filled with what is recorded, and the
reason. The service keeps only the fields that differ."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.amendments.services import REPORT_FIELDS
from relais.intake.models import Report
from relais.risk.forms import InstrumentAnswers, item_fields, judgement_fields
from relais.risk.instruments import Instrument
from relais.risk.models import RiskAssessment
from relais.risk.services import item_field

RADIO_FIELDS = ("children_present", "perpetrator_left", "seen_alone", "spoke_freely",
                "childcare")


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why do you correct the record?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you correct the record.")},
        help_text=_("Kept with the addendum and shown in the case timeline: the record as "
                    "first saved stays readable."))


class ReportAddendumForm(forms.Form):
    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        # The form shows the time of the facts to the minute: an untouched one is no change.
        self.shown_offence_at = report.offence_at.replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {**{name: getattr(report, name) for name in REPORT_FIELDS},
                                      "offence_at": self.shown_offence_at})
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field()
        for name, field in forms.fields_for_model(Report, fields=REPORT_FIELDS).items():
            if name in RADIO_FIELDS:
                field.widget = forms.RadioSelect(choices=field.choices)
                field.choices = [c for c in field.choices if c[0] != ""]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            self.fields[name] = field
        self.fields["pv_number"].help_text = _(
            "The number the prosecutor's office knows the report by, once it is known.")
        self.fields["offence_at"] = forms.DateTimeField(
            label=_("Date and time of the facts"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                       format="%Y-%m-%dT%H:%M"))
        self.fields["recorded_on"] = forms.DateField(
            label=_("Record date"), widget=forms.DateInput(attrs={"type": "date"},
                                                             format="%Y-%m-%d"))
        if not report.is_official:
            del self.fields["pv_number"]
        self.order_fields(["reason", *REPORT_FIELDS])

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        changes = {name: data[name] for name in self.changed_data
                   if name in data and name != "reason"}
        if changes.get("offence_at") == self.shown_offence_at:
            del changes["offence_at"]
        return {"reason": reason, "changes": changes}


class AssessmentAddendumForm(InstrumentAnswers, forms.Form):
    def __init__(self, *args: Any, assessment: RiskAssessment, instrument: Instrument,
                 language: str | None, **kwargs: Any) -> None:
        initial = {item_field(code): answer for code, answer in assessment.answers.items()}
        initial["final_level"] = assessment.final_level if assessment.overridden else ""
        initial["justification"] = assessment.justification
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["reason"] = _reason_field()
        self.fields.update(item_fields(instrument, language))
        self.fields.update(judgement_fields(instrument, language, _(
            "A lower level than the computed one needs a colleague's confirmation again.")))
