"""The accounts tables as they stand on 2 December 2026, squashed from 4 migrations (see docs/deploy.md, Upgrading)."""

import accounts.models
import core.text
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0001_initial'),
        ('accounts', '0002_invitations_preferences'),
        ('accounts', '0003_single_line_text_validators'),
        ('accounts', '0004_sso_sign_in_refusals'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('subjects', '0001_squashed_single_line_text_validators'),
    ]

    operations = [
        migrations.CreateModel(
            name='SeenAssertion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assertion_id', models.CharField(max_length=200, unique=True)),
                ('provider', models.CharField(max_length=100)),
                ('expires_at', models.DateTimeField(blank=True, db_index=True, help_text='NotOnOrAfter: after it python3-saml refuses the assertion anyway.', null=True)),
                ('seen_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='SignInRefusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('provider', models.CharField(max_length=100)),
                ('reason', models.CharField(choices=[('invalid', 'Invalid response (unsigned, expired, wrong audience, bad signature)'), ('replayed', 'Replayed assertion'), ('no_email', 'No email address'), ('cancelled', 'Cancelled or denied at the identity provider'), ('other', 'Other error (e.g. not an answer to a sign-in we started)')], max_length=20)),
                ('detail', models.TextField(blank=True, help_text="What the SSO library said, for the school's IT office.")),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='email address')),
                ('first_name', models.CharField(blank=True, max_length=150, validators=[core.text.validate_single_line], verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, validators=[core.text.validate_single_line], verbose_name='last name')),
                ('graduation_year', models.PositiveSmallIntegerField(blank=True, help_text='Expected graduation year; the class year is derived from it.', null=True)),
                ('is_mentee', models.BooleanField(default=False, verbose_name='mentee')),
                ('is_mentor', models.BooleanField(default=False, help_text='Set by approving a mentor application.', verbose_name='approved mentor')),
                ('is_program_admin', models.BooleanField(default=False, verbose_name='program admin')),
                ('time_zone', models.CharField(blank=True, help_text="Blank: the program's time zone.", max_length=64)),
                ('bio', models.TextField(blank=True, max_length=1000)),
                ('specialty_interest', models.CharField(blank=True, max_length=100, validators=[core.text.validate_single_line])),
                ('availability', models.JSONField(blank=True, default=list, help_text="Slot codes such as 'tue-evening'.")),
                ('mentor_capacity', models.PositiveSmallIntegerField(default=3, help_text='How many mentees this mentor takes at once.')),
                ('onboarded_at', models.DateTimeField(blank=True, null=True)),
                ('reminder_offsets_hours', models.JSONField(blank=True, default=accounts.models.default_reminder_offsets, help_text='Hours before a session; empty: no reminders.')),
                ('email_opt_out', models.BooleanField(default=False, help_text='No non-essential email (reminders, digests); account mail still arrives.')),
                ('muted_email_categories', models.JSONField(blank=True, default=list, help_text='Non-essential email categories this user does not want (see accounts.preferences).')),
                ('calendar_token', models.CharField(default=accounts.models.new_calendar_token, max_length=64, unique=True)),
                ('deleted_at', models.DateTimeField(blank=True, help_text='Set when the account was anonymised.', null=True)),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'ordering': ['last_name', 'first_name', 'email'],
            },
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254)),
                ('token', models.CharField(default=accounts.models.new_invitation_token, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='MentorApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('motivation', models.TextField(max_length=2000)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('declined', 'Declined')], default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_message', models.TextField(blank=True, max_length=2000)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='decided_mentor_applications', to=settings.AUTH_USER_MODEL)),
                ('subjects', models.ManyToManyField(related_name='+', to='subjects.subject')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentor_applications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='OfferedSubject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offered_subjects', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='WantedSubject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rank', models.PositiveSmallIntegerField(default=1)),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wanted_subjects', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['user', 'rank'],
            },
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('graduation_year__isnull', True), models.Q(('graduation_year__gte', 1990), ('graduation_year__lte', 2100)), _connector='OR'), name='user_graduation_year_sane'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('accepted_at__isnull', True)), name='one_open_invitation_per_email'),
        ),
        migrations.AddConstraint(
            model_name='mentorapplication',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('user',), name='one_pending_mentor_application'),
        ),
        migrations.AddConstraint(
            model_name='mentorapplication',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('status', 'pending')), models.Q(models.Q(('status', 'pending'), _negated=True), ('decided_at__isnull', False)), _connector='OR'), name='mentor_application_decided_when_not_pending'),
        ),
        migrations.AddConstraint(
            model_name='offeredsubject',
            constraint=models.UniqueConstraint(fields=('user', 'subject'), name='offered_subject_once'),
        ),
        migrations.AddConstraint(
            model_name='wantedsubject',
            constraint=models.UniqueConstraint(fields=('user', 'subject'), name='wanted_subject_once'),
        ),
        migrations.AddConstraint(
            model_name='wantedsubject',
            constraint=models.CheckConstraint(condition=models.Q(('rank__gte', 1)), name='wanted_subject_rank_positive'),
        ),
    ]
