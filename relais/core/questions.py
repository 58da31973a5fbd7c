"""Optional questions a later part of Relais asks inside an earlier part's form.

The police intake and the referral know nothing of the safeguards, yet the safeguards ask, on
their forms, whether the victim's residence depends on the partner. The earlier part names the
place of its form (``"intake.report"``, ``"referrals.referral"``) and shows the questions
registered there; the later part registers its question in its ``AppConfig.ready``, saying
who is asked and what an answer records:

    register_question("intake.report", Question(
        name="residence_permit", label=_("..."), choices=lambda: [...],
        asks=lambda access, person_id: ..., record=record_residence))

- ``form_fields`` (a Django form) and ``api_fields`` (a DRF serializer) give one optional
  choice per question; the empty answer ("no / not known") records nothing.
- The earlier part's service checks the answers with the rest of its input
  (``answer_errors``), then, in its own transaction, hands each answer given to its question
  (``record_answers``): the later part's service checks its own access (a refusal is the same
  404, which undoes the whole write) and writes its own audit event.
- ``asks(access, person_id)`` is a predicate of ``relais.access`` (``person_id`` ``None``: any
  victim of the case); ``record(actor=, case_id=, person_id=, answer=, on=)`` gets the date of
  the facts the form knows, or ``None``.

Places in use:
- ``intake.report``: the police intake (relais.intake), about the record's victim;
- ``referrals.referral``: a referral (relais.referrals), about the person referred.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from relais.core.actor import Actor


@dataclass(frozen=True)
class Question:
    """One optional question: its field's name in the form and the API, its words, its
    answers, who is asked, and what an answer records."""

    name: str
    label: Any
    choices: Callable[[], list[tuple[str, Any]]]  # the answers, without the empty one
    asks: Callable[[Any, int | None], bool]  # (the reader's CaseAccess, the person or None)
    record: Callable[..., Any]
    section: Any = ""  # the heading of its part of the form
    help_text: Any = ""
    unanswered: Any = gettext_lazy("No, or not known")  # the empty answer
    recorded: Any = ""  # told to the person who answered, once it is recorded


QUESTIONS: dict[str, list[Question]] = {}


def register_question(place: str, question: Question) -> None:
    found = QUESTIONS.setdefault(place, [])
    if all(q.name != question.name for q in found):
        found.append(question)


def questions_at(place: str) -> list[Question]:
    return list(QUESTIONS.get(place, ()))


def asked(place: str, *, access: Any, person_id: int | None = None) -> list[Question]:
    """The questions of ``place`` this reader may answer (for this person, or any victim)."""
    return [q for q in questions_at(place) if q.asks(access, person_id)]


def form_field(question: Question) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question.label, required=False, help_text=question.help_text,
        choices=[("", question.unanswered), *question.choices()], widget=forms.RadioSelect)


def form_fields(place: str, *, access: Any, person_id: int | None = None
                ) -> dict[str, forms.ChoiceField]:
    """One optional radio choice per question the reader is asked."""
    return {q.name: form_field(q) for q in asked(place, access=access, person_id=person_id)}


def api_fields(place: str) -> dict[str, serializers.ChoiceField]:
    """One optional choice per question of ``place`` (absent or "": not answered); whoever may
    not answer it gets 404 when she does."""
    return {q.name: serializers.ChoiceField(
        choices=[code for code, _label in q.choices()], required=False, allow_blank=True,
        help_text=f"{q.label} (optional; \"\" or absent: no, or not known)")
        for q in questions_at(place)}


def pop_answers(place: str, data: dict[str, Any]) -> dict[str, str]:
    """Take the answers out of parsed input (form or API), keeping those given."""
    answers = {q.name: data.pop(q.name, "") for q in questions_at(place)}
    return {name: value for name, value in answers.items() if value}


def answer_errors(place: str, answers: dict[str, str]) -> dict[str, list[str]]:
    """Each answer must be one the question offers (field by field, as a service reports)."""
    known = {q.name: q for q in questions_at(place)}
    unknown = set(answers) - set(known)
    if unknown:
        raise TypeError(f"unexpected answers: {sorted(unknown)}")
    return {name: [_("Choose one of the answers offered.")] for name, value in answers.items()
            if value and value not in {code for code, _label in known[name].choices()}}


def record_answers(place: str, *, actor: Actor, case_id: int, person_id: int,
                   answers: dict[str, str], on: date | None = None) -> list[Question]:
    """Hand each answer given to its question, inside the caller's transaction; returns the
    questions whose answer was recorded."""
    done = []
    for question in questions_at(place):
        answer = answers.get(question.name)
        if answer:
            question.record(actor=actor, case_id=case_id, person_id=person_id, answer=answer,
                            on=on)
            done.append(question)
    return done
