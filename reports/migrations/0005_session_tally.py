"""The report's per-session tally, its triggers on bookings, attendance and ratings, and its first fill."""

import django.db.models.deletion
from django.db import migrations, models


def install_and_fill(apps, schema_editor):
    from reports import tally

    tally.install_tally_triggers(schema_editor.connection)
    # Inside the migration's transaction: a write that commits after it is counted by the triggers.
    tally.rebuild_session_tally()


def drop_triggers(apps, schema_editor):
    from reports import tally

    with schema_editor.connection.cursor() as cursor:
        for sql in tally.tally_drop_statements(schema_editor.connection.vendor):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_exam_results_drop_name_and_date"),
        ("review_sessions", "0005_waitlist_offers"),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionTally",
            fields=[
                (
                    "occurrence",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="review_sessions.occurrence",
                    ),
                ),
                ("bookings", models.IntegerField(db_default=0, default=0)),
                ("bookings_cancelled", models.IntegerField(db_default=0, default=0)),
                ("late_cancellations", models.IntegerField(db_default=0, default=0)),
                ("bookings_booked", models.IntegerField(db_default=0, default=0)),
                ("attended", models.IntegerField(db_default=0, default=0)),
                ("attended_booked", models.IntegerField(db_default=0, default=0)),
                ("walk_ins", models.IntegerField(db_default=0, default=0)),
                ("no_shows", models.IntegerField(db_default=0, default=0)),
                ("excused", models.IntegerField(db_default=0, default=0)),
                ("ratings", models.IntegerField(db_default=0, default=0)),
                ("rating_total", models.IntegerField(db_default=0, default=0)),
                ("attended_mentees", models.BinaryField(db_default=b"", default=b"")),
            ],
            options={"verbose_name_plural": "session tallies"},
        ),
        migrations.RunPython(install_and_fill, drop_triggers),
    ]
