"""The helpline's figures on a known set of calls: counts, shares of N, topics that do not add
up, months with their variation, hours, and small counts suppressed (primarily and, where the
cells add up to N, secondarily)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from relais.conftest import actor
from relais.helpline.figures import first_month, helpline_figures, hide_small
from relais.helpline.tests.conftest import local, record


def counts(cells) -> dict[str, int | None]:
    return {cell.code: cell.count for cell in cells}


def shares(cells) -> dict[str, Decimal | None]:
    return {cell.code: cell.share for cell in cells}


@pytest.fixture
def known_calls(helplines) -> None:
    """37 calls of the helpline in January–March 2026 (10, 15, 12), and one of another."""
    for i in range(37):
        month = 1 if i < 10 else 2 if i < 25 else 3
        caller = ("victim" if i < 26 else "relative" if i < 32 else "professional" if i < 35
                  else "witness")
        channel = "phone" if i < 30 else "chat" if i < 35 else "email"
        topics = ["information", *(["shelter"] if i < 10 else []),
                  *(["legal"] if 10 <= i < 14 else [])]
        record(helplines.operator, started_at=local(2026, month, 1 + i % 28,
                                                    21 if i % 2 == 0 else 9, 30),
               caller_type=caller, channel=channel, topics=topics)
    record(helplines.other_operator, started_at=local(2026, 2, 3, 10, 0), topics=["legal"])


def test_the_figures_of_a_known_set(helplines, known_calls):
    figures = helpline_figures(actor=actor(helplines.analyst), months=3, today=date(2026, 3, 31))
    assert (figures.start, figures.end, figures.calls) == (date(2026, 1, 1), date(2026, 3, 31),
                                                           37)
    # One caller type per call: the cells add up to N. 3 professionals and 2 witnesses are
    # hidden (two hidden cells: neither can be worked out from N); a 0 is shown.
    assert counts(figures.caller_types) == {"victim": 26, "relative": 6, "professional": None,
                                            "perpetrator": 0, "witness": None, "other": 0}
    assert shares(figures.caller_types)["victim"] == Decimal("70.3")
    assert shares(figures.caller_types)["relative"] == Decimal("16.2")
    # 2 e-mails alone would be 37 − 30 − 5: the 5 chats are hidden with them.
    assert counts(figures.channels) == {"phone": 30, "chat": None, "email": None, "sms": 0}
    assert shares(figures.channels)["phone"] == Decimal("81.1")
    # Several topics per call: shares of N calls, which add up to more than 100 %; 4 legal
    # questions are hidden, and nothing else needs to be (topics have no total).
    topics = counts(figures.topics)
    assert (topics["information"], topics["shelter"], topics["legal"], topics["money"]) == (
        37, 10, None, 0)
    assert shares(figures.topics)["information"] == Decimal("100.0")
    assert shares(figures.topics)["shelter"] == Decimal("27.0")
    # Months, and the change from the month before.
    assert [(row.month, row.count, row.variation) for row in figures.months] == [
        (date(2026, 1, 1), 10, None), (date(2026, 2, 1), 15, Decimal("50.0")),
        (date(2026, 3, 1), 12, Decimal("-20.0"))]
    # Hours of the day, local time.
    hours = counts(figures.hours)
    assert (hours["21"], hours["9"], hours["0"]) == (19, 18, 0) and len(hours) == 24


def test_the_threshold_is_the_figures_setting(helplines, known_calls, settings):
    settings.FIGURES_SMALL_CELL = 3
    figures = helpline_figures(actor=actor(helplines.analyst), months=3, today=date(2026, 3, 31))
    assert figures.threshold == 3
    assert counts(figures.topics)["legal"] == 4  # no longer small
    # 2 witnesses still are, and take the 3 professionals (the smallest other cell) with them.
    assert counts(figures.caller_types) == {"victim": 26, "relative": 6, "professional": None,
                                            "perpetrator": 0, "witness": None, "other": 0}


def test_a_hidden_month_hides_its_variation_and_the_one_after(helplines):
    for month, calls in ((1, 10), (2, 3), (3, 12)):
        for i in range(calls):
            record(helplines.operator, started_at=local(2026, month, 2 + i, 14, 0))
    figures = helpline_figures(actor=actor(helplines.analyst), months=3, today=date(2026, 3, 31))
    # February (3) is hidden, and January (the smallest other) so that N − March does not
    # give February away; March's variation would reveal it too.
    assert [(row.count, row.variation) for row in figures.months] == [
        (None, None), (None, None), (12, None)]
    assert figures.calls == 25


def test_only_the_helplines_analysts_read_its_figures(cast, helplines):
    for user in (helplines.operator, helplines.other_operator, cast.analyst_a, cast.officer_a):
        with pytest.raises(Http404):
            helpline_figures(actor=actor(user))


@pytest.mark.parametrize("column, exclusive, expected", [
    ({"a": 3, "b": 10, "c": 0, "d": 7}, True, {"a": None, "b": 10, "c": 0, "d": None}),
    ({"a": 3, "b": 10, "c": 0, "d": 7}, False, {"a": None, "b": 10, "c": 0, "d": 7}),
    ({"a": 3, "b": 4, "c": 10}, True, {"a": None, "b": None, "c": 10}),
    ({"a": 5, "b": 0}, True, {"a": 5, "b": 0}),
    # Nothing else to hide but a 0 (and N, 1, is hidden too: see below).
    ({"a": 1, "b": 0}, True, {"a": None, "b": None}),
])
def test_hide_small(column, exclusive, expected):
    assert hide_small(column, exclusive=exclusive, threshold=5) == expected


def test_a_small_n_is_hidden_too(helplines):
    for day in (2, 3):
        record(helplines.operator, started_at=local(2026, 3, day, 14, 0))
    figures = helpline_figures(actor=actor(helplines.analyst), months=3, today=date(2026, 3, 31))
    assert (figures.calls, figures.calls_shown) == (2, None)
    assert counts(figures.caller_types)["victim"] is None
    assert helpline_figures(actor=actor(helplines.analyst), months=1,
                            today=date(2026, 2, 28)).calls_shown == 0


def test_first_month():
    assert first_month(date(2026, 3, 31), 3) == date(2026, 1, 1)
    assert first_month(date(2026, 3, 31), 12) == date(2025, 4, 1)
    assert first_month(date(2026, 1, 5), 1) == date(2026, 1, 1)
