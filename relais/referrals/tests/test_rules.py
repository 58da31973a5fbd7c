"""The referral rules file and what it suggests, with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.cases.models import ParticipantRole
from relais.core.datafiles import DataFileError
from relais.referrals.rules import Facts, advise, load_rules


def codes(advice) -> list[str]:
    return [s.rule for s in advice.suggestions]


def test_french_or_dutch_file_decides_the_kind_of_support_service():
    french = advise(Facts(languages=("nl", "fr"), file_language="fr"), language="en")
    assert codes(french) == ["french_file"]
    assert french.suggestions[0].languages == ("fr",)
    assert "CPVCF" in french.suggestions[0].reason
    dutch = advise(Facts(languages=("ar", "nl")), language="nl")
    assert codes(dutch) == ["dutch_file"]
    assert "CAW" in dutch.suggestions[0].reason


def test_neither_french_nor_dutch_brings_a_neutral_interpreter():
    advice = advise(Facts(languages=("ti",)), language="en")
    assert "interpreter" in codes(advice)
    assert "never someone close" in advice.suggestions[0].reason


def test_sexual_violence_children_and_family_reunification():
    advice = advise(Facts(languages=("fr",), flags=frozenset(
        {"sexual_violence", "children", "family_reunification"})), language="en")
    assert codes(advice) == ["french_file", "sexual_violence", "children",
                             "family_reunification_residence", "family_reunification_legal"]
    sexual = advice.suggestions[1]
    assert sexual.need == "sexual_violence_care" and "7 days" in sexual.reason


def test_undocumented_and_disability_narrow_every_suggestion():
    advice = advise(Facts(languages=("fr",), flags=frozenset({"undocumented", "disability"}),
                          accessibility=("wheelchair",)), language="en")
    assert all("accepts_undocumented" in s.require for s in advice.suggestions)
    assert all(s.accessibility == ("wheelchair",) for s in advice.suggestions)
    assert len(advice.constraints) == 2


def test_imminent_danger_first_calls_112():
    advice = advise(Facts(languages=("fr",), flags=frozenset({"imminent_danger"})),
                    language="fr")
    assert advice.suggestions[0].call == ("112",)
    assert "458bis" in advice.suggestions[0].reason


def test_when_she_refuses_only_the_helplines_and_an_invitation_back():
    advice = advise(Facts(languages=("fr",), flags=frozenset({"refuses", "children"})),
                    language="en")
    assert advice.stopped
    assert codes(advice) == ["refuses"]
    assert advice.suggestions[0].call == ("0800 30 030", "1712")
    assert "invite her back" in advice.suggestions[0].reason


def test_an_alleged_perpetrator_is_told_about_programmes_and_the_helpline():
    advice = advise(Facts(role=ParticipantRole.ALLEGED_PERPETRATOR, languages=("fr",)),
                    language="en")
    assert codes(advice) == ["perpetrator_programme", "perpetrator_helpline"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("version: 1\nrules:\n  - code: x\n    need: teleportation\n"
     "    reason: {fr: a, nl: b, en: c}\n",
     "unknown need 'teleportation'"),
    ("version: 1\nrules:\n  - code: x\n    when: {flags: [rich]}\n    call: ['1']\n"
     "    reason: {fr: a, nl: b, en: c}\n", "unknown flag 'rich'"),
    ("version: 1\nrules:\n  - code: x\n    call: ['1']\n    reason: {fr: a, en: c}\n",
     "'nl' is missing"),
])
def test_a_broken_rules_file_names_the_file_and_line(tmp_path: Path, text, fragment):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(DataFileError) as error:
        load_rules(path)
    assert fragment in str(error.value)
    assert "rules.yaml, line" in str(error.value)


def test_a_victim_whose_language_is_unknown_still_gets_support_and_the_question_to_ask():
    advice = advise(Facts(), language="en")
    assert codes(advice) == ["language_unknown"]
    assert advice.suggestions[0].need == "support"
    assert "ask her which language" in advice.suggestions[0].reason
