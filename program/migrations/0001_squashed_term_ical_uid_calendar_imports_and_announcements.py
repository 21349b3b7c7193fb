"""The program tables as they stand on 2 December 2026, squashed from 3 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('program', '0001_calendar_exams_and_rules'),
        ('program', '0002_rules_log_and_no_show_clearances'),
        ('program', '0003_term_ical_uid_calendar_imports_and_announcements'),
    ]

    dependencies = [
        ('notifications', '0001_squashed_outboundemail_send_before_delete_reminder'),
        ('review_sessions', '0001_squashed_waitlist_offers'),
        ('subjects', '0001_squashed_single_line_text_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=255, validators=[core.text.validate_single_line])),
                ('content', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('summary', models.JSONField(blank=True, default=dict, help_text='What the confirmed import created and updated.')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Holiday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, validators=[core.text.validate_single_line])),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
                ('ical_uid', models.CharField(blank=True, max_length=255, validators=[core.text.validate_single_line])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['first_day', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='holiday_ends_after_start'), models.UniqueConstraint(condition=models.Q(('ical_uid', ''), _negated=True), fields=('ical_uid',), name='holiday_ical_uid_unique')],
            },
        ),
        migrations.CreateModel(
            name='ProgramRulesChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField()),
                ('changes', models.JSONField(default=dict)),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, validators=[core.text.validate_single_line])),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
                ('ical_uid', models.CharField(blank=True, max_length=255, validators=[core.text.validate_single_line])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['first_day', 'pk'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='term_name_unique_ci'), models.UniqueConstraint(condition=models.Q(('ical_uid', ''), _negated=True), fields=('ical_uid',), name='term_ical_uid_unique'), models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='term_ends_after_start'), models.CheckConstraint(condition=models.Q(('last_day__lte', django.db.models.expressions.CombinedExpression(models.F('first_day'), '+', models.Value(datetime.timedelta(days=366))))), name='term_at_most_a_year')],
            },
        ),
        migrations.CreateModel(
            name='Announcement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(choices=[('mentors', 'All mentors'), ('mentees', 'All mentees'), ('class_year', 'One class year'), ('subject_term', "Attendees of a subject's sessions this term"), ('series', "One series' booked mentees")], max_length=16)),
                ('class_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)])),
                ('title', models.CharField(max_length=150, validators=[core.text.validate_single_line])),
                ('body', models.TextField(max_length=5000)),
                ('essential', models.BooleanField(default=False)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('sent', 'Sent')], default='draft', max_length=8)),
                ('form_key', models.CharField(max_length=64, unique=True, validators=[core.text.validate_single_line])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('sender', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='announcements_sent', to=settings.AUTH_USER_MODEL)),
                ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='announcements', to='review_sessions.reviewseries')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
                ('term', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='announcements', to='program.term')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AnnouncementRecipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('queued', 'Queued'), ('opted_out', 'Not sent: opted out of non-essential email')], max_length=10)),
                ('announcement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='program.announcement')),
                ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.outboundemail')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(fields=('announcement', 'user'), name='announcement_recipient_once')],
            },
        ),
        migrations.CreateModel(
            name='Exam',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, validators=[core.text.validate_single_line])),
                ('kind', models.CharField(choices=[('block', 'Internal block or course exam'), ('nbme_subject', 'NBME subject (shelf) exam'), ('nbme_cbse', 'NBME CBSE or CBSSA'), ('step1', 'USMLE Step 1'), ('step2ck', 'USMLE Step 2 CK'), ('comlex1', 'COMLEX Level 1'), ('comlex2', 'COMLEX Level 2'), ('other', 'Other')], default='block', max_length=16)),
                ('scale', models.CharField(choices=[('percent', 'Percent (0-100)'), ('scaled', 'Scaled score'), ('pass_fail', 'Pass/fail')], default='percent', max_length=10)),
                ('scale_min', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(999)])),
                ('scale_max', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(999)])),
                ('first_day', models.DateField()),
                ('last_day', models.DateField(help_text='The same as the first day for a one-day exam.')),
                ('ical_uid', models.CharField(blank=True, max_length=255, validators=[core.text.validate_single_line])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('subjects', models.ManyToManyField(blank=True, related_name='exams', to='subjects.subject')),
            ],
            options={
                'ordering': ['first_day', 'name', 'pk'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), models.F('first_day'), name='exam_name_and_day_unique_ci'), models.UniqueConstraint(condition=models.Q(('ical_uid', ''), _negated=True), fields=('ical_uid',), name='exam_ical_uid_unique'), models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='exam_ends_after_start'), models.CheckConstraint(condition=models.Q(models.Q(('scale', 'scaled'), ('scale_max__isnull', False), ('scale_min__isnull', False), ('scale_min__lt', models.F('scale_max'))), models.Q(models.Q(('scale', 'scaled'), _negated=True), ('scale_max__isnull', True), ('scale_min__isnull', True)), _connector='OR'), name='exam_scaled_has_range'), models.CheckConstraint(condition=models.Q(('scale_max__isnull', True), ('scale_max__lte', 999), _connector='OR'), name='exam_scale_at_most_999')],
            },
        ),
        migrations.CreateModel(
            name='NoShowClearance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term_name', models.CharField(max_length=80, validators=[core.text.validate_single_line])),
                ('term_first_day', models.DateField()),
                ('term_last_day', models.DateField()),
                ('no_shows_cleared', models.PositiveSmallIntegerField()),
                ('note', models.TextField(max_length=2000)),
                ('cleared_at', models.DateTimeField()),
                ('cleared_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='no_show_clearances', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-cleared_at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('note', ''), _negated=True), name='no_show_clearance_has_note'), models.CheckConstraint(condition=models.Q(('term_last_day__gte', models.F('term_first_day'))), name='no_show_clearance_term_ends_after_start')],
            },
        ),
        migrations.CreateModel(
            name='NoShowWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term_first_day', models.DateField()),
                ('after_clearance', models.PositiveIntegerField(default=0)),
                ('sent_at', models.DateTimeField()),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='no_show_warnings', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('mentee', 'term_first_day', 'after_clearance'), name='no_show_warning_once_per_term')],
            },
        ),
        migrations.CreateModel(
            name='ProgramRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('no_show_limit', models.PositiveSmallIntegerField(blank=True, help_text='No-shows per term after which new bookings are refused until an admin clears them. Empty: off.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)])),
                ('late_cancellation_counts_as_no_show', models.BooleanField(default=False)),
                ('weekly_booking_cap', models.PositiveSmallIntegerField(blank=True, help_text='Most sessions one mentee may book per week (Monday to Sunday). Empty: no cap.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)])),
                ('waitlist_mode', models.CharField(choices=[('auto_book', 'Book the first in line automatically'), ('offer', 'Offer the seat to the first in line for a hold period')], default='auto_book', max_length=10)),
                ('offer_hold_hours', models.PositiveSmallIntegerField(default=4, help_text='How long a freed seat is held for the mentee it is offered to (shorter close to the start).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(72)])),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'program rules',
                'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='program_rules_single_row'), models.CheckConstraint(condition=models.Q(('no_show_limit__isnull', True), models.Q(('no_show_limit__gte', 1), ('no_show_limit__lte', 100)), _connector='OR'), name='program_rules_no_show_limit_bounds'), models.CheckConstraint(condition=models.Q(('weekly_booking_cap__isnull', True), models.Q(('weekly_booking_cap__gte', 1), ('weekly_booking_cap__lte', 100)), _connector='OR'), name='program_rules_weekly_cap_bounds'), models.CheckConstraint(condition=models.Q(('offer_hold_hours__gte', 1), ('offer_hold_hours__lte', 72)), name='program_rules_hold_1_to_72_hours')],
            },
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='announcement_sent_has_time'),
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.CheckConstraint(condition=models.Q(('audience__in', ['mentors', 'mentees']), models.Q(('audience', 'class_year'), ('class_year__isnull', False)), models.Q(('audience', 'subject_term'), ('subject__isnull', False), ('term__isnull', False)), models.Q(('audience', 'series'), ('series__isnull', False)), _connector='OR'), name='announcement_audience_complete'),
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.CheckConstraint(condition=models.Q(('class_year__isnull', True), models.Q(('class_year__gte', 1), ('class_year__lte', 4)), _connector='OR'), name='announcement_class_year_1_to_4'),
        ),
    ]
