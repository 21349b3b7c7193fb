"""The review_sessions tables as they stand on 2 December 2026, squashed from 5 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
import sessions.models.series
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('review_sessions', '0001_initial'),
        ('review_sessions', '0002_single_line_text_validators'),
        ('review_sessions', '0003_term_bounds_on_durations_seats_dates'),
        ('review_sessions', '0004_reminder_moves_from_notifications'),
        ('review_sessions', '0005_waitlist_offers'),
    ]

    dependencies = [
        ('notifications', '0001_squashed_outboundemail_send_before_delete_reminder'),
        ('subjects', '0001_squashed_single_line_text_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Occurrence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series_date', models.DateField(help_text="The week's date in the series rule; stays put when the session moves.")),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField()),
                ('seats', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(200)])),
                ('location', models.CharField(blank=True, max_length=200, validators=[core.text.validate_single_line], verbose_name='room')),
                ('video_link', models.URLField(blank=True, max_length=500)),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', max_length=10)),
                ('cancel_reason', models.CharField(blank=True, max_length=500)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('sequence', models.PositiveIntegerField(default=0)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['starts_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='OutcomeNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topics', models.TextField(blank=True, max_length=4000)),
                ('private_notes', models.TextField(blank=True, max_length=8000)),
                ('follow_ups', models.TextField(blank=True, max_length=4000)),
                ('note_to_attendees', models.TextField(blank=True, max_length=4000)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcome_notes', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='outcome_note', to='review_sessions.occurrence')),
            ],
        ),
        migrations.CreateModel(
            name='NoteRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edited_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('topics', models.TextField(blank=True)),
                ('private_notes', models.TextField(blank=True)),
                ('follow_ups', models.TextField(blank=True)),
                ('note_to_attendees', models.TextField(blank=True)),
                ('editor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('note', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='review_sessions.outcomenote')),
            ],
            options={
                'ordering': ['-edited_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ReviewSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=120, validators=[core.text.validate_single_line])),
                ('description', models.TextField(blank=True, max_length=4000)),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')])),
                ('start_time', models.TimeField(help_text="Local wall-clock time in the series' time zone.")),
                ('duration_minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(480)])),
                ('time_zone', models.CharField(default=sessions.models.series.default_time_zone, max_length=64)),
                ('location', models.CharField(blank=True, max_length=200, validators=[core.text.validate_single_line], verbose_name='room')),
                ('video_link', models.URLField(blank=True, max_length=500)),
                ('seats', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(200)])),
                ('first_date', models.DateField()),
                ('last_date', models.DateField()),
                ('skip_dates', models.JSONField(blank=True, default=list, help_text='ISO dates with no session.')),
                ('allowed_class_years', models.JSONField(blank=True, default=list, help_text='Class years (1..4) who may book; set at publishing.')),
                ('matched_mentees_only', models.BooleanField(default=False)),
                ('status', models.CharField(choices=[('active', 'Active'), ('cancelled', 'Cancelled')], default='active', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_series', to=settings.AUTH_USER_MODEL)),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_series', to='subjects.subject')),
            ],
            options={
                'verbose_name_plural': 'review series',
                'ordering': ['weekday', 'start_time', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='occurrence',
            name='series',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occurrences', to='review_sessions.reviewseries'),
        ),
        migrations.CreateModel(
            name='StandingBooking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='standing_bookings', to=settings.AUTH_USER_MODEL)),
                ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='standing_bookings', to='review_sessions.reviewseries')),
            ],
        ),
        migrations.CreateModel(
            name='Booking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('booked', 'Booked'), ('cancelled', 'Cancelled')], default='booked', max_length=10)),
                ('source', models.CharField(choices=[('single', 'Single session'), ('series', 'Whole series'), ('waitlist', 'From the waitlist')], default='single', max_length=10)),
                ('late_cancel', models.BooleanField(default=False, help_text='Cancelled after the cutoff before start.')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_bookings', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookings', to='review_sessions.occurrence')),
                ('standing_booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='bookings', to='review_sessions.standingbooking')),
            ],
            options={
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='WaitlistEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('waiting', 'Waiting'), ('offered', 'Offered a seat'), ('promoted', 'Booked from the waitlist'), ('declined', 'Declined the offered seat'), ('expired', 'Did not answer the offer in time'), ('left', 'Left the waitlist'), ('closed', 'Closed (session cancelled or started)')], default='waiting', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('promoted_at', models.DateTimeField(blank=True, null=True)),
                ('left_at', models.DateTimeField(blank=True, null=True)),
                ('offered_at', models.DateTimeField(blank=True, null=True)),
                ('offer_expires_at', models.DateTimeField(blank=True, null=True)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waitlist_entries', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waitlist', to='review_sessions.occurrence')),
            ],
            options={
                'verbose_name_plural': 'waitlist entries',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('attended', 'Attended'), ('no_show', 'No-show'), ('excused', 'Excused')], max_length=10)),
                ('walk_in', models.BooleanField(default=False, help_text='Came without a booking.')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_attendance', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='review_sessions.occurrence')),
            ],
            options={
                'verbose_name_plural': 'attendance',
                'ordering': ['occurrence', 'mentee'],
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'mentee'), name='attendance_once_per_mentee'), models.CheckConstraint(condition=models.Q(models.Q(('walk_in', True), _negated=True), ('status', 'attended'), _connector='OR'), name='walk_in_attended')],
            },
        ),
        migrations.CreateModel(
            name='Rating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField()),
                ('feedback', models.TextField(blank=True, max_length=2000)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_ratings', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='review_sessions.occurrence')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'mentee'), name='rating_once_per_mentee'), models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='rating_score_1_to_5')],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(help_text='The offset before the session (24h, 1h) or notes_nudge.', max_length=20)),
                ('session_starts_at', models.DateTimeField(help_text='The start time this reminder announces.')),
                ('due_at', models.DateTimeField()),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('skipped', 'Skipped'), ('failed', 'Failed'), ('uncertain', 'May have been sent')], default='pending', max_length=10)),
                ('reason', models.CharField(blank=True, help_text='Why it was skipped or failed.', max_length=300)),
                ('enqueued_at', models.DateTimeField(blank=True, help_text='When a send task was last published.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('email', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reminder', to='notifications.outboundemail')),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='review_sessions.occurrence')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'notifications_reminder',
                'ordering': ['-due_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'due_at'], name='notificatio_status_a439d5_idx'), models.Index(fields=['session_starts_at'], name='notificatio_session_75402e_idx')],
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'recipient', 'kind', 'session_starts_at'), name='reminder_once_per_session_time'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='sent_reminder_has_time')],
            },
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('seats__gt', 0)), name='series_seats_positive'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('seats__lte', 200)), name='series_seats_at_most_max'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('duration_minutes__gt', 0), ('duration_minutes__lte', 480)), name='series_duration_at_most_8_hours'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('last_date__lte', django.db.models.expressions.CombinedExpression(models.F('first_date'), '+', models.Value(datetime.timedelta(days=371))))), name='series_at_most_a_year'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('weekday__gte', 0), ('weekday__lte', 6)), name='series_weekday_valid'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(('last_date__gte', models.F('first_date'))), name='series_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='reviewseries',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'cancelled'), _negated=True), ('cancelled_at__isnull', False), _connector='OR'), name='series_cancelled_has_time'),
        ),
        migrations.AddIndex(
            model_name='occurrence',
            index=models.Index(fields=['status', 'starts_at'], name='review_sess_status_dffefc_idx'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.UniqueConstraint(fields=('series', 'series_date'), name='occurrence_once_per_series_date'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.CheckConstraint(condition=models.Q(('seats__gt', 0)), name='occurrence_seats_positive'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.CheckConstraint(condition=models.Q(('seats__lte', 200)), name='occurrence_seats_at_most_max'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='occurrence_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__lte', django.db.models.expressions.CombinedExpression(models.F('starts_at'), '+', models.Value(datetime.timedelta(seconds=28800))))), name='occurrence_at_most_8_hours'),
        ),
        migrations.AddConstraint(
            model_name='occurrence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'cancelled'), _negated=True), ('cancelled_at__isnull', False), _connector='OR'), name='occurrence_cancelled_has_time'),
        ),
        migrations.AddConstraint(
            model_name='standingbooking',
            constraint=models.UniqueConstraint(condition=models.Q(('active', True)), fields=('series', 'mentee'), name='one_active_standing_booking'),
        ),
        migrations.AddIndex(
            model_name='booking',
            index=models.Index(fields=['mentee', 'status'], name='review_sess_mentee__3d542a_idx'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'booked')), fields=('occurrence', 'mentee'), name='one_active_booking_per_mentee'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('cancelled_at__isnull', True), ('late_cancel', False), ('status', 'booked')), models.Q(('cancelled_at__isnull', False), ('status', 'cancelled')), _connector='OR'), name='booking_cancel_fields_consistent'),
        ),
        migrations.AddConstraint(
            model_name='waitlistentry',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['waiting', 'offered'])), fields=('occurrence', 'mentee'), name='one_open_entry_per_mentee'),
        ),
        migrations.AddConstraint(
            model_name='waitlistentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'promoted'), _negated=True), ('promoted_at__isnull', False), _connector='OR'), name='promoted_entry_has_time'),
        ),
        migrations.AddConstraint(
            model_name='waitlistentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'offered'), _negated=True), models.Q(('offer_expires_at__gt', models.F('offered_at')), ('offer_expires_at__isnull', False), ('offered_at__isnull', False)), _connector='OR'), name='offered_entry_has_deadline'),
        ),
    ]
