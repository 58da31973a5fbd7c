"""relais.core.versions: the version of a record and the comparison shown on a conflict."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from relais.core.versions import EditConflict, conflict_rows, values_check, version_of


def test_a_decimal_has_one_version_however_it_is_written():
    assert version_of({"hours": Decimal("45")}) == version_of({"hours": Decimal("45.0")})
    assert version_of({"hours": Decimal("45")}) != version_of({"hours": Decimal("4.5")})


def test_no_version_or_an_empty_one_compares_nothing():
    values_check({"name": "A"}, None)
    values_check({"name": "A"}, "")  # a form's hidden field left empty
    values_check({"name": "A"}, version_of({"name": "A"}))
    with pytest.raises(EditConflict) as conflict:
        values_check({"name": "B"}, version_of({"name": "A"}), labels={"name": "Name"})
    assert conflict.value.current == {"name": "B"}
    assert conflict.value.version == version_of({"name": "B"})
    assert conflict.value.labels == {"name": "Name"}


class _Form(forms.Form):
    coordinator = forms.TypedChoiceField(label="Coordinator", coerce=int,
                                         choices=[(1, "Ann"), (2, "Bob")])
    note = forms.CharField(label="Note", required=False)


def test_a_foreign_keys_column_meets_its_form_field_and_shows_by_its_label():
    form = _Form({"coordinator": "2", "note": "same"})
    assert form.is_valid()
    rows = conflict_rows(form, EditConflict(
        current={"coordinator_id": 1, "note": "same", "review_on": "2027-01-01"},
        version="v", labels={"review_on": "Review by"}))
    assert rows == [{"label": "Coordinator", "saved": "Ann", "typed": "Bob"},
                    {"label": "Review by", "saved": "2027-01-01", "typed": "—"}]
