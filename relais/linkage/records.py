"""Person records built from the database (or from a form being typed), for the matcher."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from relais.cases.models import Address, Person, PhoneNumber, Sex
from relais.linkage.normalize import PersonRecord

SEX_OF = {Sex.FEMALE: "F", Sex.MALE: "M", Sex.OTHER: "X"}


def record_from_fields(*, key: str = "new", first_name: str = "", last_name: str = "",
                       birth_date: date | None = None, national_number: str = "",
                       sex: str = "", phones: Iterable[str] = (), postcode: str = "",
                       street: str = "") -> PersonRecord:
    return PersonRecord.build(
        key=key, given_name=first_name, surname=last_name, birth_date=birth_date,
        national_number_=national_number, sex=SEX_OF.get(sex, ""), postcode=postcode,
        street_=street, phones=tuple(phones))


def records_for(person_ids: Iterable[int]) -> dict[int, PersonRecord]:
    """The records of these persons: three queries. Only current, non-confidential addresses
    take part (a shelter's address is never matched on)."""
    ids = list(person_ids)
    if not ids:
        return {}
    phones: dict[int, list[str]] = defaultdict(list)
    for person_id, number in PhoneNumber.objects.filter(person_id__in=ids).values_list(
            "person_id", "number"):
        phones[person_id].append(number)
    addresses: dict[int, tuple[str, str]] = {}
    for person_id, postcode, street in (
            Address.objects.filter(person_id__in=ids, confidential=False, current=True)
            .order_by("person_id", "-pk").values_list("person_id", "postcode", "street")):
        addresses.setdefault(person_id, (postcode, street))
    records = {}
    for p in Person.objects.filter(pk__in=ids).only(
            "first_name", "last_name", "birth_date", "national_number", "sex"):
        postcode, street = addresses.get(p.pk, ("", ""))
        records[p.pk] = record_from_fields(
            key=str(p.pk), first_name=p.first_name, last_name=p.last_name,
            birth_date=p.birth_date, national_number=p.national_number, sex=p.sex,
            phones=phones.get(p.pk, ()), postcode=postcode, street=street)
    return records
