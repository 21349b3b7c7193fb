"""A MEDIAN aggregate that runs in the database on PostgreSQL and on SQLite.

PostgreSQL has the ordered-set aggregate PERCENTILE_CONT; SQLite gets a MEDIAN function
registered on each new connection (see ReportsConfig.ready), so selectors stay one query either way.
"""

import statistics
from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, FloatField, Func
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler

if TYPE_CHECKING:
    from django.db.models.sql.compiler import _AsSqlType


class Median(Aggregate):
    """The median of a numeric expression (NULLs ignored); None for no rows."""

    function = "MEDIAN"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression: Combinable | str, **extra: Any) -> None:
        super().__init__(Cast(expression, FloatField()), **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> "_AsSqlType":
        # Set on a copy, not passed as template=: Aggregate.as_sql adds its own template for FILTER (WHERE ...).
        clone = self.copy()
        clone.template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return clone.as_sql(compiler, connection, **extra_context)


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def install_sqlite_median(sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SqliteMedian)


class Seconds(Func):
    """A duration (datetime minus datetime) as seconds, on PostgreSQL (interval) and SQLite (microseconds)."""

    output_field = FloatField()
    template = "(%(expressions)s) / 1000000.0"  # SQLite keeps durations as microseconds

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> "_AsSqlType":
        extra_context["template"] = "EXTRACT(EPOCH FROM %(expressions)s)"
        return self.as_sql(compiler, connection, **extra_context)


class NumericQuotient(Func):
    """`a / b` as PostgreSQL's AVG() divides its sum by its count (both numeric; NULL when b is 0),
    so a mean rebuilt from stored sums and counts equals AVG() over the rows to the last digit."""

    arg_joiner = "::numeric / NULLIF("
    template = "(%(expressions)s, 0)::numeric)"
    output_field = FloatField()
    arity = 2
