"""The partner series' screens: who sees and who imports (404 for everyone else), the list in
constant queries, the upload with its validation report (and no server error whatever the
file), a series' page with its table, chart and findings; reads and imports audited. The
series are fictitious."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user, verified_client
from relais.core.jobs import job_cancel, run_queued_jobs
from relais.core.models import Job, JobState
from relais.figures import series
from relais.figures.models import Point, Series
from relais.figures.views_series import MAX_UPLOAD_MB

pytestmark = pytest.mark.django_db

HEADER = "series,period,area,category,count\n"
CALLS = (HEADER
         + "Fictitious helpline calls,2024-01,Belgium,_total,30\n"
         + "Fictitious helpline calls,2024-01,Belgium,phone,10\n"
         + "Fictitious helpline calls,2024-01,Belgium,chat,20\n"
         + "Fictitious helpline calls,2024-02,Belgium,_total,40\n"
         + "Fictitious helpline calls,2024-02,Belgium,phone,15\n"
         + "Fictitious helpline calls,2024-02,Belgium,chat,21\n")  # 36, not 40: a finding

# Who sees figures (access.figures.may_see_series) and who imports (may_import_series).
READERS = ("analyst_a", "admin_a", "reference_a", "magistrate", "legal_advisor", "counsellor")
OUTSIDERS = ("officer_a", "officer_b", "sapv_a", "neighbourhood_a", "dispatcher_a",
             "shelter_worker", "support_worker", "coordinator",
             "justice_assistant")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def import_calls(cast, client: Client | None = None, body: str = CALLS, **fields):
    """Post the upload form, then run the import job it started (as the job worker would)."""
    client = client or verified_client(cast.analyst_a)
    response = client.post(reverse("figures:series_upload"), {
        "file": upload("calls.csv", body.encode()), "unit": "calls",
        "categories": "exclusive", "source": "Fictitious helpline, demo", **fields})
    run_queued_jobs()
    return response


def followed(client: Client, response):
    """Where the import's job page sends her once it ended (the series, or the report)."""
    assert response.status_code == 302 and response.url.startswith("/jobs/"), response
    run_queued_jobs()
    job = Job.objects.get(pk=response.url.split("/")[2])
    assert job.state == JobState.DONE, (job.state, job.error)
    assert client.get(response.url).status_code == 200
    return client.get(job.result["url"])


def test_the_screens_require_signing_in(cast):
    series = Series.objects.create(name="Fictitious", imported_at="2024-01-01T00:00Z")
    for url in (reverse("figures:series_list"), reverse("figures:series_upload"),
                reverse("figures:series_detail", kwargs={"series_id": series.pk})):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_whoever_sees_figures_sees_the_series_and_only_analysts_import(cast):
    assert import_calls(cast).status_code == 302
    series = Series.objects.get()
    pages = (reverse("figures:series_list"),
             reverse("figures:series_detail", kwargs={"series_id": series.pk}))
    for username in READERS:
        client = verified_client(getattr(cast, username))
        for url in pages:
            assert client.get(url).status_code == 200, (username, url)
    for username in OUTSIDERS:
        client = verified_client(getattr(cast, username))
        for url in (*pages, reverse("figures:series_upload")):
            assert client.get(url).status_code == 404, (username, url)
        assert import_calls(cast, client).status_code == 404, username
    for username in ("admin_a", "reference_a", "magistrate", "legal_advisor", "counsellor"):
        client = verified_client(getattr(cast, username))
        assert client.get(reverse("figures:series_upload")).status_code == 404, username
        assert import_calls(cast, client).status_code == 404, username
    missing = reverse("figures:series_detail", kwargs={"series_id": series.pk + 1000})
    assert verified_client(cast.analyst_a).get(missing).status_code == 404
    assert Point.objects.count() == 6  # nobody else replaced it


def test_the_import_button_is_for_those_who_may_import(cast):
    analyst = verified_client(cast.analyst_a).get(reverse("figures:series_list"))
    reference = verified_client(cast.reference_a).get(reverse("figures:series_list"))

    button = reverse("figures:series_upload")
    assert button in analyst.content.decode()
    assert button not in reference.content.decode()


def test_the_list_shows_each_series_in_constant_queries(cast):
    client = verified_client(cast.reference_a)
    import_calls(cast)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("figures:series_list")).content.decode()
    for number in range(3):
        import_calls(cast, body=CALLS.replace("Fictitious helpline calls",
                                              f"Fictitious survey {number}"))
    with CaptureQueriesContext(connection) as four:
        more = client.get(reverse("figures:series_list")).content.decode()

    assert len(one) == len(four)
    assert "Fictitious helpline calls" in page and "Fictitious survey 2" in more
    assert "2024-01 to 2024-02 (2 periods)" in page
    assert "Fictitious helpline, demo" in page and "Analyst Test" in page
    assert "<strong>1</strong>" in page  # the one finding
    assert AuditEvent.objects.filter(action="read", user_id=cast.reference_a.pk,
                                     basis="partner series list (4 series)").exists()


def test_an_upload_loads_the_series_and_opens_it(cast):
    response = import_calls(cast)

    series = Series.objects.get()
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    job = Job.objects.get()
    assert job.result["url"] == reverse("figures:series_detail", kwargs={"series_id": series.pk})
    assert (job.done, job.total, job.payload) == (job.total, 8, b"")
    assert (series.unit, series.source, series.imported_by) == (
        "calls", "Fictitious helpline, demo", cast.analyst_a)
    assert AuditEvent.objects.filter(object_type="figures.series", object_id=str(series.pk),
                                     action="create", user_id=cast.analyst_a.pk).exists()


def test_an_xlsx_upload_with_several_answers_possible(cast):
    workbook = Workbook()
    for row in [("series", "period", "area", "category", "count"),
                ("Fictitious survey", 2023, "Wallonia", "_total", 100),
                ("Fictitious survey", 2023, "Wallonia", "psychological", 80),
                ("Fictitious survey", 2023, "Wallonia", "physical", 40)]:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)

    client = verified_client(cast.analyst_a)
    response = client.post(reverse("figures:series_upload"), {
        "file": upload("survey.XLSX", content.getvalue()), "unit": "respondents",
        "categories": "multiple", "source": ""})

    assert followed(client, response).status_code == 200
    series = Series.objects.get()
    assert not series.categories_exclusive and series.points.count() == 3


def test_a_bad_file_shows_the_report_loads_nothing_and_keeps_the_form(cast):
    import_calls(cast)
    before = list(Point.objects.values_list("period", "category", "count"))
    bad = (CALLS.replace("2024-02,Belgium,phone,15", "2024-13,Belgium,phone,15")
           + "Fictitious helpline calls,2024-03,,chat,-1\n")

    client = verified_client(cast.analyst_a)
    response = followed(client, import_calls(cast, client, body=bad, unit="calls answered",
                                             source="Kept source"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: the file has 3 problems." in page
    for line, field, message in (
            ("6", "period", "the period must be YYYY-MM or YYYY, not &#x27;2024-13&#x27;"),
            ("8", "area", "the area is empty"),
            ("8", "count", "the count must not be negative (-1)")):
        assert f"<tr><td>{line}</td><td>{field}</td><td>{message}</td></tr>" in page
    assert 'value="calls answered"' in page and 'value="Kept source"' in page
    assert list(Point.objects.values_list("period", "category", "count")) == before


def test_the_report_is_in_the_readers_language(cast):
    client = verified_client(cast.analyst_a, language="fr")
    response = followed(client, import_calls(cast, client, body=CALLS.replace(
        "2024-02,Belgium,phone", "2024-13,Belgium,phone")))

    page = response.content.decode()
    assert response.status_code == 200 and not Series.objects.exists()
    assert "la période doit être au format YYYY-MM ou YYYY" in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("calls.csv", b"\x00\xff\xfe garbage \x89PNG" * 50, "the file is not UTF-8 text"),
    ("calls.xlsx", b"\x00\xff\xfe garbage \x89PNG" * 50,
     "the file is not a readable XLSX workbook"),
    ("calls.csv", b"", "The submitted file is empty."),
    ("calls.csv", (HEADER + '"' + "x" * 300_000).encode(), "cannot be read as CSV"),
    ("calls.csv", (HEADER + "x," * 100_000 + "\n").encode(), "expected 5 fields"),
    ("calls.csv", "series;period;area;category;count\n".encode("utf-16"),
     "the file is not UTF-8 text"),
    ("calls.csv", CALLS.encode("latin-1").replace(b"Belgium", "Liège".encode("latin-1")),
     "the file is not UTF-8 text"),
])
def test_no_file_gives_a_server_error(cast, name, content, message):
    client = verified_client(cast.analyst_a)
    response = client.post(reverse("figures:series_upload"), {
        "file": upload(name, content), "categories": "exclusive"})
    if response.status_code == 302:  # the form was good: the job read the file
        response = followed(client, response)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Series.objects.exists()


def test_a_damaged_workbook_is_reported(cast):
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")

    client = verified_client(cast.analyst_a)
    response = followed(client, client.post(reverse("figures:series_upload"), {
        "file": upload("calls.xlsx", content.getvalue()), "categories": "exclusive"}))

    assert "the file is not a readable XLSX workbook" in response.content.decode()


def test_a_file_too_large_or_of_another_kind_is_refused_before_reading(cast):
    client = verified_client(cast.analyst_a)
    big = (CALLS + "\n" * (MAX_UPLOAD_MB * 1_000_000)).encode()
    too_big = client.post(reverse("figures:series_upload"), {
        "file": upload("calls.csv", big), "categories": "exclusive"})
    other_kind = client.post(reverse("figures:series_upload"), {
        "file": upload("calls.pdf", CALLS.encode()), "categories": "exclusive"})
    no_file = client.post(reverse("figures:series_upload"), {})

    assert f"The file is larger than {MAX_UPLOAD_MB} MB" in too_big.content.decode()
    assert "Choose a CSV or an XLSX file" in other_kind.content.decode()
    assert no_file.status_code == 200 and "This field is required" in no_file.content.decode()
    assert not Series.objects.exists()


def test_the_series_page_shows_its_table_chart_and_findings(cast):
    import_calls(cast)
    series = Series.objects.get()
    client = verified_client(cast.magistrate)

    page = client.get(reverse("figures:series_detail", kwargs={"series_id": series.pk}),
                      {"area": "Belgium", "category": "chat"}).content.decode()

    assert "<svg" in page and "chat in Belgium, by period" in page
    # The derived table: chat 20 of 30 (66.7 %), then 21 of 40 (52.5 %, +5.0 % from January).
    assert "<td>2024-02</td><td>Belgium</td><td>chat</td><td class=\"num\">21</td>" in page
    assert "<td class=\"num\">52.5</td><td class=\"num\">5.0</td>" in page
    assert "Total (N)" in page
    assert 'data-code="total_not_sum"' in page
    assert "2024-02 Belgium: the published total is 40 but its parts sum to 36" in page
    assert AuditEvent.objects.filter(action="read", object_type="figures.series",
                                     object_id=str(series.pk),
                                     user_id=cast.magistrate.pk).exists()


def test_unknown_filters_fall_back_to_the_totals(cast):
    import_calls(cast)
    series = Series.objects.get()
    page = verified_client(cast.analyst_a).get(
        reverse("figures:series_detail", kwargs={"series_id": series.pk}),
        {"area": "\x00<script>", "category": "x" * 5000}).content.decode()

    assert "Total (N) in Belgium, by period" in page
    assert '<option value="_total" selected>' in page


def test_a_consistent_series_says_so(cast):
    import_calls(cast, body=CALLS.replace("chat,21", "chat,25"))
    series = Series.objects.get()

    page = verified_client(cast.analyst_a).get(
        reverse("figures:series_detail", kwargs={"series_id": series.pk})).content.decode()

    assert "No inconsistency found" in page


# --- Out of the request (relais.figures.series_job) -------------------------------------------

def test_a_big_file_shows_its_progress_and_may_be_stopped_while_it_is_read(cast, monkeypatch):
    monkeypatch.setattr(series, "PROGRESS_EVERY", 10)
    lines = "".join(f"Fictitious big series,{year}-{month:02d},Zone {zone},_total,{zone}\n"
                    for year in range(2000, 2010) for month in range(1, 13)
                    for zone in range(3))
    client = verified_client(cast.analyst_a)
    response = client.post(reverse("figures:series_upload"), {
        "file": upload("big.csv", (HEADER + lines).encode()), "categories": "exclusive"})
    job = Job.objects.get()
    seen = []
    real = series._parse

    def parse_then_stop(path, on_lines=None):
        def counted(count):
            seen.append(count)
            if len(seen) == 2:
                job_cancel(actor=actor(cast.analyst_a), job_id=job.pk)
            on_lines(count)
        return real(path, counted)

    monkeypatch.setattr(series, "_parse", parse_then_stop)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.total == 362 and job.done == 10
    assert not Series.objects.exists()  # stopped while reading: nothing written
    assert "Cancelled" in client.get(response.url).content.decode()


def test_the_report_of_someone_elses_import_is_404(cast):
    client = verified_client(cast.analyst_a)
    import_calls(cast, client,
                 body=CALLS.replace("2024-02,Belgium,phone", "2024-13,Belgium,phone"))
    job = Job.objects.get()
    url = job.result["url"]
    assert "problems" in job.result and url.endswith(f"?job={job.pk}")
    assert client.get(url).status_code == 200
    other = make_user("analyst_other", cast.zone_a, "analyst")
    assert verified_client(other).get(url).status_code == 404
    assert verified_client(cast.reference_a).get(url).status_code == 404  # may not import
