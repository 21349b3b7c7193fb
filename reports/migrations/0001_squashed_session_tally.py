"""The reports tables as they stand on 2 December 2026, squashed from 5 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def install_and_fill(apps, schema_editor):
    """The tally's triggers on bookings, attendance and ratings, and its first fill."""
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

    initial = True

    replaces = [
        ('reports', '0001_initial'),
        ('reports', '0002_single_line_text_validators'),
        ('reports', '0003_exam_results_link_the_catalogue'),
        ('reports', '0004_exam_results_drop_name_and_date'),
        ('reports', '0005_session_tally'),
    ]

    dependencies = [
        ('program', '0001_squashed_term_ical_uid_calendar_imports_and_announcements'),
        ('review_sessions', '0001_squashed_waitlist_offers'),
        ('subjects', '0001_squashed_single_line_text_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SessionTally',
            fields=[
                ('occurrence', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='review_sessions.occurrence')),
                ('bookings', models.IntegerField(db_default=0, default=0)),
                ('bookings_cancelled', models.IntegerField(db_default=0, default=0)),
                ('late_cancellations', models.IntegerField(db_default=0, default=0)),
                ('bookings_booked', models.IntegerField(db_default=0, default=0)),
                ('attended', models.IntegerField(db_default=0, default=0)),
                ('attended_booked', models.IntegerField(db_default=0, default=0)),
                ('walk_ins', models.IntegerField(db_default=0, default=0)),
                ('no_shows', models.IntegerField(db_default=0, default=0)),
                ('excused', models.IntegerField(db_default=0, default=0)),
                ('ratings', models.IntegerField(db_default=0, default=0)),
                ('rating_total', models.IntegerField(db_default=0, default=0)),
                ('attended_mentees', models.BinaryField(db_default=b'', default=b'')),
            ],
            options={
                'verbose_name_plural': 'session tallies',
            },
        ),
        migrations.CreateModel(
            name='ExamImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(blank=True, max_length=255, validators=[core.text.validate_single_line])),
                ('content', models.TextField()),
                ('status', models.CharField(choices=[('preview', 'Awaiting confirmation'), ('imported', 'Imported')], default='preview', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('imported_at', models.DateTimeField(blank=True, null=True)),
                ('rows_created', models.PositiveIntegerField(default=0)),
                ('rows_updated', models.PositiveIntegerField(default=0)),
                ('rows_unchanged', models.PositiveIntegerField(default=0)),
                ('exam', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='imports', to='program.exam')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='exam_imports', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ExamResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(blank=True, decimal_places=2, help_text="Percent 0-100, or a whole scaled score in the exam's range; empty for a pass/fail exam.", max_digits=5, null=True)),
                ('passed', models.BooleanField(blank=True, help_text='Only for a pass/fail exam.', null=True)),
                ('imported_at', models.DateTimeField()),
                ('batch', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='results', to='reports.examimport')),
                ('exam', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='program.exam')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exam_results', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['exam__first_day', 'exam__name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='OutreachInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('invited_at', models.DateTimeField()),
                ('exam', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreach_invitations', to='program.exam')),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreach_invitations', to=settings.AUTH_USER_MODEL)),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
            ],
            options={
                'ordering': ['-invited_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='examimport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'imported'), _negated=True), ('imported_at__isnull', False), _connector='OR'), name='exam_import_imported_has_time'),
        ),
        migrations.AddConstraint(
            model_name='examresult',
            constraint=models.UniqueConstraint(fields=('student', 'exam'), name='exam_result_once_per_exam'),
        ),
        migrations.AddConstraint(
            model_name='examresult',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('passed__isnull', True), ('score__isnull', False)), models.Q(('passed__isnull', False), ('score__isnull', True)), _connector='OR'), name='exam_result_score_or_pass'),
        ),
        migrations.AddConstraint(
            model_name='examresult',
            constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', Decimal('0')), ('score__lte', Decimal('999.99'))), _connector='OR'), name='exam_result_score_0_to_999'),
        ),
        migrations.AddConstraint(
            model_name='outreachinvitation',
            constraint=models.UniqueConstraint(fields=('exam', 'student'), name='outreach_once_per_student_and_exam'),
        ),
        migrations.RunPython(install_and_fill, drop_triggers),
    ]
