"""The words for the evidence of a match, in the reader's language."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "given_name": _("Given name"),
    "surname": _("Surname"),
    "birth_date": _("Date of birth"),
    "national_number": _("National number"),
    "sex": _("Sex"),
    "address": _("Address"),
    "phone": _("Phone"),
}

LEVEL_LABELS = {
    "exact": _("the same"),
    "phonetic": _("sounds the same"),
    "close": _("close spelling"),
    "partial": _("one part of a compound name"),
    "different": _("different"),
    "day_month_swapped": _("day and month swapped"),
    "year_off_by_one": _("year off by one"),
    "one_digit": _("one digit differs"),
    "agree": _("the same"),
    "disagree": _("different"),
    "same_street": _("same street"),
    "same_postcode": _("same postcode, another street"),
    "same_street_elsewhere": _("same street, another postcode"),
    "missing": _("not known on one side"),
}
