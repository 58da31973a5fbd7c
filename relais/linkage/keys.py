"""Blocking keys: the few indexed values under which a person is filed, so that a new record
is compared only with the persons sharing one of them, not with a million.

Stored, one row each (``PersonKey``), for every person:
- ``n:`` the national number; ``nh:`` / ``nt:`` its first six and last five digits (one wrong
  digit leaves the other half equal);
- ``d:`` the birth date;
- ``sy:`` the two names' phonetic keys, sorted (so a swap of given name and surname files the
  same), with the birth year; ``sn:`` the same without the year;
- ``p:`` each phone (E.164);
- ``a:`` the postcode with the folded street (never a confidential address: see normalize).

Looked up, for a new record: the same keys, plus the birth date with day and month swapped and
one year either side, and the name key one year either side. ``sn:`` is looked up only when the
new record has no birth date.
"""

from __future__ import annotations

from datetime import date

from relais.linkage.normalize import PersonRecord


def _names(record: PersonRecord) -> str:
    phonetics = sorted(p for p in (record.given.phonetic, record.surname.phonetic) if p)
    return "|".join(phonetics)


def _shift_year(day: date, years: int) -> date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def stored_keys(record: PersonRecord) -> set[str]:
    keys: set[str] = set()
    if record.national_number:
        keys.add(f"n:{record.national_number}")
        if len(record.national_number) == 11:  # the halves of another numbering block nothing
            keys.add(f"nh:{record.national_number[:6]}")
            keys.add(f"nt:{record.national_number[6:]}")
    names = _names(record)
    if record.birth_date:
        keys.add(f"d:{record.birth_date.isoformat()}")
        if names:
            keys.add(f"sy:{names}|{record.birth_date.year}")
    if names:
        keys.add(f"sn:{names}")
    keys.update(f"p:{phone}" for phone in record.phones)
    if record.postcode and record.street:
        keys.add(f"a:{record.postcode}|{record.street}")
    return {key[:120] for key in keys}


def lookup_keys(record: PersonRecord) -> set[str]:
    keys = stored_keys(record)
    names = _names(record)
    if record.birth_date:
        keys.discard(f"sn:{names}")
        day = record.birth_date
        variants = [_shift_year(day, -1), _shift_year(day, 1)]
        if day.day <= 12 and day.day != day.month:
            variants.append(date(day.year, day.day, day.month))
        keys.update(f"d:{v.isoformat()}" for v in variants if v)
        if names:
            keys.update(f"sy:{names}|{day.year + shift}" for shift in (-1, 1))
    return {key[:120] for key in keys}
