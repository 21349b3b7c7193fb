"""Query shapes every app writes the same way."""

import time
from typing import Any

import psycopg
from django.db import connections
from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_outer_row(rows: "QuerySet[Any]", *, per: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef) belong to each outer row, as an annotation:
    a correlated subquery grouped by `per`, 0 when there are none. Unlike JOIN + GROUP BY it
    counts only the rows a page shows and leaves the outer query's other joins alone."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def value_rows(rows: "QuerySet[Any]") -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset, on PostgreSQL read in the binary wire format.

    For wide binary columns (the report tally's attendance bitmaps: megabytes per report) the text
    format doubles the bytes sent and spends as long again decoding their hex; psycopg reads binary
    results only on a server-side-binding cursor, which Django's client-side one is not. The cursor
    is wrapped by Django as any other (its execute wrappers run; the query is logged when queries
    are). The values are what the database sends, without the field converters of values_list():
    for plain columns (numbers, bytes, aware datetimes in UTC) the same."""
    db = connections[rows.db]
    if db.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    db.ensure_connection()
    raw = psycopg.Cursor(db.connection)
    raw.format = psycopg.pq.Format.BINARY
    db.validate_thread_sharing()
    started = time.monotonic()
    with db.make_cursor(raw) as cursor:  # type: ignore[arg-type]  # the stubs want a wrapper; Django passes the raw cursor
        cursor.execute(sql, params)  # through the execute wrappers, as any query
        fetched = [tuple(row) for row in cursor.fetchall()]
    if db.queries_logged:  # as Django's debug cursor logs, with the values in (its own would log $1, $2)
        logged = db.ops.compose_sql(sql, params)  # type: ignore[attr-defined]  # PostgreSQL's operations have it
        db.queries_log.append({"sql": logged, "time": f"{time.monotonic() - started:.3f}"})
    return fetched
