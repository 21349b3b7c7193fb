"""The audit tables as they stand on 2 December 2026, squashed from 2 migrations (see docs/deploy.md, Upgrading)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('audit', '0001_initial'),
        ('audit', '0002_accessevent_api_token_issue13api'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(help_text='What was read, e.g. outcome_note.read.', max_length=60)),
                ('object_type', models.CharField(max_length=60)),
                ('object_id', models.CharField(blank=True, max_length=40)),
                ('path', models.CharField(blank=True, max_length=300)),
                ('api_token', models.CharField(blank=True, help_text="The API token's name, when the read came through the API (api app).", max_length=100)),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('student', models.ForeignKey(blank=True, help_text="Whose record it is, when it is one student's.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-pk'],
            },
        ),
    ]
