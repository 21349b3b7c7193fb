"""The roster tables as they stand on 2 December 2026, squashed from 3 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('roster', '0001_roster_initial'),
        ('roster', '0002_single_line_text_validators'),
        ('roster', '0003_api_source'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RosterImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('page', 'Uploaded on the page'), ('command', 'Nightly command'), ('api', 'API request')], default='page', max_length=10)),
                ('filename', models.CharField(blank=True, max_length=255, validators=[core.text.validate_single_line])),
                ('content', models.TextField()),
                ('full_roster', models.BooleanField(default=False, help_text='The file lists every current student: deactivate students missing from it.')),
                ('confirmed_deactivations', models.PositiveIntegerField(blank=True, help_text='How many deactivations the admin confirmed (the import refuses more).', null=True)),
                ('apply_admin_changes', models.BooleanField(default=False, help_text="Also change program admins' roles as the file says (otherwise they are kept).")),
                ('status', models.CharField(choices=[('preview', 'Awaiting confirmation'), ('queued', 'Waiting for a worker'), ('running', 'Importing'), ('imported', 'Imported'), ('failed', 'Failed')], default='preview', max_length=10)),
                ('progress', models.PositiveSmallIntegerField(default=0)),
                ('progress_note', models.CharField(blank=True, max_length=200)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('rows_created', models.PositiveIntegerField(default=0)),
                ('rows_updated', models.PositiveIntegerField(default=0)),
                ('rows_unchanged', models.PositiveIntegerField(default=0)),
                ('rows_reactivated', models.PositiveIntegerField(default=0)),
                ('students_deactivated', models.PositiveIntegerField(default=0)),
                ('invitations_sent', models.PositiveIntegerField(default=0)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='roster_imports', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RosterEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('student_id', models.CharField(blank=True, max_length=64, validators=[core.text.validate_single_line])),
                ('cohort', models.CharField(blank=True, max_length=64, validators=[core.text.validate_single_line])),
                ('welcome_token', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                ('invited_at', models.DateTimeField(blank=True, null=True)),
                ('deactivated_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='roster_entry', to=settings.AUTH_USER_MODEL)),
                ('last_import', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='roster.rosterimport')),
            ],
        ),
        migrations.AddConstraint(
            model_name='rosterimport',
            constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='roster_import_progress_percent'),
        ),
        migrations.AddConstraint(
            model_name='rosterimport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'imported'), _negated=True), ('finished_at__isnull', False), _connector='OR'), name='roster_import_imported_has_time'),
        ),
        migrations.AddConstraint(
            model_name='rosterentry',
            constraint=models.UniqueConstraint(condition=models.Q(('student_id', ''), _negated=True), fields=('student_id',), name='roster_student_id_once'),
        ),
    ]
