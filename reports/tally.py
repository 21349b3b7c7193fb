"""The report's per-session tally (reports.models.SessionTally): its triggers, its reference
recomputation and its rebuild.

Two independent definitions of the same counts live here on purpose:
- `TRIGGER_COUNTS`: SQL expressions the database triggers add for each inserted row and subtract
  for each deleted one (an update is both), inside the writer's transaction;
- `REFERENCE_COUNTS`: the plain grouped ORM counts over the raw tables (what the report computed
  before the tally existed). `recompute_session_tally` runs them; `rebuild_session_tally` writes
  their result over the tally (the management command `rebuild_report_tally`); the tests compare
  the two on random data.
"""

# The DDL below is built from this module's constants only (no input reaches it): S608 does not apply.
# ruff: noqa: S608

from collections.abc import Iterable
from string import Template
from typing import Any

from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, Model, Q, Sum

from reports.models import SessionTally
from sessions.models import Attendance, Booking, Rating

TALLY_TABLE = SessionTally._meta.db_table

# source table -> (columns whose change can move a count, {tally column: SQL of one row {r}})
TRIGGER_COUNTS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    Booking._meta.db_table: (
        ("occurrence_id", "status", "late_cancel"),
        {
            "bookings": "1",
            "bookings_cancelled": "CASE WHEN {r}.status = 'cancelled' THEN 1 ELSE 0 END",
            "late_cancellations": "CASE WHEN {r}.status = 'cancelled' AND {r}.late_cancel THEN 1 ELSE 0 END",
            "bookings_booked": "CASE WHEN {r}.status = 'booked' THEN 1 ELSE 0 END",
        },
    ),
    Attendance._meta.db_table: (
        ("occurrence_id", "mentee_id", "status", "walk_in"),
        {
            "attended": "CASE WHEN {r}.status = 'attended' THEN 1 ELSE 0 END",
            "attended_booked": "CASE WHEN {r}.status = 'attended' AND NOT {r}.walk_in THEN 1 ELSE 0 END",
            "walk_ins": "CASE WHEN {r}.status = 'attended' AND {r}.walk_in THEN 1 ELSE 0 END",
            "no_shows": "CASE WHEN {r}.status = 'no_show' THEN 1 ELSE 0 END",
            "excused": "CASE WHEN {r}.status = 'excused' THEN 1 ELSE 0 END",
        },
    ),
    Rating._meta.db_table: (
        ("occurrence_id", "score"),
        {"ratings": "1", "rating_total": "{r}.score"},
    ),
}

# On PostgreSQL the tally also keeps, per session, the set of mentees who attended as a bitmap
# (bit n of the bytea = user id n, least significant bit first): distinct mentees over any set
# of sessions are then an OR of a few thousand bitmaps instead of a DISTINCT over the attendance.
# source table -> (bitmap column, id column, condition for the row's bit to be set)
TRIGGER_MARKS = {Attendance._meta.db_table: ("attended_mentees", "mentee_id", "{r}.status = 'attended'")}

# The PostgreSQL trigger function: an update that keeps the session applies the difference; any
# other write subtracts the old row and adds the new one. Names come from this module, no values.
_PG_FUNCTION = Template("""
CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$$$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.occurrence_id = NEW.occurrence_id THEN
        UPDATE ${tally} SET ${delta} WHERE occurrence_id = NEW.occurrence_id;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN ${subtract} END IF;
    IF TG_OP <> 'DELETE' THEN ${add} END IF;
    RETURN NULL;
END $$$$""")
MARK_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_tally_mark(bits bytea, n bigint, applies boolean, value boolean)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF NOT applies THEN RETURN bits; END IF;
    IF length(bits) * 8 <= n THEN
        IF NOT value THEN RETURN bits; END IF;
        bits := bits || decode(repeat('00', (n / 8 + 1 - length(bits))::int), 'hex');
    END IF;
    RETURN set_bit(bits, n, CASE WHEN value THEN 1 ELSE 0 END);
END $$"""

ATTENDED, NO_SHOW, EXCUSED = Attendance.Status.ATTENDED, Attendance.Status.NO_SHOW, Attendance.Status.EXCUSED
CANCELLED_BOOKING = Booking.Status.CANCELLED

# The same counts as the plain recomputation: model -> {tally column: aggregate}.
REFERENCE_COUNTS: dict[type[Model], dict[str, Aggregate]] = {
    Booking: {
        "bookings": Count("pk"),
        "bookings_cancelled": Count("pk", filter=Q(status=CANCELLED_BOOKING)),
        "late_cancellations": Count("pk", filter=Q(status=CANCELLED_BOOKING, late_cancel=True)),
        "bookings_booked": Count("pk", filter=Q(status=Booking.Status.BOOKED)),
    },
    Attendance: {
        "attended": Count("pk", filter=Q(status=ATTENDED)),
        "attended_booked": Count("pk", filter=Q(status=ATTENDED, walk_in=False)),
        "walk_ins": Count("pk", filter=Q(status=ATTENDED, walk_in=True)),
        "no_shows": Count("pk", filter=Q(status=NO_SHOW)),
        "excused": Count("pk", filter=Q(status=EXCUSED)),
    },
    Rating: {"ratings": Count("pk"), "rating_total": Sum("score")},
}
TALLY_COLUMNS = tuple(column for counts in REFERENCE_COUNTS.values() for column in counts)


def _changes(sign: str, row: str, counts: dict[str, str]) -> str:
    return ", ".join(f"{column} = {column} {sign} ({sql.format(r=row)})" for column, sql in counts.items())


def _deltas(counts: dict[str, str]) -> str:
    return ", ".join(
        f"{column} = {column} + ({sql.format(r='NEW')}) - ({sql.format(r='OLD')})" for column, sql in counts.items()
    )


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def _mark(bits: str, row: str, value: str, table: str) -> str:
    column, key, condition = TRIGGER_MARKS[table]
    return f"reports_tally_mark({bits}, {row}.{key}, {condition.format(r=row)}, {value})"


def _postgresql_statements(table: str, columns: tuple[str, ...], counts: dict[str, str]) -> list[str]:
    name = f"reports_tally_{table.removeprefix('review_sessions_')}"
    plus, minus, delta = _changes("+", "NEW", counts), _changes("-", "OLD", counts), _deltas(counts)
    if table in TRIGGER_MARKS:
        bits = TRIGGER_MARKS[table][0]
        plus += f", {bits} = {_mark(bits, 'NEW', 'true', table)}"
        minus += f", {bits} = {_mark(bits, 'OLD', 'false', table)}"
        delta += f", {bits} = {_mark(_mark(bits, 'OLD', 'false', table), 'NEW', 'true', table)}"
    add = (
        f"INSERT INTO {TALLY_TABLE} (occurrence_id) VALUES (NEW.occurrence_id) ON CONFLICT (occurrence_id) DO NOTHING; "  # nosec B608 - table and column names from the code, values bound
        f"UPDATE {TALLY_TABLE} SET {plus} WHERE occurrence_id = NEW.occurrence_id;"
    )
    subtract = f"UPDATE {TALLY_TABLE} SET {minus} WHERE occurrence_id = OLD.occurrence_id;"  # nosec B608 - table and column names from the code, values bound
    function = _PG_FUNCTION.substitute(name=name, tally=TALLY_TABLE, delta=delta, subtract=subtract, add=add)
    return [
        function,
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        f"DROP TRIGGER IF EXISTS {name}_update ON {table}",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW"
        f" WHEN ({_changed(columns, 'IS DISTINCT FROM')}) EXECUTE FUNCTION {name}()",
    ]


def _sqlite_statements(table: str, columns: tuple[str, ...], counts: dict[str, str]) -> list[str]:
    name = f"reports_tally_{table.removeprefix('review_sessions_')}"
    add = (
        f"INSERT OR IGNORE INTO {TALLY_TABLE} (occurrence_id) VALUES (NEW.occurrence_id); "  # nosec B608 - table and column names from the code, values bound
        f"UPDATE {TALLY_TABLE} SET {_changes('+', 'NEW', counts)} WHERE occurrence_id = NEW.occurrence_id;"
    )
    subtract = f"UPDATE {TALLY_TABLE} SET {_changes('-', 'OLD', counts)} WHERE occurrence_id = OLD.occurrence_id;"  # nosec B608 - table and column names from the code, values bound
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} FOR EACH ROW BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} FOR EACH ROW BEGIN {subtract} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW"
        f" WHEN {_changed(columns, 'IS NOT')} BEGIN {subtract} {add} END",
    ]


def tally_trigger_statements(vendor: str) -> list[str]:
    """The DDL that installs (or replaces) the tally's triggers on PostgreSQL or SQLite."""
    build = {"postgresql": _postgresql_statements, "sqlite": _sqlite_statements}[vendor]
    first = [MARK_FUNCTION] if vendor == "postgresql" else []
    return first + [sql for table, (columns, counts) in TRIGGER_COUNTS.items() for sql in build(table, columns, counts)]


def tally_drop_statements(vendor: str) -> list[str]:
    """The DDL that removes the tally's triggers (the migration's way back)."""
    names = [f"reports_tally_{table.removeprefix('review_sessions_')}" for table in TRIGGER_COUNTS]
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in names] + [
            "DROP FUNCTION IF EXISTS reports_tally_mark(bytea, bigint, boolean, boolean)"
        ]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for name in names for op in ("insert", "delete", "update")]


def install_tally_triggers(using: BaseDatabaseWrapper | None = None) -> None:
    """Install the triggers if they are missing (idempotent). Run by the migration and after every
    `migrate` (ReportsConfig): SQLite drops a table's triggers when a migration rebuilds the table."""
    db = using or connection
    with db.cursor() as cursor:
        for sql in tally_trigger_statements(db.vendor):
            cursor.execute(sql)


def keeps_mentee_bitmaps(db: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the triggers keep SessionTally.attended_mentees (PostgreSQL; SQLite has no bit functions)."""
    return (db or connection).vendor == "postgresql"


def mentee_bitmap(mentee_ids: Iterable[int]) -> bytes:
    """The bitmap of these user ids as the triggers write it (bit n = id n, least significant first)."""
    bits = 0
    for mentee_id in mentee_ids:
        bits |= 1 << mentee_id
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def bitmap_bits(bitmap: bytes | memoryview) -> int:
    """A stored bitmap as an int (bit n set = user id n): OR them, count them with int.bit_count()."""
    return int.from_bytes(bitmap, "little")


def recompute_session_tally(*, with_mentees: bool | None = None) -> dict[int, dict[str, Any]]:
    """The tally recomputed from the raw tables: occurrence id -> every tally column (plain
    grouped counts, the reference the triggers are tested against), and with `with_mentees`
    (default: where the triggers keep them) "attended_mentees": the set of mentee ids who attended."""
    with_mentees = keeps_mentee_bitmaps() if with_mentees is None else with_mentees
    tallies: dict[int, dict[str, Any]] = {}

    def entry(pk: int) -> dict[str, Any]:
        return tallies.setdefault(
            pk, {**dict.fromkeys(TALLY_COLUMNS, 0), **({"attended_mentees": set()} if with_mentees else {})}
        )

    for model, counts in REFERENCE_COUNTS.items():
        for row in model._default_manager.values("occurrence_id").annotate(**counts).order_by():
            entry(row.pop("occurrence_id")).update({column: value or 0 for column, value in row.items()})
    if with_mentees:
        attended = Attendance.objects.filter(status=ATTENDED).values_list("occurrence_id", "mentee_id").order_by()
        for occurrence_id, mentee_id in attended.iterator(chunk_size=10_000):
            entry(occurrence_id)["attended_mentees"].add(mentee_id)
    return tallies


def stored_session_tally(*, with_mentees: bool | None = None) -> dict[int, dict[str, Any]]:
    """The tally as stored, in the shape of recompute_session_tally (rows of all zeros left out)."""
    with_mentees = keeps_mentee_bitmaps() if with_mentees is None else with_mentees
    stored: dict[int, dict[str, Any]] = {}
    for row in SessionTally.objects.values("occurrence_id", "attended_mentees", *TALLY_COLUMNS):
        bits = bitmap_bits(row.pop("attended_mentees"))
        pk = row.pop("occurrence_id")
        if with_mentees:
            row["attended_mentees"] = {n for n in range(bits.bit_length()) if bits >> n & 1}
        if any(row[c] for c in TALLY_COLUMNS) or bits:
            stored[pk] = row
    return stored


def rebuild_session_tally() -> int:
    """Replace the whole tally with a recomputation from the raw tables; returns the rows written.

    For data written with the triggers off (bulk loads) or after a restore. On PostgreSQL the tally
    table is locked (EXCLUSIVE) for the rebuild, so a concurrent writer's trigger waits for it and
    then applies its change on top: nothing is lost or counted twice.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TALLY_TABLE} IN EXCLUSIVE MODE")
        tallies = recompute_session_tally()
        SessionTally.objects.all().delete()
        SessionTally.objects.bulk_create(
            (
                SessionTally(
                    occurrence_id=pk,
                    attended_mentees=mentee_bitmap(counts.pop("attended_mentees", ())),
                    **counts,
                )
                for pk, counts in tallies.items()
            ),
            batch_size=2000,
        )
    return len(tallies)


def reinstall_tally_triggers(using: str = "default", **kwargs: object) -> None:
    """post_migrate: put back triggers a migration dropped (SQLite rebuilds a table to alter it,
    and the rebuilt table has none), once the tally table exists."""
    db = connections[using]
    if TALLY_TABLE in db.introspection.table_names():
        install_tally_triggers(db)
