"""The feedback tables as they stand on 2 December 2026, squashed from 1 migration (see docs/deploy.md, Upgrading)."""

import core.text
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('feedback', '0001_session_survey_and_confidence'),
    ]

    dependencies = [
        ('review_sessions', '0001_squashed_waitlist_offers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SurveyQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=200, validators=[core.text.validate_single_line])),
                ('kind', models.CharField(choices=[('likert', 'Scale 1 to 5'), ('yes_no', 'Yes or no'), ('text', 'Free text')], max_length=10)),
                ('position', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['position', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['likert', 'yes_no', 'text'])), name='survey_question_kind_valid'), models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='survey_question_has_text')],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('confidence_after', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('share_comments_with_mentor', models.BooleanField(default=False)),
                ('allow_quote', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to='review_sessions.occurrence')),
                ('rating', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='survey_response', to='review_sessions.rating')),
            ],
            options={
                'ordering': ['-submitted_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('yes', models.BooleanField(blank=True, null=True)),
                ('text', models.TextField(blank=True, max_length=2000)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='feedback.surveyquestion')),
                ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='feedback.surveyresponse')),
            ],
            options={
                'ordering': ['question__position', 'question_id'],
            },
        ),
        migrations.CreateModel(
            name='ConfidenceBefore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField()),
                ('source', models.CharField(choices=[('booking', 'When booking'), ('check_in', 'At check-in')], default='booking', max_length=10)),
                ('given_at', models.DateTimeField()),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='confidence_before', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='confidence_before', to='review_sessions.occurrence')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'mentee'), name='confidence_before_once_per_mentee'), models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='confidence_before_1_to_5')],
            },
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.UniqueConstraint(fields=('occurrence', 'mentee'), name='survey_response_once_per_mentee'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.CheckConstraint(condition=models.Q(('confidence_after__isnull', True), models.Q(('confidence_after__gte', 1), ('confidence_after__lte', 5)), _connector='OR'), name='survey_confidence_after_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.CheckConstraint(condition=models.Q(('allow_quote', False), ('share_comments_with_mentor', True), _connector='OR'), name='survey_quote_needs_sharing'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.CheckConstraint(condition=models.Q(('updated_at__gte', models.F('submitted_at'))), name='survey_updated_after_submit'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.UniqueConstraint(fields=('response', 'question'), name='survey_answer_once_per_question'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 1), ('score__lte', 5)), _connector='OR'), name='survey_answer_score_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('score__isnull', False), ('text', ''), ('yes__isnull', True)), models.Q(('score__isnull', True), ('text', ''), ('yes__isnull', False)), models.Q(('score__isnull', True), ('yes__isnull', True), models.Q(('text', ''), _negated=True)), _connector='OR'), name='survey_answer_one_value'),
        ),
    ]
