from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from relais.figures.rules import (
    N_OF_UNITS,
    FigureSource,
    NotAdditiveError,
    ProsecutionEntry,
    ReferenceDate,
    ShareOfN,
    count_prosecution_cases,
    count_prosecution_cases_by_office,
    counting_day,
    first_entries,
    month_over_month,
    multi_answer_shares,
    period_of,
    previous_month,
    reference_date_for,
    round_half_away,
    same_month_other_years,
    share_pct,
    suppress,
    terciles,
    variation_pct,
)


def test_rounding_is_half_away_from_zero():
    assert round_half_away(2.25) == Decimal("2.3")
    assert round_half_away(-2.25) == Decimal("-2.3")
    assert round_half_away(2.675, 2) == Decimal("2.68")
    assert round_half_away(0.05, 1) == Decimal("0.1")
    assert round_half_away(None) is None


def test_share_and_variation():
    assert share_pct(1, 3) == Decimal("33.3")
    assert share_pct(2, 3) == Decimal("66.7")
    assert share_pct(5, 0) is None and share_pct(5, None) is None
    assert variation_pct(15, 10) == Decimal("50.0")
    assert variation_pct(9, 12, 2) == Decimal("-25.00")
    assert variation_pct(3, None) is None and variation_pct(3, 0) is None


# --- Small cells ----------------------------------------------------------------------------


def hidden_cells(result):
    return {(row, column) for row in result.rows for column in result.columns
            if result.cells[row][column] is None}


def determined(result) -> set:
    """The hidden cells an outsider can compute exactly from what is published, by linear
    algebra over the published totals (independent of how suppress chooses its cells)."""
    unknowns = sorted(hidden_cells(result), key=repr)
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations = []

    def line(cells, total):
        if total is None or not any(cell in index for cell in cells):
            return
        vector = [Fraction(0)] * len(unknowns)
        for cell in cells:
            if cell in index:
                vector[index[cell]] = Fraction(1)
        equations.append(vector)

    for row in result.rows:
        line([(row, column) for column in result.columns], result.row_totals[row])
    for column in result.columns:
        line([(row, column) for row in result.rows], result.column_totals[column])
    line([(row, column) for row in result.rows for column in result.columns], result.total)

    base = rank(equations)
    found = set()
    for cell, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if rank([*equations, unit]) == base:
            found.add(cell)
    return found


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(r) for r in matrix]
    rank_, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank_, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for r in range(len(rows)):
            if r != rank_ and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank_][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank_], strict=True)]
        rank_ += 1
    return rank_


def test_a_table_without_small_cells_is_published_whole():
    table = {"Gent": {"2025": 12, "2026": 9}, "Luik": {"2025": 7, "2026": 15}}
    result = suppress(table, threshold=5)
    assert result.cells == table
    assert result.row_totals == {"Gent": 21, "Luik": 22}
    assert result.column_totals == {"2025": 19, "2026": 24}
    assert result.total == 43 and not result.hidden


def test_a_single_small_cell_takes_the_smallest_cells_of_its_row_and_column_with_it():
    table = {"Gent": {"physical": 3, "sexual": 8, "economic": 20},
             "Luik": {"physical": 14, "sexual": 9, "economic": 30}}
    result = suppress(table, threshold=5)
    assert result.primary == {("Gent", "physical")}
    # Its row gives away 3 unless a second cell is hidden: the smallest other one (8), and
    # each of their columns then needs a second hidden cell, which closes the rectangle.
    assert result.secondary == {("Gent", "sexual"), ("Luik", "physical"), ("Luik", "sexual")}
    assert result.cells["Gent"] == {"physical": None, "sexual": None, "economic": 20}
    assert result.row_totals == {"Gent": 31, "Luik": 53}
    assert determined(result) == set()


def test_a_row_with_two_small_cells_needs_no_second_suppression_in_that_row():
    table = {"Gent": {"a": 2, "b": 4, "c": 10},
             "Luik": {"a": 11, "b": 12, "c": 13},
             "Mons": {"a": 20, "b": 6, "c": 30}}
    result = suppress(table, threshold=5)
    assert result.primary == {("Gent", "a"), ("Gent", "b")}
    # Columns a and b each have one hidden cell: the smallest other of column a is Luik's 11,
    # of column b Mons's 6; Luik's and Mons's rows then need a partner each (the rule is greedy:
    # an optimiser would have hidden Mons's a and b alone).
    assert ("Gent", "c") not in result.hidden
    assert result.secondary == {("Luik", "a"), ("Luik", "b"), ("Mons", "a"), ("Mons", "b")}
    assert determined(result) == set()


def test_a_column_then_a_row_cascade():
    table = {"A": {"x": 1, "y": 50, "z": 60},
             "B": {"x": 7, "y": 8, "z": 90},
             "C": {"x": 40, "y": 45, "z": 9}}
    result = suppress(table, threshold=5)
    # Row A takes its smallest other cell (50), column x its (B's 7), then column y, left
    # with A's 50 alone, takes B's 8, which row B already needed: a rectangle.
    assert result.primary == {("A", "x")}
    assert result.secondary == {("A", "y"), ("B", "x"), ("B", "y")}
    for row in result.rows:
        assert sum(result.cells[row][c] is None for c in result.columns) != 1
    for column in result.columns:
        assert sum(result.cells[r][column] is None for r in result.rows) != 1
    assert determined(result) == set()


def test_zeros_are_shown_and_only_counts_from_one_to_the_threshold_less_one_are_hidden():
    table = {"Gent": {"a": 0, "b": 5, "c": 4}, "Luik": {"a": 0, "b": 6, "c": 100}}
    result = suppress(table, threshold=5)
    assert result.primary == {("Gent", "c")}
    assert result.cells["Gent"]["a"] == 0 and result.cells["Luik"]["a"] == 0
    # A non-zero cell is preferred as the partner (Gent's 5, not Gent's 0).
    assert ("Gent", "b") in result.secondary
    assert determined(result) == set()


def test_a_table_of_one_small_cell_hides_its_total_too():
    result = suppress({"Eupen": {"count": 2}}, threshold=5)
    assert result.cells == {"Eupen": {"count": None}}
    assert result.total is None and result.row_totals == {"Eupen": None}
    assert suppress({"Eupen": {"count": 0}}, threshold=5).total == 0


def test_a_zero_becomes_a_partner_only_when_no_count_is_left():
    result = suppress({"Gent": {"a": 0, "b": 3}}, threshold=5)
    assert result.cells == {"Gent": {"a": None, "b": None}}
    assert result.row_totals == {"Gent": 3}
    # One row: each column total is its cell, hidden with it.
    assert result.column_totals == {"a": None, "b": None}


def test_a_one_column_table_of_districts_hides_a_second_district():
    table = {"Eupen": {"count": 3}, "Gent": {"count": 40}, "Luik": {"count": 12}}
    result = suppress(table, threshold=5)
    assert result.cells == {"Eupen": {"count": None}, "Gent": {"count": 40},
                            "Luik": {"count": None}}
    assert result.column_totals == {"count": 55} and result.total == 55
    assert result.row_totals == {"Eupen": None, "Gent": 40, "Luik": None}
    assert determined(result) == set()


def test_two_hidden_rectangles_joined_by_one_cell_are_linked():
    # Rows 1-2 x columns a-b and rows 3-4 x columns c-d are small blocks; row 2 column c is
    # small too: it has two hidden partners in its row and column, yet the totals give it
    # away unless the two blocks are linked.
    table = {"r1": {"a": 1, "b": 2, "c": 50, "d": 50},
             "r2": {"a": 3, "b": 4, "c": 2, "d": 50},
             "r3": {"a": 50, "b": 50, "c": 1, "d": 2},
             "r4": {"a": 50, "b": 50, "c": 3, "d": 4}}
    result = suppress(table, threshold=5)
    # The classic rule alone leaves r2/c computable; one cell of 50 links the two blocks.
    assert result.secondary == {("r1", "c")}
    assert determined(result) == set()


def test_the_threshold_is_configurable(settings):
    table = {"Gent": {"a": 7, "b": 30}, "Luik": {"a": 20, "b": 40}}
    assert not suppress(table).hidden
    settings.FIGURES_SMALL_CELL = 10
    assert suppress(table).primary == {("Gent", "a")}
    assert suppress(table, threshold=3).threshold == 3 and not suppress(table, threshold=3).hidden


def test_a_ragged_table_or_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        suppress({"Gent": {"a": 1, "b": 2}, "Luik": {"a": 3}})
    with pytest.raises(ValueError):
        suppress({"Gent": {"a": -1}})
    with pytest.raises(ValueError):
        suppress({"Gent": {"a": 1}}, threshold=0)


tables = st.integers(1, 5).flatmap(lambda n_rows: st.integers(1, 5).flatmap(
    lambda n_columns: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)),
                 min_size=n_columns, max_size=n_columns),
        min_size=n_rows, max_size=n_rows)))


@hypothesis_settings(max_examples=300, deadline=None)
@given(grid=tables, threshold=st.integers(2, 6))
def test_no_hidden_count_can_be_computed_back_from_the_totals(grid, threshold):
    table = {f"r{i}": {f"c{j}": value for j, value in enumerate(row)}
             for i, row in enumerate(grid)}
    result = suppress(table, threshold=threshold)
    small = {(r, c) for r, row in table.items() for c, v in row.items() if 0 < v < threshold}
    assert result.primary == small
    assert small <= hidden_cells(result) == result.hidden
    for row in result.rows:
        for column in result.columns:
            shown = result.cells[row][column]
            assert shown is None or shown == table[row][column]
    assert result.total in (None, sum(sum(row) for row in grid))
    assert determined(result) == set()


# --- Month over month --------------------------------------------------------------------


def test_month_over_month_uses_the_calendar_month_before():
    counts = {"2025-11": 10, "2025-12": 15, "2026-01": 12, "2026-03": 20}
    assert month_over_month(counts) == {
        "2025-11": None, "2025-12": Decimal("50.0"), "2026-01": Decimal("-20.0"),
        "2026-03": None}  # February is missing: no variation rather than one over two months
    assert previous_month("2026-01") == "2025-12" and previous_month("2026-10") == "2026-09"
    with pytest.raises(ValueError):
        previous_month("2026-13")


# --- Two reference dates -----------------------------------------------------------------


def test_police_count_by_the_facts_and_prosecutors_by_entry_and_say_so():
    assert reference_date_for(FigureSource.POLICE) == ReferenceDate.OFFENCE
    assert reference_date_for("prosecution") == ReferenceDate.ENTRY
    with translation.override("en"):
        assert str(ReferenceDate.OFFENCE.label) == "by date of the facts"
        assert str(reference_date_for("prosecution").label) == (
            "by date of entry at the prosecutor's office")
    with pytest.raises(ValueError):
        reference_date_for("helpline")


def test_a_record_counts_on_its_sources_reference_date_and_on_no_other():
    facts, entry = date(2025, 12, 28), date(2026, 1, 6)
    assert counting_day(source="police", facts_on=facts, entered_on=entry) == facts
    assert counting_day(source="prosecution", facts_on=facts, entered_on=entry) == entry
    assert counting_day(source="prosecution", facts_on=facts, entered_on=None) is None


def test_a_transferred_case_counts_once_at_its_first_entry():
    entries = [
        ProsecutionEntry(case="PV-BR-0001", office="Brussel", entered_on=date(2026, 1, 20)),
        ProsecutionEntry(case="PV-BR-0002", office="Brussel", entered_on=date(2026, 1, 25)),
        # PV-BR-0001 transferred to Halle-Vilvoorde in February: not a new case.
        ProsecutionEntry(case="PV-BR-0001", office="Halle-Vilvoorde",
                         entered_on=date(2026, 2, 3)),
        # Listed before its first entry: the order given does not matter, the date does.
        ProsecutionEntry(case="PV-LG-0003", office="Eupen", entered_on=date(2026, 3, 1)),
        ProsecutionEntry(case="PV-LG-0003", office="Liège", entered_on=date(2026, 2, 27)),
    ]
    assert count_prosecution_cases(entries) == {"2026-01": 2, "2026-02": 1}
    assert count_prosecution_cases(entries, period="year") == {"2026": 3}
    assert count_prosecution_cases_by_office(entries) == {
        ("Brussel", "2026-01"): 2, ("Liège", "2026-02"): 1}
    assert [e.office for e in first_entries(entries)] == ["Brussel", "Brussel", "Liège"]
    assert period_of(date(2026, 3, 9)) == "2026-03"


# --- Types that do not add up ------------------------------------------------------------


def test_forms_of_violence_are_shares_of_n_with_no_total():
    shares = multi_answer_shares(counts={"physical": 60, "psychological": 85, "economic": 12},
                                 n=100)
    assert shares.n == 100
    assert shares.categories["psychological"] == ShareOfN(count=85, share_pct=Decimal("85.0"))
    assert sum(c.share_pct for c in shares.categories.values()) > 100  # explained, not wrong
    with translation.override("en"):
        assert str(shares.note) == "several answers possible"
        assert str(N_OF_UNITS) % {"n": shares.n} == "N = 100"
    with pytest.raises(NotAdditiveError):
        shares.total()
    assert multi_answer_shares(counts={"physical": 0}, n=0).categories["physical"].share_pct is None


def test_a_category_cannot_count_more_than_n():
    with pytest.raises(ValueError):
        multi_answer_shares(counts={"physical": 101}, n=100)
    with pytest.raises(ValueError):
        multi_answer_shares(counts={"physical": -1}, n=100)


# --- Terciles ----------------------------------------------------------------------------


def test_terciles_are_as_equal_as_possible_with_the_remainder_below():
    six = {"z1": 5, "z2": 1, "z3": 9, "z4": 3, "z5": 12, "z6": 7}
    assert terciles(six) == {"z1": 2, "z2": 1, "z3": 3, "z4": 1, "z5": 3, "z6": 2}
    four = terciles({"a": 1, "b": 2, "c": 3, "d": 4})
    assert sorted(four.values()) == [1, 1, 2, 3]
    five = terciles({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert sorted(five.values()) == [1, 1, 2, 2, 3]
    assert terciles({}) == {}
    assert terciles({"only": 4}) == {"only": 1}


def test_tied_units_share_a_tercile_and_rates_rank_too():
    tied = terciles({"a": 1, "b": 2, "c": 2, "d": 2, "e": 5, "f": 6})
    assert tied == {"a": 1, "b": 1, "c": 1, "d": 1, "e": 3, "f": 3}
    assert set(terciles({"a": 3, "b": 3, "c": 3}).values()) == {1}
    rates = {"antwerpen": Decimal("3.1"), "eupen": Decimal("0.4"), "hainaut": Decimal("5.2")}
    assert terciles(rates) == {"antwerpen": 2, "eupen": 1, "hainaut": 3}
    with pytest.raises(ValueError):
        terciles({"eupen": None})


@hypothesis_settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 30), max_size=40))
def test_terciles_never_split_a_tie_and_keep_the_order(values):
    groups = terciles({f"u{i}": v for i, v in enumerate(values)})
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            if a < b:
                assert groups[f"u{i}"] <= groups[f"u{j}"]
            if a == b:
                assert groups[f"u{i}"] == groups[f"u{j}"]
    if len(set(values)) == len(values):
        sizes = [list(groups.values()).count(g) for g in (1, 2, 3)]
        assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


# --- The same month of other years -------------------------------------------------------


def test_the_same_month_of_other_years_shows_a_region_against_the_national_trend():
    rows = [
        ("2025-03", "Flanders", 100), ("2026-03", "Flanders", 130),
        ("2025-03", "Wallonia", 80), ("2026-03", "Wallonia", 60),
        ("2025-03", "Brussels", 40), ("2026-03", "Brussels", 44),
        ("2024-03", "Flanders", 90), ("2026-02", "Wallonia", 999),
    ]
    result = same_month_other_years(rows, month="2026-03")
    assert result.years == (2024, 2025, 2026)
    assert result.national.counts == {2024: None, 2025: 220, 2026: 234}
    assert result.national.variation_pct == Decimal("6.4")
    assert result.regions["Wallonia"].variation_pct == Decimal("-25.0")
    assert result.regions["Flanders"].counts == {2024: 90, 2025: 100, 2026: 130}
    assert result.against_national == ["Wallonia"]


def test_no_trend_without_the_year_before_and_no_duplicate_counts():
    result = same_month_other_years([("2026-03", "Brussels", 5)], month="2026-03")
    assert result.regions["Brussels"].variation_pct is None
    assert result.against_national == []
    with pytest.raises(ValueError):
        same_month_other_years([("2026-03", "Brussels", 5), ("2026-03", "Brussels", 6)],
                               month="2026-03")
