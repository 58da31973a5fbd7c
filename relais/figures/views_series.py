"""Screens of the partner series: the list, the upload form with its validation report, and a
series' page (its table, a chart, the check's findings). docs/figures.md, "Partner series".

The views parse input and call the selectors (relais.figures.selectors_series) or the import
(relais.figures.series_job, which runs relais.figures.series.series_import out of the
request); the policy (relais.access.figures) decides, and every
refusal is a 404.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from relais.access.figures import may_import_series
from relais.core.actor import actor_from
from relais.core.ids import parse_id
from relais.figures.models import Series
from relais.figures.selectors_series import category_label, series_list, series_read
from relais.figures.series_job import SUFFIXES, series_import_start, series_job_report

MAX_UPLOAD_MB = 5


class SeriesUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    unit = forms.CharField(
        label=gettext_lazy("What N counts"), max_length=Series._meta.get_field("unit").max_length,
        initial="units", required=False,
        help_text=gettext_lazy("The unit of the _total lines: calls, children, participants, "
                               "respondents…"))
    categories = forms.ChoiceField(
        label=gettext_lazy("Categories"), widget=forms.RadioSelect, initial="exclusive",
        choices=[("exclusive", gettext_lazy("Exclusive: each unit is in one category, the parts "
                                            "add up to N")),
                 ("multiple", gettext_lazy("Several answers possible: shares of N may sum over "
                                           "100 %"))])
    source = forms.CharField(
        label=gettext_lazy("Source and credit"), required=False,
        max_length=Series._meta.get_field("source").max_length,
        help_text=gettext_lazy("Who published the counts, and where."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Long format, one count per line, under the header series,period,area,category,"
            "count (optionally ,share). At most %(max)d MB. A series imported again under the "
            "same name is replaced.") % {"max": MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Choose a CSV or an XLSX file (.csv or .xlsx)."))
        if upload.size > MAX_UPLOAD_MB * 1_000_000:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB: split the series or leave out the "
                  "periods already loaded.") % {"max": MAX_UPLOAD_MB})
        return upload


@login_required
@require_GET
def series_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    summaries = series_list(actor=actor)
    return render(request, "figures/series_list.html", {
        "summaries": summaries, "may_import": may_import_series(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def series_upload(request: HttpRequest) -> HttpResponse:
    """A good form starts the import as a job and sends her to its progress; the job's report of
    a bad file comes back here (``?job=<id>``) with her form, nothing loaded."""
    actor = actor_from(request)
    if not may_import_series(actor):
        raise Http404
    posted = request.method == "POST"
    form = SeriesUploadForm(request.POST, request.FILES) if posted else SeriesUploadForm()
    problems, count = None, 0
    if posted and form.is_valid():
        upload, data = form.cleaned_data["file"], form.cleaned_data
        job = series_import_start(
            actor=actor, data=b"".join(upload.chunks()), suffix=Path(upload.name).suffix,
            unit=data["unit"], categories_exclusive=data["categories"] == "exclusive",
            source=data["source"])
        return redirect("core:job", job_id=job.pk)
    job_id = parse_id(request.GET.get("job", "")) if not posted else None
    if job_id:
        report = series_job_report(actor=actor, job_id=job_id)
        if report:
            problems, count, initial = report
            form = SeriesUploadForm(initial=initial)
    return render(request, "figures/series_upload.html", {
        "form": form, "problems": problems, "problem_count": count})


@login_required
@require_GET
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    actor = actor_from(request)
    page = series_read(actor=actor, series_id=series_id, area=request.GET.get("area", ""),
                       category=request.GET.get("category", ""))
    return render(request, "figures/series_detail.html", {
        "page": page, "table": page.panel.table, "chart": page.panel.chart,
        "category_choices": [(name, category_label(name)) for name in page.categories],
        "may_import": may_import_series(actor)})
