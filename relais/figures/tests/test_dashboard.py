"""The figures dashboard: who sees it at which level, what it counts from the precomputed
counts, its filters (period, area, reference date, series), its charts; constant queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.access.figures import Level, figures_scope
from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor, make_user, verified_client
from relais.figures import indicators
from relais.figures.aggregates import Measure, Reference, refresh_counts
from relais.figures.models import MonthlyCount
from relais.followup.tests.factories import record_report

URL = "/figures/"
TWO_DAYS_AGO = timedelta(days=2)


def _page(user, **query) -> str:
    return verified_client(user).get(reverse("figures:dashboard"), query).content.decode()


def test_the_dashboard_is_for_the_figures_roles(cast):
    url = reverse("figures:dashboard")
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for user in (cast.officer_a, cast.sapv_a, cast.support_worker, cast.coordinator,
                 cast.dispatcher_a, cast.shelter_worker):
        assert verified_client(user).get(url).status_code == 404, user
    for user in (cast.analyst_a, cast.reference_a, cast.magistrate, cast.counsellor):
        assert verified_client(user).get(url).status_code == 200, user


def test_before_the_first_computation_the_page_says_so(cast):
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    page = _page(cast.analyst_a)
    assert "have not been computed yet" in page and "N = 1" not in page


def test_the_zone_sees_its_reports_by_date_of_the_facts_and_no_person(cast):
    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")  # Ixelles
    record_report(cast, official=False, offence_at=timezone.now() - TWO_DAYS_AGO)
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    refresh_counts()
    page = _page(cast.analyst_a)
    assert "by date of the facts" in page and "N = 2 reports" in page and "<svg" in page
    assert "Computed from the records on" in page
    assert "50.0" not in page  # 1 of 2: small cells, the month's share is not published
    assert "Ixelles" in page and "Statbel" in page  # the rate of 2 reports is a small cell
    assert "Several answers possible" in page  # the forms of violence
    assert "Alice" not in page and cast.case.reference not in page
    assert AuditEvent.objects.filter(basis__startswith="figures dashboard").exists()


def test_the_counts_equal_the_indicators_computed_from_the_records(cast):
    now = timezone.now()
    for days, official in ((3, True), (3, False), (40, True), (75, False), (75, True)):
        record_report(cast, official=official, offence_at=now - timedelta(days=days))
    refresh_counts()
    start, end = date(now.year - 1, 1, 1), date(now.year + 1, 1, 1)
    direct = {r.month: (r.information, r.official)
              for r in indicators.dispute_share(zone_ids=[cast.zone_a.pk], start=start, end=end)}
    counted: dict = {}
    for row in MonthlyCount.objects.filter(measure=Measure.REPORTS, reference=Reference.FACTS):
        info, official = counted.get(row.month, (0, 0))
        counted[row.month] = (info + row.count, official) if row.category == "information" \
            else (info, official + row.count)
    assert counted == direct


def test_the_reference_date_filter_counts_by_recording_or_by_the_facts(cast):
    now = timezone.localtime()
    long_ago = now - timedelta(days=400)  # facts over a year ago, recorded today
    record_report(cast, official=True, offence_at=long_ago)
    refresh_counts()
    by_facts = _page(cast.analyst_a)
    by_recording = _page(cast.analyst_a, reference="recorded")
    assert "N = 1 reports" not in by_facts and "Nothing to count" not in by_recording
    assert "by date of recording" in by_recording and "N = 1 reports" in by_recording


def test_a_refresh_replaces_the_counts_in_one_go(cast):
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    first = refresh_counts()
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    second = refresh_counts()
    assert second.computed_at >= first.computed_at
    assert sum(MonthlyCount.objects.filter(measure=Measure.REPORTS, reference=Reference.FACTS)
               .values_list("count", flat=True)) == 2


def _area_analyst(cast, *, refnis: list[str]):
    agency = Agency.objects.create(name="Observatoire fictif (test)", kind=AgencyKind.PLATFORM,
                                   code="test-observatory", languages=["fr"])
    for code in refnis:
        JurisdictionMunicipality.objects.create(agency=agency, refnis=code)
    return make_user("oscar_obs", agency, Role.ANALYST)


def test_the_level_follows_the_jurisdiction_of_the_analysts_agency(cast):
    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")  # Brussels
    JurisdictionMunicipality.objects.create(agency=cast.zone_b, refnis="62063")  # Liège
    regional = _area_analyst(cast, refnis=["21004", "21009"])
    scope = figures_scope(actor(regional))
    assert (scope.level, scope.zone_ids) in {(Level.DISTRICT, (cast.zone_a.pk,)),
                                             (Level.REGION, (cast.zone_a.pk,))}
    JurisdictionMunicipality.objects.create(agency=regional.agency, refnis="62063")
    scope = figures_scope(actor(regional))
    assert scope.level == Level.NATIONAL
    assert set(scope.zone_ids) == {cast.zone_a.pk, cast.zone_b.pk}


def test_a_national_analyst_narrows_to_a_zone_and_sees_no_other(cast):
    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")
    JurisdictionMunicipality.objects.create(agency=cast.zone_b, refnis="62063")
    analyst = _area_analyst(cast, refnis=["21009", "62063"])
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    refresh_counts()
    page = _page(analyst)
    assert f'value="zone:{cast.zone_b.pk}"' in page and "Belgium" in page
    assert "N = 1 reports" in page
    narrowed = _page(analyst, area=f"zone:{cast.zone_b.pk}")
    assert "N = 1 reports" not in narrowed and "Nothing to count" in narrowed
    foreign = _page(cast.analyst_a, area=f"zone:{cast.zone_b.pk}")  # not in her scope
    assert "N = 1 reports" in foreign  # her own zone, the foreign area ignored


def test_the_office_sees_indicator_4_by_date_of_entry_and_the_zones_of_its_district(cast):
    from relais.justice.models import Entry

    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    assert Entry.objects.filter(agency=cast.prosecutor).count() == 1
    refresh_counts()
    page = _page(cast.magistrate)
    assert "indicator 4" in page and "by date of entry" in page and "N = 1 entries" in page
    assert "indicator 1" not in page  # the zones of its district: none has a jurisdiction yet
    for refnis in ("21009",):
        JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis=refnis)
        JurisdictionMunicipality.objects.create(agency=cast.prosecutor, refnis=refnis)
    assert "indicator 1" in _page(cast.magistrate)


def test_the_dashboard_reads_in_constant_queries(cast):
    client = verified_client(cast.analyst_a)
    record_report(cast, official=False, offence_at=timezone.now() - timedelta(days=40))
    refresh_counts()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("figures:dashboard"))
    for days in (1, 70, 100):
        record_report(cast, official=True, offence_at=timezone.now() - timedelta(days=days))
    refresh_counts()
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("figures:dashboard"))
    assert len(few) == len(more)


def test_bad_filters_fall_back_to_the_defaults(cast):
    client = verified_client(cast.analyst_a)
    for query in ({"start": "nonsense"}, {"end": "2026-13"}, {"start": "0001-01"},
                  {"area": "zone:\x00"}, {"reference": "<script>"}, {"series": "9" * 30},
                  {"start": "2030-01", "end": "2020-01"}):
        assert client.get(reverse("figures:dashboard"), query).status_code == 200, query


def test_the_analyst_lands_on_the_figures(cast):
    response = verified_client(cast.analyst_a).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("figures:dashboard")
    assert verified_client(cast.officer_a).get(reverse("cases:my_cases")).status_code == 200


def test_the_eige_and_programme_views(cast):
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    eige_page = _page(cast.analyst_a, view="eige")
    assert "EIGE&#x27;s 13 indicators" in eige_page or "EIGE's 13 indicators" in eige_page
    assert "Not computable" in eige_page and "Alice" not in eige_page
    programme_page = _page(cast.counsellor)
    assert "Perpetrator programmes" not in programme_page  # one set only: no tabs
    assert "by date the request or mandate was received" in programme_page \
        or "Nothing to count" in programme_page
    assert "Not computable" not in _page(cast.counsellor, view="eige")  # not hers: her own


def test_the_zones_follow_up_view_shows_indicators_2_and_3(cast):
    record_report(cast, official=True, offence_at=timezone.now() - TWO_DAYS_AGO)
    page = _page(cast.reference_a, view="zone")
    assert "(indicator 2)" in page and "(indicator 3)" in page
    assert "(indicator 2)" not in _page(cast.magistrate, view="zone")  # not a zone: roadmap


def test_a_partner_series_beside_the_own_figures(cast, tmp_path):
    from relais.figures.series import series_import

    path = tmp_path / "calls.csv"
    path.write_text("series,period,area,category,count\n"
                    "Appels fictifs,2026-01,Belgium,_total,120\n"
                    "Appels fictifs,2026-01,Belgium,victim,80\n"
                    "Appels fictifs,2026-01,Belgium,relative,40\n", encoding="utf-8")
    series = series_import(path=path, actor=actor(cast.analyst_a))
    page = _page(cast.analyst_a, series=str(series.pk))
    assert "Appels fictifs" in page and "66.7" in page  # 80 of 120
    assert reverse("figures:series_list") in page
    assert _page(cast.analyst_a, series="999999").count("Appels fictifs") == 1  # the choice


def test_the_dashboard_exports_what_it_shows_and_audits_it(cast):
    import csv
    import io

    for hours in range(6):
        record_report(cast, official=True, offence_at=timezone.now() - timedelta(hours=2 + hours))
    refresh_counts()
    client = verified_client(cast.analyst_a)
    page = client.get(reverse("figures:dashboard")).content.decode()
    assert reverse("figures:export", args=["xlsx"]) in page and "table=indicator-1" in page
    response = client.get(reverse("figures:export", args=["csv"]), {"table": "indicator-1"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    lines = [r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if r]
    assert any("N = 6" in " ".join(r) for r in lines) and ["Month", "Information reports",
                                                           "Official reports", "All reports",
                                                           "Information reports (%)",
                                                           "Change from the month before (%)"]\
        in lines
    assert AuditEvent.objects.filter(basis__startswith="figures export csv").count() == 1
    assert client.get(reverse("figures:export", args=["pdf"])).content.startswith(b"%PDF")
    assert client.get(reverse("figures:export", args=["exe"])).status_code == 404
    assert verified_client(cast.officer_a).get(
        reverse("figures:export", args=["csv"])).status_code == 404


def test_the_consultation_bodies_of_the_scope(cast):
    from relais.consultation.tests.conftest import make_body

    body = make_body(cast)  # zone A, the office, support and the programme are members
    page = _page(cast.analyst_a, view="consultation")
    assert f"{body.name}: " in page and "Multi-agency consultation" in page
    assert "DIViCo Test" not in _page(cast.shelter_worker)  # no figures at all: a 404 page


def test_the_eige_view_reads_the_precomputed_counts_in_constant_queries(cast):
    case_services.person_update(actor=actor(cast.officer_a), person_id=cast.perpetrator_id,
                                sex="M", birth_date=date(1985, 5, 1))
    record_report(cast, official=True, perpetrator_id=cast.perpetrator_id,
                  offence_at=timezone.now() - TWO_DAYS_AGO)
    refresh_counts()
    client = verified_client(cast.analyst_a)
    url = reverse("figures:dashboard")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"view": "eige"}).status_code == 200
    for days in (3, 4, 5, 40, 300):
        record_report(cast, official=days % 2 == 0, perpetrator_id=cast.perpetrator_id,
                      offence_at=timezone.now() - timedelta(days=days))
    refresh_counts()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"view": "eige"}).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "Computed from the records on" in page
    assert "(EIGE indicator 1)" in page and "calendar year" in page
    assert "Alice" not in page and cast.case.reference not in page
    event = AuditEvent.objects.filter(basis__startswith="figures dashboard").last()
    assert " eige " in event.basis and event.user_id == cast.analyst_a.pk
    # Another zone's analyst: her own zone's counts, not zone A's; no figures role: 404.
    other = make_user("analyst.b", cast.zone_b, Role.ANALYST)
    assert "N = 6 women victims" not in _page(other, view="eige")
    assert verified_client(cast.officer_b).get(url, {"view": "eige"}).status_code == 404
