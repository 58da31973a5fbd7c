"""Charts drawn on the server as SVG: Vega-Lite specifications built with Altair, rendered by
vl-convert (no chart script reaches the browser, no third-party server is asked). Each chart
comes with its title, a sentence for screen readers and its data table, shown beside it
(template ``figures/_chart.html``); titles and labels are in the reader's language because the
caller passes them translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe

# Readable in print and on screen: dark ink on white, no colour needed to tell bars apart.
INK = "#1b1b1b"
BAR = "#1d4f91"


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    svg: SafeString


def bar_chart(*, title: str, description: str, rows: list[tuple[str, float | int | None]],
              x_title: str, y_title: str) -> Chart:
    """One bar per row (label, value); a value of None (suppressed, or no N) draws no bar and
    is shown as such in the table."""
    values = [{"x": str(label), "y": float(value)} for label, value in rows if value is not None]
    labels = [str(label) for label, _value in rows]  # a hidden value keeps its place, empty
    chart = (alt.Chart(alt.Data(values=values))
             .mark_bar(color=BAR)
             .encode(x=alt.X("x:O", title=x_title, sort=labels,
                             scale=alt.Scale(domain=labels)),
                     y=alt.Y("y:Q", title=y_title))
             .properties(title=title, width=max(320, 48 * len(rows)), height=180)
             .configure_axis(labelColor=INK, titleColor=INK)
             .configure_title(color=INK, anchor="start")
             .configure_view(stroke=None))
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    # The SVG is ours (no user markup reaches the spec but labels, which vl-convert escapes).
    return Chart(title=title, description=description, columns=(x_title, y_title),
                 rows=[(label, value) for label, value in rows],
                 svg=mark_safe(svg))  # noqa: S308 - vl-convert's SVG of our own spec
