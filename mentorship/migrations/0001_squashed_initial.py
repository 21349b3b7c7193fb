"""The mentorship tables as they stand on 2 December 2026, squashed from 1 migration (see docs/deploy.md, Upgrading)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('mentorship', '0001_initial'),
    ]

    dependencies = [
        ('subjects', '0001_squashed_single_line_text_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MatchingRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('class_year', models.PositiveSmallIntegerField(blank=True, help_text='Only mentees in this class year (blank: all).', null=True)),
                ('status', models.CharField(choices=[('computing', 'Computing'), ('preview', 'Ready to review'), ('committed', 'Committed'), ('failed', 'Failed')], default='computing', max_length=10)),
                ('progress', models.PositiveSmallIntegerField(default=0, help_text='Percent done while computing.')),
                ('progress_note', models.CharField(blank=True, max_length=200)),
                ('proposed_pairs', models.JSONField(blank=True, default=list)),
                ('unmatched', models.JSONField(blank=True, default=list)),
                ('total_score', models.FloatField(blank=True, null=True)),
                ('error', models.TextField(blank=True)),
                ('computed_at', models.DateTimeField(blank=True, null=True)),
                ('committed_at', models.DateTimeField(blank=True, null=True)),
                ('committed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('subject', models.ForeignKey(blank=True, help_text='Only mentees who want this subject (blank: all).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Mentorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('active', 'Active'), ('declined', 'Declined'), ('ended', 'Ended'), ('expired', 'Expired')], default='requested', max_length=10)),
                ('message', models.TextField(blank=True, help_text="The mentee's note with the request.", max_length=2000)),
                ('score', models.FloatField(blank=True, help_text='Fit score when requested or matched.', null=True)),
                ('reasons', models.CharField(blank=True, help_text='Why this pair fits, in words.', max_length=500)),
                ('requested_at', models.DateTimeField()),
                ('responded_at', models.DateTimeField(blank=True, null=True)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('end_reason', models.TextField(blank=True, max_length=1000)),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_mentee', to=settings.AUTH_USER_MODEL)),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_mentor', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mentorships', to='mentorship.matchinground')),
            ],
            options={
                'ordering': ['-requested_at'],
            },
        ),
        migrations.CreateModel(
            name='MentorshipSubject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_open', models.BooleanField(default=True)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentorship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subject_links', to='mentorship.mentorship')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
            ],
        ),
        migrations.AddField(
            model_name='mentorship',
            name='subjects',
            field=models.ManyToManyField(related_name='+', through='mentorship.MentorshipSubject', to='subjects.subject'),
        ),
        migrations.AddConstraint(
            model_name='matchinground',
            constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='round_progress_percent'),
        ),
        migrations.AddConstraint(
            model_name='matchinground',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('committed_at__isnull', False), ('status', 'committed')), models.Q(('status', 'committed'), _negated=True), _connector='OR'), name='round_committed_has_time'),
        ),
        migrations.AddConstraint(
            model_name='mentorshipsubject',
            constraint=models.UniqueConstraint(fields=('mentorship', 'subject'), name='mentorship_subject_once'),
        ),
        migrations.AddConstraint(
            model_name='mentorshipsubject',
            constraint=models.UniqueConstraint(condition=models.Q(('is_open', True)), fields=('mentee', 'subject'), name='one_open_mentorship_per_subject'),
        ),
        migrations.AddIndex(
            model_name='mentorship',
            index=models.Index(fields=['status', 'requested_at'], name='mentorship_status_requested'),
        ),
        migrations.AddConstraint(
            model_name='mentorship',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['requested', 'active'])), fields=('mentor', 'mentee'), name='one_open_pair'),
        ),
        migrations.AddConstraint(
            model_name='mentorship',
            constraint=models.UniqueConstraint(fields=('round', 'mentee'), name='round_pairs_mentee_once'),
        ),
        migrations.AddConstraint(
            model_name='mentorship',
            constraint=models.CheckConstraint(condition=models.Q(('mentor', models.F('mentee')), _negated=True), name='mentorship_not_self'),
        ),
        migrations.AddConstraint(
            model_name='mentorship',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('ended_at__isnull', True), ('status__in', ['requested', 'active'])), ('status__in', ['declined', 'ended', 'expired']), _connector='OR'), name='mentorship_open_has_no_end'),
        ),
    ]
