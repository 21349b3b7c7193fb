"""The checkin tables as they stand on 2 December 2026, squashed from 1 migration (see docs/deploy.md, Upgrading)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('checkin', '0001_check_ins'),
    ]

    dependencies = [
        ('review_sessions', '0001_squashed_waitlist_offers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CheckIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_in_at', models.DateTimeField()),
                ('walk_in', models.BooleanField(default=False, help_text='Had no booking when checking in.')),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_ins', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_ins', to='review_sessions.occurrence')),
            ],
            options={
                'ordering': ['checked_in_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'mentee'), name='check_in_once_per_mentee')],
            },
        ),
    ]
