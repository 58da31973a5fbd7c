"""Fictitious identities for demo, test and benchmark data (they look made up on purpose)."""

from __future__ import annotations

from datetime import date

from stdnum.be import nn as belgian_nn

FIRST_NAMES_F = ["Alice", "Brigitte", "Chloé", "Daphné", "Els", "Fatou", "Greet", "Hanne",
                 "Inès", "Julie", "Katrien", "Leila", "Marie", "Noor", "Olga", "Paula"]
FIRST_NAMES_M = ["Arthur", "Bram", "Cédric", "Dries", "Emile", "Farid", "Gilles", "Hugo",
                 "Ivan", "Jonas", "Kevin", "Lucas", "Marc", "Nico", "Omar", "Pieter"]
LAST_NAMES = ["Exemple", "Voorbeeld", "Fictif", "Testpersoon", "Démo", "Specimen", "Modèle",
              "Proefmans", "Essai", "Fictief", "Maquette", "Prototype"]


def fictitious_national_number(birth_date: date, serial: int) -> str:
    """A national number with a valid check number for a made-up person.

    ``serial`` (1..997) is the daily counter; odd for men, even for women in the real register.
    """
    body = f"{birth_date:%y%m%d}{serial % 997 + 1:03d}"
    base = int(("2" + body) if birth_date.year >= 2000 else body)
    number = f"{body}{97 - base % 97:02d}"
    belgian_nn.validate(number)
    return number
