"""Writes of the feedback app: a zone's short code, and an anonymous answer.

Neither writes an audit event, on purpose:
- a zone's code is not personal data (it is printed on every flyer of the zone);
- an anonymous answer must not be tied to a moment or a visitor. An audit event carries the
  exact time, the address and the channel of its actor; written next to the answer it would
  tell when the answer came in, which the answer itself deliberately does not store.
Reading the results is audited (see selectors.feedback_results).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import Agency, AgencyKind
from relais.feedback.models import CODE_ALPHABET, CODE_LENGTH, FeedbackCode, FeedbackResponse
from relais.feedback.questions import Questionnaire, questionnaire

BRUSSELS = ZoneInfo("Europe/Brussels")
_ATTEMPTS = 20


def normalise_code(typed: str) -> str:
    """What a person typed, as a code: case ignored, spaces and dashes dropped."""
    return "".join(c for c in typed if not c.isspace() and c != "-").upper()


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def current_week() -> date:
    return week_of(timezone.localdate(timezone=BRUSSELS))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def feedback_code_get_or_create(*, zone: Agency) -> FeedbackCode:
    """The zone's feedback code, drawn at random the first time it is needed."""
    if zone.kind != AgencyKind.POLICE_ZONE:  # not access: only zones hand out the flyer
        raise ValidationError(_("Only a police zone has a feedback code."), code="not_a_zone")
    existing = FeedbackCode.objects.filter(agency=zone).first()
    if existing is not None:
        return existing
    for _attempt in range(_ATTEMPTS):
        candidate = FeedbackCode(agency=zone, code=_new_code())
        candidate.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
            return candidate
        except IntegrityError:
            # Either the code is taken (draw again) or the zone got its code meanwhile.
            existing = FeedbackCode.objects.filter(agency=zone).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free feedback code found")  # 32**6 codes: not in this lifetime


def zone_for_code(code: str) -> Agency | None:
    """The police zone of a typed code, or None."""
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH:
        return None
    found = (FeedbackCode.objects.select_related("agency")
             .filter(code=normalised, agency__kind=AgencyKind.POLICE_ZONE).first())
    return found.agency if found else None


def check_answers(answers: dict[str, str], questions: Questionnaire) -> dict[str, str]:
    """The answers given (blank ones dropped), or a ValidationError per wrong question."""
    kept: dict[str, str] = {}
    errors: dict[str, str] = {}
    for code, answer in answers.items():
        if answer in ("", None):
            continue
        question = questions.question(code)
        if question is None:
            errors[code] = _("There is no such question.")
        elif answer not in question.answer_codes:
            errors[code] = _("This answer is not one of the choices: choose one, or leave "
                             "the question blank.")
        else:
            kept[code] = answer
    if errors:
        raise ValidationError(errors)
    if not kept:
        raise ValidationError(_("You have not answered any question yet. Answer at least one, "
                                "or simply close this page."), code="empty")
    return kept


@transaction.atomic
def feedback_submit(*, zone: Agency, answers: dict[str, str],
                    questions: Questionnaire | None = None) -> FeedbackResponse:
    """Store one anonymous answer: the zone, the week, the questions' version, the answers.

    Nothing about who answered or when exactly; no audit event (see the module docstring).
    Every question is optional; a wrong answer stores nothing."""
    questions = questions or questionnaire()
    if zone.kind != AgencyKind.POLICE_ZONE:  # not access: only zones hand out the flyer
        raise ValidationError(_("Only a police zone has a feedback code."), code="not_a_zone")
    response = FeedbackResponse(zone=zone, week=current_week(),
                                questions_version=questions.version,
                                answers=check_answers(answers, questions))
    response.full_clean()
    response.save(force_insert=True)
    return response
