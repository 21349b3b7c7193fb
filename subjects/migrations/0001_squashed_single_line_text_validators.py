"""The subjects tables as they stand on 2 December 2026, squashed from 2 migrations (see docs/deploy.md, Upgrading)."""

import core.text
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('subjects', '0001_initial'),
        ('subjects', '0002_single_line_text_validators'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Subject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, validators=[core.text.validate_single_line])),
                ('category', models.CharField(choices=[('preclinical', 'Preclinical'), ('clinical', 'Clinical and exams')], default='preclinical', max_length=20)),
                ('is_active', models.BooleanField(default=True, help_text='Retire a subject instead of deleting it.')),
            ],
            options={
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='subject_name_unique_ci')],
            },
        ),
    ]
