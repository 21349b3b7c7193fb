"""Charts name the table column they plot."""

import pytest

from reports.charts import ChartPoint, points
from reports.tables import Table


def test_a_chart_plots_the_column_it_names_whatever_the_column_order():
    table = Table("t", "T", ["Subject", "Sessions", "Fill rate (%)"], [["Anatomy", 4, 75.0], ["Histology", 2, ""]])
    reordered = Table("t", "T", ["Fill rate (%)", "Subject", "Sessions"], [[75.0, "Anatomy", 4], ["", "Histology", 2]])

    expected = [ChartPoint("Anatomy", 75.0), ChartPoint("Histology", None)]
    assert points(table, "Subject", "Fill rate (%)") == expected
    assert points(reordered, "Subject", "Fill rate (%)") == expected


def test_asking_a_table_for_a_column_it_does_not_have_is_an_error_not_a_wrong_series():
    with pytest.raises(KeyError, match="no column"):
        Table("t", "T", ["Subject"], [["Anatomy"]]).column("Fill rate")
