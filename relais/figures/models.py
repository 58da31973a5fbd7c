"""Partner series: count series that come from partners not on Relais (ONE, the helplines,
Praxis history, surveys), imported from CSV or XLSX and checked for consistency.

A ``Series`` holds counts only (never a person): per period, area and category, with the row
of the category ``_total`` giving N, the units the shares are computed against. The import,
the derived table and the consistency check are in ``relais.figures.series``; docs/figures.md
("Partner series") describes the file format and the commands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The category of the row that gives N for its period and area.
TOTAL = "_total"


class Series(models.Model):
    """One partner series, replaced as a whole when it is imported again."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    unit = models.CharField(_("unit of N"), max_length=60, default="units",
                            help_text=_("What N counts: incidents, files, calls, zones…"))
    # True: each unit is in one category only, so the parts add up to N. False: "several
    # answers possible" (forms of violence, topics of a call): shares may sum over 100 %.
    categories_exclusive = models.BooleanField(_("exclusive categories"), default=True)
    source = models.CharField(_("source and credit"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"))
    # None: imported from the command line.
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("imported by"))

    class Meta:
        verbose_name = _("partner series")
        verbose_name_plural = _("partner series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Point(models.Model):
    """One count of a series: a period (``YYYY-MM`` or ``YYYY``), an area, a category."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="points")
    period = models.CharField(_("period"), max_length=7)
    area = models.CharField(_("area"), max_length=120)
    category = models.CharField(_("category"), max_length=120)
    count = models.PositiveIntegerField(_("count"))
    # The share the partner published, as written (e.g. "33.3"), for the check; blank if none.
    published_share = models.CharField(_("published share (%)"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("series count")
        ordering = ["series", "period", "area", "category"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period", "area", "category"],
                                    name="figures_point_unique_key"),
            models.CheckConstraint(condition=Q(count__gte=0), name="figures_point_count_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period} {self.area} {self.category}: {self.count}"


class MonthlyCount(models.Model):
    """Relais's own records counted per month, precomputed (relais.figures.aggregates) so that
    the dashboard reads a few hundred rows whatever the number of incidents. Counts only: the
    counting agency (a zone, an office), the municipality of the facts, a category."""

    measure = models.CharField(max_length=24)  # aggregates.Measure
    reference = models.CharField(max_length=8)  # rules.ReferenceDate's key: facts, recorded, entry
    month = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    municipality = models.CharField(max_length=5, blank=True)
    category = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["measure", "reference", "agency", "month"],
                                name="figures_count_idx")]

    def __str__(self) -> str:
        return f"{self.measure}/{self.reference} {self.month:%Y-%m} {self.category}: {self.count}"


class YearlyCount(models.Model):
    """EIGE's indicators counted per agency and calendar year, precomputed
    (relais.figures.eige_counts) so that the EIGE view reads a few rows whatever the number of
    incidents. Yearly, as EIGE reports, because some are counts of distinct persons (a woman
    once a year) that months cannot be summed into. Counts only: the counting agency (a zone
    for the police indicators, an office for the justice ones), the year, a category."""

    measure = models.CharField(max_length=24)  # eige_counts.Measure
    year = models.PositiveSmallIntegerField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=24)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["agency", "year"], name="figures_yearly_idx")]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.category}: {self.count}"


class Refresh(models.Model):
    """When the precomputed counts were last computed, and how long it took."""

    name = models.CharField(max_length=24, unique=True)
    computed_at = models.DateTimeField()
    seconds = models.FloatField()
    rows = models.PositiveIntegerField()
    # Set when something that changes the counts was recorded since (a refusal to be counted,
    # or its withdrawal): the next ``figures_refresh --if-older`` recomputes at once.
    stale = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} at {self.computed_at:%Y-%m-%d %H:%M}"


class ReportingRefusal(models.Model):
    """A person declined that her records be counted in figures beyond what the law requires
    (docs/figures.md, "Consent to reporting"). While it is not withdrawn, the figures that no
    law requires leave out the records that name her (relais.figures.consent); the figures a
    law requires still count her (relais.figures.legal_basis). She may change her mind: the
    withdrawal is dated, and a new refusal is a new row."""

    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE,
                               related_name="reporting_refusals", verbose_name=_("person"))
    declined_on = models.DateField(_("declined on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                           related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("withdrawn by"))
    withdrawn_at = models.DateTimeField(_("withdrawal recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refusal to be counted in figures")
        verbose_name_plural = _("refusals to be counted in figures")
        ordering = ["person", "-declined_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(withdrawn_on__isnull=True),
                                    name="figures_refusal_one_in_force"),
            models.CheckConstraint(condition=Q(withdrawn_on__isnull=True)
                                   | Q(withdrawn_on__gte=models.F("declined_on")),
                                   name="figures_refusal_withdrawn_after"),
        ]

    def __str__(self) -> str:
        return f"refusal {self.pk} of person {self.person_id} from {self.declined_on}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None
