from relais.figures.charts import bar_chart


def test_a_chart_is_an_svg_with_its_table_and_no_external_reference():
    chart = bar_chart(title="Reports", description="Information reports per month.",
                      rows=[("2026-01", 3), ("2026-02", None), ("2026-03", 7)],
                      x_title="Month", y_title="Reports")
    assert chart.svg.startswith("<svg") and "Reports" in chart.svg
    assert chart.rows[1] == ("2026-02", None)
    for reference in ("https://", "<script", "cdn."):
        assert reference not in chart.svg


def test_a_hidden_value_keeps_its_place_on_the_axis():
    from relais.figures.charts import bar_chart

    chart = bar_chart(title="T", description="D", rows=[("2026-01", 3), ("2026-02", None),
                                                        ("2026-03", 5)],
                      x_title="Month", y_title="N")
    assert "2026-02" in chart.svg  # the empty month is labelled, not dropped
