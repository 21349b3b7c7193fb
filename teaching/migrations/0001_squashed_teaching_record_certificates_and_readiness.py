"""The teaching tables as they stand on 2 December 2026, squashed from 1 migration (see docs/deploy.md, Upgrading)."""

import core.text
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('teaching', '0001_teaching_record_certificates_and_readiness'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Endorsement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term_name', models.CharField(max_length=80, validators=[core.text.validate_single_line])),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
                ('subjects', models.CharField(blank=True, max_length=500, validators=[core.text.validate_single_line])),
                ('sessions_held', models.PositiveIntegerField()),
                ('verified_hours', models.DecimalField(decimal_places=2, max_digits=7)),
                ('unique_mentees', models.PositiveIntegerField()),
                ('one_to_one_mentees', models.PositiveIntegerField()),
                ('attendance_rate', models.FloatField(blank=True, null=True)),
                ('average_rating', models.FloatField(blank=True, null=True)),
                ('ratings', models.PositiveIntegerField(default=0)),
                ('confidence_gain', models.FloatField(blank=True, null=True)),
                ('confidence_answers', models.PositiveIntegerField(default=0)),
                ('note', models.CharField(blank=True, max_length=500, validators=[core.text.validate_single_line])),
                ('endorsed_at', models.DateTimeField()),
                ('endorsed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teaching_endorsements', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-first_day', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(help_text="SHA-256 (hex) of the link's token.", max_length=64, unique=True)),
                ('pdf', models.BinaryField(help_text='The PDF as issued: the token is inside it and nowhere else.')),
                ('issued_at', models.DateTimeField()),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('endorsement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificates', to='teaching.endorsement')),
            ],
            options={
                'ordering': ['-issued_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ExperienceEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=750)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('mentor', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='experience_entry', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'experience entries',
            },
        ),
        migrations.CreateModel(
            name='MilestoneAward',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hours', models.PositiveIntegerField()),
                ('reached_at', models.DateTimeField()),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teaching_milestones', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['hours'],
            },
        ),
        migrations.CreateModel(
            name='Requirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, validators=[core.text.validate_single_line])),
                ('description', models.CharField(blank=True, max_length=300, validators=[core.text.validate_single_line])),
                ('valid_for_months', models.PositiveSmallIntegerField(blank=True, help_text='How long a completion counts, in months. Empty: it never expires.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)])),
                ('active', models.BooleanField(default=True, help_text='Only active requirements block publishing.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['name', 'pk'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='requirement_name_unique_ci'), models.CheckConstraint(condition=models.Q(('valid_for_months__isnull', True), models.Q(('valid_for_months__gte', 1), ('valid_for_months__lte', 120)), _connector='OR'), name='requirement_validity_1_to_120_months')],
            },
        ),
        migrations.CreateModel(
            name='RequirementCompletion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed_on', models.DateField()),
                ('recorded_at', models.DateTimeField()),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirement_completions', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requirement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='completions', to='teaching.requirement')),
            ],
            options={
                'ordering': ['requirement__name', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='endorsement',
            constraint=models.UniqueConstraint(fields=('mentor', 'first_day', 'last_day'), name='endorsement_once_per_term'),
        ),
        migrations.AddConstraint(
            model_name='endorsement',
            constraint=models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='endorsement_term_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='endorsement',
            constraint=models.CheckConstraint(condition=models.Q(('sessions_held__gte', 1)), name='endorsement_has_sessions'),
        ),
        migrations.AddConstraint(
            model_name='endorsement',
            constraint=models.CheckConstraint(condition=models.Q(('verified_hours__gte', Decimal('0'))), name='endorsement_hours_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='endorsement',
            constraint=models.CheckConstraint(condition=models.Q(('attendance_rate__isnull', True), models.Q(('attendance_rate__gte', 0), ('attendance_rate__lte', 1)), _connector='OR'), name='endorsement_attendance_rate_is_a_share'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('endorsement',), name='one_valid_certificate_per_endorsement'),
        ),
        migrations.AddConstraint(
            model_name='experienceentry',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('text'), 750), name='experience_text_fits_eras'),
        ),
        migrations.AddConstraint(
            model_name='milestoneaward',
            constraint=models.UniqueConstraint(fields=('mentor', 'hours'), name='milestone_once_per_mentor'),
        ),
        migrations.AddConstraint(
            model_name='milestoneaward',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 1)), name='milestone_hours_positive'),
        ),
        migrations.AddConstraint(
            model_name='requirementcompletion',
            constraint=models.UniqueConstraint(fields=('requirement', 'mentor'), name='one_completion_per_requirement_and_mentor'),
        ),
    ]
