"""Texts Relais writes: stored as codes, rendered in the reader's language, never a 500 on a
stored row; texts written before codes mapped back in any language (relais.core.texts)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from relais.core import texts
from relais.core.texts import CATALOGUE, DUPLICATES, choice, listing, render, text
from relais.core.texts_legacy import match, match_choice, match_choices


def in_(language: str, coded, **kwargs) -> str:
    with translation.override(language):
        return render(coded, **kwargs)


def test_a_text_written_in_french_reads_in_the_readers_language():
    with translation.override("fr"):  # the writer's language plays no part
        stored = text("measures.ban_ordered", start="01/03/2026 18:00", end="11/03/2026 18:00")
    assert in_("fr", stored) == "Interdiction de résidence du 01/03/2026 18:00 au 11/03/2026 18:00"
    assert in_("nl", stored) == "Huisverbod van 01/03/2026 18:00 tot 11/03/2026 18:00"
    assert in_("en", stored) == "Residence ban from 01/03/2026 18:00 until 11/03/2026 18:00"


def test_a_choices_label_and_a_list_follow_the_reader():
    stored = text("programmes.status", agency="Praxis Liège",
                  status=choice("programmes.file_status", "in_progress"))
    assert in_("fr", stored).endswith("En cours (groupe)")
    assert in_("nl", stored).endswith("Lopend (groep)")
    assert in_("en", stored) == "Praxis Liège: In progress (group)"
    forms = choice("intake.violence_form", ["physical", "psychological"])
    assert in_("en", forms) == "Physical, Psychological"
    decided = text("justice.decision_measures", decision=choice("justice.decision", "hearing"),
                   measures=listing(choice("justice.measure", ["no_contact", "seizure"]),
                                    "Stage de gestion de la colère"))
    assert in_("en", decided) == ("Hearing — No contact, Seizure (e.g. weapons), "
                                  "Stage de gestion de la colère")


def test_texts_add_up_into_sentences():
    stored = text("followup.case_closed") + text("redlist.reviewed")
    assert in_("en", stored) == "The case was closed. Reviewed."


@pytest.mark.parametrize("stored", [
    [["no.such.code", {}]],  # a code dropped from the catalogue
    "a string",  # not a list
    [["followup.case_closed"]],  # a pair cut short
    [[12, {}]],
    None,
    {"code": "x"},
])
def test_a_broken_row_shows_its_fallback_never_an_error(stored):
    assert render(stored, fallback="Texte d'origine") == "Texte d'origine"
    assert render(stored) == ""


def test_a_missing_or_odd_parameter_never_breaks_the_page():
    assert in_("en", text("measures.ban_ordered", start="01/03/2026")) \
        == "Residence ban from 01/03/2026 until …"
    assert in_("en", [["measures.ban_ordered", "not a dict"]]) \
        == "Residence ban from … until …"
    assert in_("en", choice("programmes.file_status", "no_such_status")) == "no_such_status"
    assert in_("en", choice("no.such.choices", "raw")) == "raw"


def test_a_params_function_that_fails_falls_back_to_the_stored_values():
    stored = text("risk.assessed", instrument="no-such-instrument", level="high")
    assert in_("en", stored) == "no-such-instrument: high"


def test_every_code_is_declared_once():
    assert DUPLICATES == []
    assert texts.CHOICE not in CATALOGUE and texts.LISTING not in CATALOGUE


# --- Texts written before codes ------------------------------------------------------------------

def test_a_french_or_dutch_text_is_read_back_to_its_code():
    assert match("Interdiction de résidence du 01/03/2026 18:00 au 11/03/2026 18:00",
                 codes=["measures.ban_ordered"]) == text(
        "measures.ban_ordered", start="01/03/2026 18:00", end="11/03/2026 18:00")
    assert match("Stalkingalarm toegekend", codes=["alarms.granted", "alarms.refused"]) \
        == text("alarms.granted")
    assert match("Something a person wrote", codes=["alarms.granted"]) is None


def test_a_label_is_read_back_in_any_language():
    assert match_choice("En cours (groupe)", name="programmes.file_status") \
        == choice("programmes.file_status", "in_progress")
    assert match_choice("Lopend (groep)", name="programmes.file_status") \
        == choice("programmes.file_status", "in_progress")
    assert match_choice("Not a status", name="programmes.file_status") is None
    with translation.override("fr"):
        written = ", ".join(str(label) for label in (
            _("Physical"), _("Psychological")))
    assert match_choices(written, name="intake.violence_form") \
        == choice("intake.violence_form", ["physical", "psychological"])


def test_a_parameter_that_was_a_label_must_be_one():
    assert match("Praxis: En cours (groupe)", codes=["programmes.status"],
                 choices={"status": "programmes.file_status"}) == text(
        "programmes.status", agency="Praxis",
        status=choice("programmes.file_status", "in_progress"))
    assert match("Praxis: words", codes=["programmes.status"],
                 choices={"status": "programmes.file_status"}) is None
