"""Blocking keys: the few indexed values under which a person is filed, so that a new record
is compared only with the persons sharing one of them, not with a million.

Stored, one row each (``PersonKey``), for every person:
- ``n:`` the national number; ``nt:`` its last five digits, ``nh:`` its first six with the
  first letter of a name (one wrong digit leaves one half equal);
- ``d:`` the birth date with the first letter of one name's phonetic key (one key per name, so
  a swap of given name and surname files the same): a date alone gathers a hundred persons per
  million;
- ``sy:`` the two names' phonetic keys, sorted, with the birth year and month (names without
  a date are no key: a name alone never reaches the lower threshold, and whatever else agrees —
  a national number, a phone, an address — is a key of its own);
- ``p:`` each phone (E.164);
- ``a:`` the postcode with the folded street (never a confidential address: see normalize).

Looked up, for a new record: the same keys, plus the birth date with day and month swapped and
one year either side (``d:``, ``sy:``). The birth date of a record without one is the one its
national number encodes (normalize).

A person is compared only if she shares at least two keys with the new record, or one strong
key (the national number or one of its halves, a phone, the address): one weak key alone (the
same birth date and initial, say) gathers many persons and almost never a match. On the
synthetic Belgian set this loses 3 of 1,330 true pairs above the upper threshold; at 1,000,000
cases it divides the persons read and scored by about five (bench/README.md).
"""

from __future__ import annotations

from datetime import date

from relais.linkage.normalize import PersonRecord

STRONG = ("n:", "nh:", "nt:", "p:", "a:")  # keys that are enough on their own
MIN_SHARED = 2  # otherwise, keys a person must share with the new record


def is_strong(key: str) -> bool:
    return key.startswith(STRONG)


def _names(record: PersonRecord) -> str:
    phonetics = sorted(p for p in (record.given.phonetic, record.surname.phonetic) if p)
    return "|".join(phonetics)


def _initials(record: PersonRecord) -> set[str]:
    return {(name.phonetic or name.joined)[:1] for name in (record.given, record.surname)
            if name}


def _shift_year(day: date, years: int) -> date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def _dates(day: date) -> list[date]:
    """The date, one year either side, and day and month swapped."""
    variants = [day, _shift_year(day, -1), _shift_year(day, 1)]
    if day.day <= 12 and day.day != day.month:
        variants.append(date(day.year, day.day, day.month))
    return [v for v in variants if v]


def _keys(record: PersonRecord, days: list[date]) -> set[str]:
    keys: set[str] = set()
    if record.national_number:
        keys.add(f"n:{record.national_number}")
        if len(record.national_number) == 11:  # another numbering's halves block nothing
            keys.add(f"nt:{record.national_number[6:]}")
            keys.update(f"nh:{record.national_number[:6]}|{initial}"
                        for initial in _initials(record))
    names = _names(record)
    for day in days:
        keys.update(f"d:{day.isoformat()}|{initial}" for initial in _initials(record))
        if names:
            keys.add(f"sy:{names}|{day:%Y-%m}")
    keys.update(f"p:{phone}" for phone in record.phones)
    if record.postcode and record.street:
        keys.add(f"a:{record.postcode}|{record.street}")
    return {key[:120] for key in keys}


def stored_keys(record: PersonRecord) -> set[str]:
    return _keys(record, [record.birth_date] if record.birth_date else [])


def lookup_keys(record: PersonRecord) -> set[str]:
    return _keys(record, _dates(record.birth_date) if record.birth_date else [])
