"""Reads of risk assessments, within the access policy, with the explanation of each level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess, case_access
from relais.access.risk import readable_scopes
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.risk.headline import headline_of
from relais.risk.instruments import CATEGORIES, Instrument, Item, category_label, instrument_get
from relais.risk.models import RiskAssessment


@dataclass(frozen=True)
class ItemLine:
    item: Item
    question: str
    answer: str


@dataclass(frozen=True)
class ActionLine:
    action: object
    label: str
    reasons: list[str]


@dataclass(frozen=True)
class AssessmentView:
    """One assessment as the screen explains it, in the reader's language."""

    assessment: RiskAssessment
    instrument: Instrument
    access: CaseAccess
    language: str

    def level_label(self, code: str) -> str:
        return self.instrument.level(code).label_in(self.language)

    @property
    def computed_label(self) -> str:
        return self.level_label(self.assessment.computed_level)

    @property
    def final_label(self) -> str:
        return self.level_label(self.assessment.final_level)

    @property
    def in_force_label(self) -> str:
        return self.level_label(self.assessment.level_in_force)

    @property
    def base_label(self) -> str:
        """The level from the score alone, before critical signals."""
        score = self.assessment.score
        base = [level for level in self.instrument.levels if level.from_score <= score][-1]
        return base.label_in(self.language)

    @property
    def raised_by_signals(self) -> bool:
        return self.base_label != self.computed_label

    def _lines(self, items) -> list[ItemLine]:
        answered = self.assessment.answers
        return [ItemLine(item=item, question=item.question_in(self.language),
                         answer=answered.get(item.code, "")) for item in items]

    @property
    def drivers(self) -> list[ItemLine]:
        answered = self.assessment.answers
        yes = [item for item in self.instrument.items if answered.get(item.code) == "yes"]
        return self._lines(sorted(yes, key=lambda item: (not item.critical, -item.weight)))

    @property
    def critical(self) -> list[ItemLine]:
        return self._lines(self.instrument.item(c) for c in self.assessment.critical_signals)

    @property
    def unknown(self) -> list[ItemLine]:
        return self._lines(self.instrument.item(c) for c in self.assessment.unknown_items)

    @property
    def by_category(self) -> list[tuple[str, list[ItemLine]]]:
        groups = []
        for category in CATEGORIES:
            rows = self._lines(item for item in self.instrument.items
                               if item.category == category)
            if rows:
                groups.append((category_label(category), rows))
        return groups

    @property
    def actions(self) -> list[ActionLine]:
        lines = []
        for action in self.assessment.recommended_actions.all():
            reasons = []
            for reason in action.reasons:
                if reason.get("level"):
                    reasons.append(_("level %(level)s")
                                   % {"level": self.level_label(reason["level"])})
                else:
                    reasons.append(" + ".join(self.instrument.item(code).question_in(
                        self.language) for code in reason.get("items", [])))
            lines.append(ActionLine(action=action, reasons=reasons,
                                    label=self.instrument.action_label(action.code,
                                                                       self.language)))
        return lines

    @property
    def can_confirm(self) -> bool:
        a = self.assessment
        return (a.awaiting_confirmation and a.assessor_id != self.access.actor.user_id
                and a.agency_id == self.access.actor.agency_id)

    @property
    def can_decide(self) -> bool:
        return self.assessment.agency_id == self.access.actor.agency_id


def _instrument_of(assessment: RiskAssessment) -> Instrument:
    return instrument_get(assessment.instrument_code, assessment.instrument_version)


def assessment_get(*, actor: Actor, assessment_id: int) -> AssessmentView:
    """One assessment, if the actor sees its case and its scope (else 404); audited."""
    assessment = (RiskAssessment.objects.select_related("assessor", "agency", "person",
                                                        "confirmed_by")
                  .prefetch_related("recommended_actions").filter(pk=assessment_id).first())
    if assessment is None:
        raise Http404
    access = case_access(actor=actor, case_id=assessment.case_id)
    if assessment.scope not in readable_scopes(access)(assessment.person_id):
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=assessment, case_id=assessment.case_id,
                 scopes=[assessment.scope], basis=access.basis)
    return AssessmentView(assessment=assessment, instrument=_instrument_of(assessment),
                          access=access, language=get_language())


@dataclass(frozen=True)
class TrendPoint:
    assessment: RiskAssessment
    screening: bool
    instrument_title: str
    level_label: str
    rank: int  # 0 = lowest level of its instrument
    levels: int

    @property
    def step(self) -> int:
        """1 for the lowest level of its instrument (for the trend's meter)."""
        return self.rank + 1


@dataclass(frozen=True)
class CaseRisk:
    points: list[TrendPoint]  # newest first

    @property
    def latest(self) -> TrendPoint | None:
        """The case's headline: the newest full assessment; a screening (the counter
        checklist) only when no full assessment exists, so a quick "no signal" at the desk
        never hides a high-risk grid."""
        return headline_of(self.points, is_screening=lambda point: point.screening)

    @property
    def next_reassessment(self) -> date | None:
        return self.latest.assessment.next_reassessment if self.latest else None

    @property
    def reassessment_overdue(self) -> bool:
        due = self.next_reassessment
        return due is not None and due < timezone.localdate()


def action_assessment_id(*, actor: Actor, action_id: int) -> int:
    """The assessment a recommended action belongs to, if the actor may read it (404
    otherwise): where to go back after a refused decision."""
    from relais.risk.models import RecommendedAction

    assessment_id = (RecommendedAction.objects.filter(pk=action_id)
                     .values_list("assessment_id", flat=True).first())
    if assessment_id is None:
        raise Http404
    assessment = RiskAssessment.objects.filter(pk=assessment_id).only("case_id").first()
    case_access(actor=actor, case_id=assessment.case_id)
    return assessment_id


def case_assessment_rows(*, access: CaseAccess) -> QuerySet[RiskAssessment]:
    """The assessments of a case that the reader may see: on each person, the scopes open on
    her (``access.risk.readable_scopes``, as ``case_risk``), as a query the API pages. Not
    audited: part of a read the caller audits."""
    scopes = readable_scopes(access)
    assessed = (RiskAssessment.objects.filter(case=access.case)
                .order_by().values_list("person_id", flat=True).distinct())
    seen = Q(pk__in=[])
    for person_id in set(assessed):
        seen |= Q(person_id=person_id, scope__in=sorted(scopes(person_id)))
    return RiskAssessment.objects.filter(seen, case=access.case)


def case_risk(*, access: CaseAccess) -> CaseRisk:
    """The assessments of a case that the reader may see, newest first (part of the case read,
    which the caller audits)."""
    scopes = readable_scopes(access)  # in Python: one query fewer on the case page
    assessments = [a for a in RiskAssessment.objects.filter(case=access.case)
                   .select_related("agency") if a.scope in scopes(a.person_id)]
    return CaseRisk(points=assessment_lines(assessments, get_language()))


def assessment_lines(assessments, language: str) -> list[TrendPoint]:
    """Assessments already filtered by the access policy, with their labels in ``language``."""
    points = []
    for assessment in assessments:
        instrument = _instrument_of(assessment)
        level = assessment.level_in_force
        points.append(TrendPoint(
            assessment=assessment, screening=instrument.screening,
            instrument_title=instrument.title_in(language),
            level_label=instrument.level(level).label_in(language),
            rank=instrument.rank(level), levels=len(instrument.levels)))
    return points


# --- The case page's summary (relais.cases.header) ---------------------------------------------

HEADER_SIGNALS = 3


def header_items(access: CaseAccess) -> list:
    """The risk level in force with its trend (the previous level of the same kind of
    assessment → the headline's) and instrument, and the headline's critical signals; within
    the scopes open to the reader (two queries: the persons' roles, the assessments)."""
    from relais.cases.header import HeaderItem, HeaderLine

    language = get_language()
    rows = list(RiskAssessment.objects.filter(case=access.case).order_by("-assessed_at", "-id"))
    label = _("Risk level")
    if not rows:
        return [HeaderItem(key="risk", label=label, empty=_("Not assessed yet"), order=10)]
    scopes = readable_scopes(access)
    points = assessment_lines([a for a in rows if a.scope in scopes(a.person_id)], language)
    latest = headline_of(points, is_screening=lambda point: point.screening)
    if latest is None:
        return [HeaderItem(key="risk", label=label, withheld=True, order=10)]
    previous = next((p for p in points[points.index(latest) + 1:]
                     if p.screening == latest.screening), None)
    tone = "critical" if latest.rank + 1 >= latest.levels and latest.levels > 1 else (
        "warning" if latest.rank > 0 else "")
    trend = (f"{previous.level_label} → {latest.level_label}" if previous
             else latest.level_label)
    assessment = latest.assessment
    lines = [HeaderLine(text=trend, url=reverse("risk:assessment_detail", args=[assessment.pk]),
                        tone=tone),
             HeaderLine(text=_("%(instrument)s, %(date)s") % {
                 "instrument": latest.instrument_title,
                 "date": date_format(timezone.localtime(assessment.assessed_at),
                                     "SHORT_DATE_FORMAT")})]
    due = assessment.next_reassessment
    if due is not None and due < timezone.localdate():
        lines.append(HeaderLine(text=_("Reassessment overdue since %(date)s") % {
            "date": date_format(due, "SHORT_DATE_FORMAT")}, tone="warning"))
    instrument = _instrument_of(assessment)
    codes = {item.code for item in instrument.items}
    signals = [HeaderLine(text=instrument.item(code).question_in(language), tone="critical")
               for code in assessment.critical_signals if code in codes]
    if len(signals) > HEADER_SIGNALS:
        more = len(signals) - HEADER_SIGNALS
        signals = [*signals[:HEADER_SIGNALS], HeaderLine(
            text=ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more},
            url=reverse("risk:assessment_detail", args=[assessment.pk]))]
    return [HeaderItem(key="risk", label=label, lines=tuple(lines), tone=tone, order=10),
            HeaderItem(key="signals", label=_("Critical signals"), lines=tuple(signals),
                       empty=_("None in the latest assessment"),
                       tone="critical" if signals else "", order=15)]


HIGH_LEVELS = frozenset({"high", "very_high"})


def closing_approval_step(access: CaseAccess) -> str:
    """Closing this case is ``case_close_high_risk`` when the headline level in force is high or
    very high (the case's own level, whatever the reader's scopes; relais.cases.closure)."""
    from relais.risk.headline import HEADLINE_FIELDS, headlines, row_level

    rows = (RiskAssessment.objects.filter(case=access.case).order_by("-assessed_at", "-id")
            .values(*HEADLINE_FIELDS))
    row = headlines(rows).get(access.case.pk)
    return "case_close_high_risk" if row and row_level(row) in HIGH_LEVELS else ""
