"""Query shapes every app writes the same way."""

from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_outer_row(rows: "QuerySet[Any]", *, per: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef) belong to each outer row, as an annotation:
    a correlated subquery grouped by `per`, 0 when there are none. Unlike JOIN + GROUP BY it
    counts only the rows a page shows and leaves the outer query's other joins alone."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
