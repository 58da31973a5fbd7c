"""A synthetic Belgian population recorded by several agencies, with the truth of who is who:
the test set of the person matcher (``relais/linkage/tests/test_synthetic.py``).

Every identity is made up and looks it: common given names of several origins with surnames
that mean "example", "sample", "model" or "trial" in Dutch, French, Arabic, Turkish, Lingala,
Swahili, Polish, Romanian or Dari ("Van den Voorbeeld", "Du Modèle", "El Mithali",
"Örnekoğlu", "Ndakisa", "Przykładowska", "Exemplescu", "Namunazai"), on streets such as "Rue de
l'Exemple", with national numbers whose check digits hold (``relais.core.synthetic``).

People live in households (single, couple, family with children, twins, a mother and her
daughter of the same given name). Each person is recorded once to three times, by different
agencies, and every record after the first carries the errors of issue 15 section 1
(``ERRORS``): names swapped, accents dropped, particles spaced otherwise, a transliteration, a
typo, a compound surname cut to one part, day and month swapped, the year off by one, a wrong
digit in the national number, a field missing, a move, a phone written another way. Any
record may also lack its national number, phone, address, sex or birth date.

``generate`` gives the records and the truth (the pairs of keys of one person); ``rows`` gives
the same as CSV rows of ``manage.py link_persons``; ``hard_negatives`` the pairs of different
persons that look most alike (twins, mother and daughter, namesakes). All are the same for the
same seed.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import combinations

from relais.core.synthetic import fictitious_national_number
from relais.linkage.csv_records import record_from_row
from relais.linkage.normalize import CANONICAL, PARTICLES, TRANSLITERATIONS, PersonRecord, fold

AGENCIES = ("zone-exemple", "zone-voorbeeld", "parquet-fictif", "caw-proef")


@dataclass(frozen=True)
class Origin:
    """Given names (women, men) and fictitious surnames of one origin; a surname is one form,
    or a (man's form, woman's form) pair for the languages that inflect it."""

    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str | tuple[str, str], ...]


def made_up(stems: tuple[str, ...], *patterns: str) -> tuple[str, ...]:
    """Surnames from word stems and patterns: "{}" is the stem, "{l}" the stem in lower case
    ("Van den {}" and "Voorbeeld" make "Van den Voorbeeld"; "Ver{l}" and "Schets" make
    "Verschets")."""
    return tuple(pattern.format(stem, l=stem.lower()) for stem in stems for pattern in patterns)


def made_up_pairs(stems: tuple[str, ...], man: str, woman: str) -> tuple[tuple[str, str], ...]:
    return tuple(zip(made_up(stems, man), made_up(stems, woman), strict=True))


ORIGINS: dict[str, Origin] = {
    "flemish": Origin(
        ("Els", "Greet", "Katrien", "Hanne", "Lien", "Sofie", "Liesbeth", "Marie"),
        ("Bram", "Dries", "Pieter", "Jonas", "Wout", "Koen", "Jeroen", "Stijn"),
        ("Van den Voorbeeld", "De Proef", "Van de Steekproef", "Verfictief", "De Maquette",
         "Proefmans", "Van der Fictie", "Vanden Testhove")
        + made_up(("Schets", "Ontwerp", "Toets", "Staal", "Proefdruk", "Testbeeld"),
                  "Van den {}", "De {}", "Ver{l}", "{}mans", "Van {}", "{}ens")),
    "walloon": Origin(
        ("Chloé", "Inès", "Hélène", "Amélie", "Élodie", "Mélanie", "Céline", "Noémie", "Marie"),
        ("Cédric", "Émile", "Gilles", "Jérôme", "Benoît", "Frédéric", "Sébastien", "Loïc"),
        ("Du Modèle", "Lexemple", "De l'Essai", "Dufictif", "Le Prototype", "Fictivière",
         "Maquettier", "Dessai-Lemodèle")
        + made_up(("Brouillon", "Croquis", "Gabarit", "Patron", "Calque", "Épreuve"),
                  "Du {}", "Le {}", "{}ard", "{}eau", "De la {}", "{}-Dumodèle")),
    "moroccan": Origin(
        ("Fatima", "Khadija", "Aïcha", "Samira", "Naïma", "Houda", "Siham", "Zineb"),
        ("Mohamed", "Youssef", "Mustafa", "Ahmed", "Karim", "Hamza", "Rachid", "Abdelkader"),
        ("El Mithali", "Ben Namouda", "Amthila", "El Fictaoui", "Ait Mithal", "Bouessai")
        + made_up(("Tajrib", "Ikhtibar", "Namoudaj", "Nasikh", "Taswir"),
                  "El {}i", "Ben {}", "Ait {}", "{}aoui", "El {}")),
    "turkish": Origin(
        ("Ayşe", "Zeynep", "Elif", "Hatice", "Fatma", "Emine", "Gül", "Özlem"),
        ("Mehmet", "Emre", "Ahmet", "Mustafa", "Hüseyin", "Yusuf", "Burak", "Ömer"),
        ("Örnekoğlu", "Denemeci", "Sınavcı", "Örnekli", "Taslakçı", "Numuneci")
        + made_up(("Deneme", "Sınav", "Taslak", "Numune", "Kalıp", "Prova"),
                  "{}oğlu", "{}soy", "{}er", "{}kaya")),
    "congolese": Origin(
        ("Gracia", "Merveille", "Bénédicte", "Esther", "Divine", "Plamedi"),
        ("Dieudonné", "Bienvenu", "Exaucé", "Jean-Pierre", "Patrice", "Héritier", "Glody"),
        ("Ndakisa", "Mfano", "Kimfano", "Ndakisa Mfano", "Bolakisi", "Mfano-Lolenge")
        + made_up(("Jaribio", "Kielelezo", "Elilingi", "Mwongozo", "Lakisa"),
                  "{}", "{} Mfano", "Ki{l}", "{}-Lolenge", "Mbo{l}")),
    "polish": Origin(
        ("Agnieszka", "Małgorzata", "Katarzyna", "Zofia", "Joanna"),
        ("Łukasz", "Paweł", "Krzysztof", "Wojciech", "Tomasz"),
        (("Przykładowski", "Przykładowska"), ("Próbkowski", "Próbkowska"), "Wzorczyk",
         ("Testowski", "Testowska"))
        + made_up_pairs(("Szkic", "Wzór", "Makiet", "Projekt", "Egzamin"), "{}owski", "{}owska")
        + made_up(("Szkic", "Wzór", "Makiet", "Projekt", "Egzamin"), "{}czyk", "{}iewicz")),
    "romanian": Origin(
        ("Ioana", "Andreea", "Mihaela", "Ștefania", "Alexandra"),
        ("Mihai", "Ștefan", "Ionuț", "Andrei", "Răzvan"),
        ("Exemplescu", "Modelescu", "Probeanu", "Fictivescu", "Schițeanu")
        + made_up(("Machet", "Ciorn", "Tipar", "Încerc", "Șablon"), "{}escu", "{}eanu", "{}aru")),
    "syrian_afghan": Origin(
        ("Rania", "Zahra", "Farida", "Hiba", "Maryam", "Aisha"),
        ("Mohammad", "Ahmad", "Hussein", "Ibrahim", "Omar", "Khaled", "Abdulkadir"),
        ("Al-Namouthaji", "Al Mithali", "Namunazai", "Misalzada", "Abu Tajriba")
        + made_up(("Namuna", "Misal", "Tajriba", "Nuskha", "Tarh"),
                  "Al-{}i", "{}zai", "{}zada", "Abu {}", "{}yar")),
}
# How often each origin is drawn (a Belgian city's mix, roughly).
ORIGIN_WEIGHTS = {"flemish": 30, "walloon": 25, "moroccan": 15, "turkish": 8, "congolese": 7,
                  "polish": 5, "romanian": 5, "syrian_afghan": 5}

# Fictitious streets in French and in Dutch, found in every postcode of the language.
STREETS_FR = ("Rue de l'Exemple", "Avenue Fictive", "Boulevard du Modèle", "Place Fictive",
              "Rue du Prototype", "Chaussée de l'Essai", "Rue de la Maquette",
              "Avenue du Spécimen", "Rue de l'Échantillon", "Quai Fictif", "Rue du Brouillon",
              "Allée du Croquis", "Impasse de l'Ébauche", "Rue des Essais", "Square du Modèle")
STREETS_NL = ("Voorbeeldstraat", "Proeflaan", "Steekproefplein", "Fictiefstraat",
              "Maquettelaan", "Testpersoonstraat", "Voorbeeldlaan", "Proefmansstraat",
              "Fictieve Steenweg", "Voorbeeldkaai", "Schetsstraat", "Ontwerplei", "Toetsweg",
              "Staalstraat", "Modeldreef")
# (postcode, streets): real postcodes, fictitious streets.
PLACES = tuple((postcode, STREETS_FR) for postcode in ("1000", "1030", "1050", "1080", "4000",
                                                       "5000", "6000", "7000")) \
    + tuple((postcode, STREETS_NL) for postcode in ("2000", "3000", "8000", "9000"))

# The errors of issue 15 section 1 that a later record may carry (at most two each).
ERRORS = ("names_swapped", "accents_dropped", "particle_spacing", "transliteration",
          "typo_given_name", "typo_surname", "compound_part", "day_month_swapped",
          "year_off_by_one", "birth_date_missing", "national_number_digit",
          "national_number_missing", "sex_missing", "address_missing", "moved",
          "new_phone")
# How often each field is simply absent from a record, whatever the errors.
ABSENT = {"national_number": 0.4, "phone": 0.5, "address": 0.25, "sex": 0.1,
          "birth_date": 0.03}
LAST_BIRTH = date(2025, 6, 30)
HARD_NEGATIVES = ("twins", "mother_daughter", "namesakes")
DUPLICATES = ((1, 0.55), (2, 0.33), (3, 0.12))  # how many records a person has, how often


@dataclass(frozen=True)
class Person:
    """The truth about one person."""

    given_name: str
    surname: str
    sex: str
    birth_date: date
    national_number: str
    postcode: str
    street: str
    house_number: str
    phone: str  # E.164, or ""


class _Population:
    """The persons, built household by household."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.persons: list[Person] = []
        self._serials: dict[date, int] = {}
        self._phones = 0
        self.relations: list[tuple[str, int, int]] = []  # (HARD_NEGATIVES kind, person, person)

    def relate(self, kind: str, one: Person, other: Person) -> None:
        self.relations.append((kind, self.persons.index(one), self.persons.index(other)))

    def national_number(self, born: date, sex: str) -> str:
        count = self._serials.get(born, 0) + 1
        self._serials[born] = count
        daily = 2 * count - 1 if sex == "M" else 2 * count  # odd for men, even for women
        return fictitious_national_number(born, daily - 1)

    def phone(self) -> str:
        if self.rng.random() < 0.2:
            return ""
        self._phones += 1
        return f"+3247{self._phones % 10:d}{(self._phones * 7919) % 1_000_000:06d}"

    def birth(self, first: int, last: int) -> date:
        start = date(first, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last, 12, 31) - start).days))

    def origin(self) -> Origin:
        names = list(ORIGIN_WEIGHTS)
        return ORIGINS[self.rng.choices(names, weights=[ORIGIN_WEIGHTS[n] for n in names])[0]]

    def address(self) -> tuple[str, str, str]:
        postcode, streets = self.rng.choice(PLACES)
        return postcode, self.rng.choice(streets), str(self.rng.randint(1, 180))

    def surname(self, origin: Origin, sex: str) -> str:
        surname = self.rng.choice(origin.surnames)
        if isinstance(surname, tuple):
            return surname[1] if sex == "F" else surname[0]
        return surname

    def add(self, *, origin: Origin, sex: str, born: date, address: tuple[str, str, str],
            given_name: str = "", surname: str = "") -> Person:
        person = Person(
            given_name=given_name or self.rng.choice(origin.women if sex == "F" else origin.men),
            surname=surname or self.surname(origin, sex), sex=sex, birth_date=born,
            national_number=self.national_number(born, sex),
            postcode=address[0], street=address[1], house_number=address[2],
            phone=self.phone())
        self.persons.append(person)
        return person

    def household(self) -> None:
        rng = self.rng
        origin, address = self.origin(), self.address()
        kind = rng.random()
        if kind < 0.45:  # alone
            self.add(origin=origin, sex=rng.choice("FM"), born=self.birth(1950, 2006),
                     address=address)
            return
        mother = self.add(origin=origin, sex="F", born=self.birth(1955, 1995), address=address)
        if kind < 0.5:  # a mother and her daughter of the same given name and surname
            born = mother.birth_date + timedelta(days=rng.randint(20 * 365, 35 * 365))
            daughter = self.add(origin=origin, sex="F", given_name=mother.given_name,
                                surname=mother.surname, address=address,
                                born=min(born, LAST_BIRTH))
            self.relate("mother_daughter", mother, daughter)
            return
        father = self.add(origin=origin if rng.random() < 0.8 else self.origin(), sex="M",
                          born=mother.birth_date + timedelta(days=rng.randint(-3000, 1500)),
                          address=address)
        if kind < 0.7:  # a couple
            return
        children = rng.randint(1, 3)
        born = min(LAST_BIRTH, mother.birth_date + timedelta(days=rng.randint(20 * 365,
                                                                              30 * 365)))
        taken = {mother.given_name, father.given_name}
        if kind < 0.78:  # twins: same surname, birth date and address, other given names
            twins = []
            for sex in (rng.choice("FM"), rng.choice("FM")):
                twins.append(self.add(origin=origin, sex=sex, born=born, address=address,
                                      surname=_inflected(father.surname, sex),
                                      given_name=self.other_given_name(origin, sex, taken)))
                taken.add(twins[-1].given_name)
            self.relate("twins", *twins)
            children -= 1
        for _ in range(children):
            born += timedelta(days=rng.randint(400, 2000))
            if born > LAST_BIRTH:
                break
            sex = rng.choice("FM")
            child = self.add(origin=origin, sex=sex, born=born, address=address,
                             surname=_inflected(father.surname, sex),
                             given_name=self.other_given_name(origin, sex, taken))
            taken.add(child.given_name)

    def other_given_name(self, origin: Origin, sex: str, taken: set[str]) -> str:
        """A given name no one of the household bears yet (siblings differ)."""
        names = [n for n in (origin.women if sex == "F" else origin.men) if n not in taken]
        return self.rng.choice(names)

    def fill(self, persons: int) -> None:
        """About ``persons`` persons (a household is not cut)."""
        self.common_names(max(1, persons // 40))
        while len(self.persons) < persons:
            self.household()

    def common_names(self, count: int) -> None:
        """Namesakes born within weeks of each other, elsewhere: the common names of the set."""
        for _ in range(count):
            origin = self.origin()
            sex = self.rng.choice("FM")
            first = self.add(origin=origin, sex=sex, born=self.birth(1960, 2004),
                             address=self.address())
            namesake = self.add(
                origin=origin, sex=sex, given_name=first.given_name, surname=first.surname,
                address=self.address(), born=first.birth_date
                + timedelta(days=self.rng.choice((-1, 1)) * self.rng.randint(2, 60)))
            self.relate("namesakes", first, namesake)


def _inflected(surname: str, sex: str) -> str:
    """The surname in the form of ``sex`` ("Przykładowski" -> "Przykładowska")."""
    for origin in ORIGINS.values():
        for form in origin.surnames:
            if isinstance(form, tuple) and surname in form:
                return form[1] if sex == "F" else form[0]
    return surname


# -- The errors -----------------------------------------------------------------------------

def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("ł", "l").replace("Ł", "L").replace("ı", "i")


# Surnames written joined, as they are also written spaced.
JOINED = {"Dufictif": "Du Fictif", "Lexemple": "L'Exemple", "Verfictief": "Ver Fictief",
          "Bouessai": "Bou Essai", "Kimfano": "Ki Mfano"}


def respace_particles(surname: str) -> str:
    """"Van den Voorbeeld" -> "Vandenvoorbeeld", "El Mithali" -> "El-Mithali", "Dufictif" ->
    "Du Fictif"."""
    if surname in JOINED:
        return JOINED[surname]
    words = surname.replace("-", " ").split()
    if len(words) < 2 or fold(words[0]) not in PARTICLES:
        return surname
    if words[0] in {"El", "Al"}:
        return "-".join(words) if "-" not in surname else " ".join(words)
    joined = "".join(words)
    return joined[0] + joined[1:].lower()


def transliterated(given_name: str, rng: random.Random) -> str:
    canonical = CANONICAL.get(fold(given_name))
    if canonical is None:
        return given_name
    group = next(g for g in TRANSLITERATIONS if g[0] == canonical)
    others = [v for v in group if v != fold(given_name)]
    return rng.choice(others).capitalize()


KEYBOARD_NEIGHBOURS = {
    "a": "zqs", "e": "rzd", "i": "uo", "o": "ip", "u": "yi", "n": "bm", "m": "n", "r": "et",
    "s": "adz", "t": "ry", "l": "km", "d": "sf", "k": "jl", "h": "gj", "b": "vn", "c": "xv",
}


def typo(text: str, rng: random.Random) -> str:
    """One keystroke wrong after the first letter: a neighbour key, a letter dropped, doubled,
    or two letters swapped."""
    if len(text) < 4:
        return text
    at = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("neighbour", "drop", "double", "swap"))
    letter = text[at].lower()
    if kind == "neighbour" and letter in KEYBOARD_NEIGHBOURS:
        return text[:at] + rng.choice(KEYBOARD_NEIGHBOURS[letter]) + text[at + 1:]
    if kind == "drop":
        return text[:at] + text[at + 1:]
    if kind == "double":
        return text[:at] + text[at] + text[at:]
    return text[:at] + text[at + 1] + text[at] + text[at + 2:]


def phone_written(e164: str, rng: random.Random) -> str:
    """The same number as people write it: "0470 12 34 56", "+32 470/12.34.56", "0032..."."""
    local = e164[3:]
    return rng.choice((
        e164,
        f"0{local[:3]} {local[3:5]} {local[5:7]} {local[7:]}",
        f"0{local[:3]}/{local[3:5]}.{local[5:7]}.{local[7:]}",
        f"+32 {local[:3]} {local[3:5]} {local[5:7]} {local[7:]}",
        f"0032{local}",
        f"0{local}",
    ))


def _digit_changed(number: str, rng: random.Random) -> str:
    at = rng.randrange(len(number))
    return number[:at] + rng.choice([d for d in "0123456789" if d != number[at]]) \
        + number[at + 1:]


def _applicable(person: Person) -> list[str]:
    kinds = list(ERRORS)
    if strip_accents(person.given_name + person.surname) == person.given_name + person.surname:
        kinds.remove("accents_dropped")
    if respace_particles(person.surname) == person.surname:
        kinds.remove("particle_spacing")
    if fold(person.given_name) not in CANONICAL:
        kinds.remove("transliteration")
    if len(fold(person.surname).split()) < 2 or respace_particles(person.surname) \
            != person.surname:
        kinds.remove("compound_part")
    if person.birth_date.day > 12 or person.birth_date.day == person.birth_date.month:
        kinds.remove("day_month_swapped")
    return kinds


def with_error(person: Person, kind: str, rng: random.Random) -> Person:
    """``person`` as a record carrying the error ``kind`` shows her."""
    if kind == "names_swapped":
        return replace(person, given_name=person.surname, surname=person.given_name)
    if kind == "accents_dropped":
        return replace(person, given_name=strip_accents(person.given_name),
                       surname=strip_accents(person.surname))
    if kind == "particle_spacing":
        return replace(person, surname=respace_particles(person.surname))
    if kind == "transliteration":
        return replace(person, given_name=transliterated(person.given_name, rng))
    if kind == "typo_given_name":
        return replace(person, given_name=typo(person.given_name, rng))
    if kind == "typo_surname":
        return replace(person, surname=typo(person.surname, rng))
    if kind == "compound_part":
        return replace(person, surname=rng.choice(person.surname.replace("-", " ").split()))
    born = person.birth_date
    if kind == "day_month_swapped":
        return replace(person, birth_date=date(born.year, born.day, born.month))
    if kind == "year_off_by_one":
        try:
            return replace(person, birth_date=born.replace(year=born.year + rng.choice((-1, 1))))
        except ValueError:  # 29 February
            return person
    if kind == "national_number_digit":
        return replace(person, national_number=_digit_changed(person.national_number, rng))
    if kind == "moved":
        postcode, streets = rng.choice(PLACES)
        return replace(person, postcode=postcode, street=rng.choice(streets),
                       house_number=str(rng.randint(1, 180)))
    if kind == "new_phone":
        return replace(person, phone=f"+32468{rng.randrange(1_000_000):06d}")
    return person  # the kinds that only leave a field out: see ``row``


def row(person: Person, *, record_id: str, agency: str, errors: tuple[str, ...],
        rng: random.Random) -> dict[str, str]:
    """One CSV row (``COLUMNS``) of ``person`` as recorded with ``errors``."""
    for kind in errors:
        person = with_error(person, kind, rng)
    absent = {name for name, rate in ABSENT.items() if rng.random() < rate}
    absent |= {kind.removesuffix("_missing") for kind in errors if kind.endswith("_missing")}
    surname = person.surname.upper() if rng.random() < 0.15 else person.surname
    return {
        "record_id": record_id, "source_agency": agency,
        "given_name": person.given_name, "surname": surname,
        "birth_date": "" if "birth_date" in absent else person.birth_date.isoformat(),
        "national_number": "" if "national_number" in absent else person.national_number,
        "sex": "" if "sex" in absent else person.sex,
        "postcode": "" if "address" in absent else person.postcode,
        "municipality": "",
        "street": "" if "address" in absent else person.street,
        "house_number": "" if "address" in absent else person.house_number,
        "phone": "" if "phone" in absent or not person.phone
        else phone_written(person.phone, rng),
    }


@dataclass(frozen=True)
class _Recorded:
    rows: list[dict[str, str]]
    record_ids: dict[int, list[str]]  # person number -> her record_ids
    relations: list[tuple[str, int, int]]  # (hard negative kind, person, person)


@cache
def _recorded(persons: int, seed: int) -> _Recorded:
    built = _Population(random.Random(seed))
    built.fill(persons)
    rng = random.Random(seed + 1)
    recorded: list[tuple[int, Person, str, tuple[str, ...]]] = []
    for number, person in enumerate(built.persons):
        count = rng.choices([n for n, _ in DUPLICATES], weights=[w for _, w in DUPLICATES])[0]
        kinds = _applicable(person)
        for order, agency in enumerate(rng.sample(AGENCIES, count)):
            errors = () if order == 0 else tuple(rng.sample(kinds, rng.choice((0, 1, 1, 2))))
            recorded.append((number, person, agency, errors))
    rng.shuffle(recorded)
    record_ids: dict[int, list[str]] = {}
    made = []
    for index, (number, person, agency, errors) in enumerate(recorded):
        record_id = f"R{index + 1:06d}"
        record_ids.setdefault(number, []).append(record_id)
        made.append(row(person, record_id=record_id, agency=agency, errors=errors, rng=rng))
    return _Recorded(rows=made, record_ids=record_ids, relations=built.relations)


def rows(*, persons: int = 2000, seed: int = 15) -> tuple[list[dict[str, str]],
                                                          set[frozenset[str]]]:
    """The records as CSV rows, shuffled, and the truth: the pairs of record_ids of one
    person."""
    recorded = _recorded(persons, seed)
    truth = {frozenset(pair) for ids in recorded.record_ids.values()
             for pair in combinations(ids, 2)}
    return [dict(r) for r in recorded.rows], truth


def hard_negatives(*, persons: int = 2000, seed: int = 15) -> dict[str, set[frozenset[str]]]:
    """The pairs of record_ids of different persons that look most alike, by kind: "twins",
    "mother_daughter" (same given name and surname, one address), "namesakes" (same names,
    born days or weeks apart)."""
    recorded = _recorded(persons, seed)
    pairs: dict[str, set[frozenset[str]]] = {kind: set() for kind in HARD_NEGATIVES}
    for kind, one, other in recorded.relations:
        pairs[kind].update(frozenset((a, b)) for a in recorded.record_ids[one]
                           for b in recorded.record_ids[other])
    return pairs


def generate(*, persons: int = 2000, seed: int = 15) -> tuple[list[PersonRecord],
                                                              set[frozenset[str]]]:
    """The records (unique keys, ``agency`` one of ``AGENCIES``) and the truth: the pairs of
    keys of one person."""
    made, truth = rows(persons=persons, seed=seed)
    return [record_from_row(r) for r in made], truth
