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

from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, Model, Q, Sum

from reports.models import SessionTally
from sessions.models import Attendance, Booking, Rating

TALLY_TABLE = "reports_sessiontally"

# source table -> (columns whose change can move a count, {tally column: SQL of one row {r}})
TRIGGER_COUNTS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "review_sessions_booking": (
        ("occurrence_id", "status", "late_cancel"),
        {
            "bookings": "1",
            "bookings_cancelled": "CASE WHEN {r}.status = 'cancelled' THEN 1 ELSE 0 END",
            "late_cancellations": "CASE WHEN {r}.status = 'cancelled' AND {r}.late_cancel THEN 1 ELSE 0 END",
            "bookings_booked": "CASE WHEN {r}.status = 'booked' THEN 1 ELSE 0 END",
        },
    ),
    "review_sessions_attendance": (
        ("occurrence_id", "status", "walk_in"),
        {
            "attended": "CASE WHEN {r}.status = 'attended' THEN 1 ELSE 0 END",
            "attended_booked": "CASE WHEN {r}.status = 'attended' AND NOT {r}.walk_in THEN 1 ELSE 0 END",
            "walk_ins": "CASE WHEN {r}.status = 'attended' AND {r}.walk_in THEN 1 ELSE 0 END",
            "no_shows": "CASE WHEN {r}.status = 'no_show' THEN 1 ELSE 0 END",
            "excused": "CASE WHEN {r}.status = 'excused' THEN 1 ELSE 0 END",
        },
    ),
    "review_sessions_rating": (
        ("occurrence_id", "score"),
        {"ratings": "1", "rating_total": "{r}.score"},
    ),
}

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


def _postgresql_statements(table: str, columns: tuple[str, ...], counts: dict[str, str]) -> list[str]:
    name = f"reports_tally_{table.removeprefix('review_sessions_')}"
    add = (
        f"INSERT INTO {TALLY_TABLE} (occurrence_id) VALUES (NEW.occurrence_id) ON CONFLICT (occurrence_id) DO NOTHING; "
        f"UPDATE {TALLY_TABLE} SET {_changes('+', 'NEW', counts)} WHERE occurrence_id = NEW.occurrence_id;"
    )
    subtract = f"UPDATE {TALLY_TABLE} SET {_changes('-', 'OLD', counts)} WHERE occurrence_id = OLD.occurrence_id;"
    function = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.occurrence_id = NEW.occurrence_id THEN
        UPDATE {TALLY_TABLE} SET {_deltas(counts)} WHERE occurrence_id = NEW.occurrence_id;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN {subtract} END IF;
    IF TG_OP <> 'DELETE' THEN {add} END IF;
    RETURN NULL;
END $$"""
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
        f"INSERT OR IGNORE INTO {TALLY_TABLE} (occurrence_id) VALUES (NEW.occurrence_id); "
        f"UPDATE {TALLY_TABLE} SET {_changes('+', 'NEW', counts)} WHERE occurrence_id = NEW.occurrence_id;"
    )
    subtract = f"UPDATE {TALLY_TABLE} SET {_changes('-', 'OLD', counts)} WHERE occurrence_id = OLD.occurrence_id;"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} FOR EACH ROW BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} FOR EACH ROW BEGIN {subtract} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW"
        f" WHEN {_changed(columns, 'IS NOT')} BEGIN {subtract} {add} END",
    ]


def tally_trigger_statements(vendor: str) -> list[str]:
    """The DDL that installs (or replaces) the tally's triggers on PostgreSQL or SQLite."""
    build = {"postgresql": _postgresql_statements, "sqlite": _sqlite_statements}[vendor]
    return [sql for table, (columns, counts) in TRIGGER_COUNTS.items() for sql in build(table, columns, counts)]


def tally_drop_statements(vendor: str) -> list[str]:
    """The DDL that removes the tally's triggers (the migration's way back)."""
    names = [f"reports_tally_{table.removeprefix('review_sessions_')}" for table in TRIGGER_COUNTS]
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in names]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for name in names for op in ("insert", "delete", "update")]


def install_tally_triggers(using: BaseDatabaseWrapper | None = None) -> None:
    """Install the triggers if they are missing (idempotent). Run by the migration and after every
    `migrate` (ReportsConfig): SQLite drops a table's triggers when a migration rebuilds the table."""
    db = using or connection
    with db.cursor() as cursor:
        for sql in tally_trigger_statements(db.vendor):
            cursor.execute(sql)


def recompute_session_tally() -> dict[int, dict[str, int]]:
    """The tally recomputed from the raw tables: occurrence id -> every tally column (plain
    grouped counts, the reference the triggers are tested against)."""
    tallies: dict[int, dict[str, int]] = {}
    for model, counts in REFERENCE_COUNTS.items():
        for row in model._default_manager.values("occurrence_id").annotate(**counts).order_by():
            entry = tallies.setdefault(row.pop("occurrence_id"), dict.fromkeys(TALLY_COLUMNS, 0))
            entry.update({column: value or 0 for column, value in row.items()})
    return tallies


def stored_session_tally() -> dict[int, dict[str, int]]:
    """The tally as stored, in the shape of recompute_session_tally (rows of all zeros left out)."""
    rows = SessionTally.objects.values("occurrence_id", *TALLY_COLUMNS)
    return {row.pop("occurrence_id"): row for row in rows if any(row[c] for c in TALLY_COLUMNS)}


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
            (SessionTally(occurrence_id=pk, **counts) for pk, counts in tallies.items()), batch_size=2000
        )
    return len(tallies)


def reinstall_tally_triggers(using: str = "default", **kwargs: object) -> None:
    """post_migrate: put back triggers a migration dropped (SQLite rebuilds a table to alter it,
    and the rebuilt table has none), once the tally table exists."""
    db = connections[using]
    if TALLY_TABLE in db.introspection.table_names():
        install_tally_triggers(db)
