"""The api tables as they stand on 2 December 2026, squashed from 2 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('api', '0001_api_tokens_issue13'),
        ('api', '0002_single_line_text_validators'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Which system uses it, e.g. “Advising (Starfish)”.', max_length=100, validators=[core.text.validate_single_line])),
                ('access', models.CharField(choices=[('read', 'Read'), ('read_write', 'Read and write')], default='read', max_length=10)),
                ('education_records', models.BooleanField(default=False, help_text="May read students' bookings and attendance (FERPA education records).")),
                ('prefix', models.CharField(max_length=16, unique=True)),
                ('secret_hash', models.CharField(help_text='SHA-256 (hex) of the whole token.', max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['revoked_at', '-created_at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('access__in', ['read', 'read_write'])), name='api_token_access_known')],
            },
        ),
    ]
