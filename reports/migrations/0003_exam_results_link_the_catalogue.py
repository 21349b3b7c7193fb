"""Exam results point at the exam catalogue (program.Exam); a pass/fail result has `passed`.

Every existing result moves to a percent exam of kind BLOCK, one per distinct (exam name, date):
the catalogue's exam of that name (case-insensitive) on that first day if it exists, else a new one.
The name and date columns go in the next migration (schema changes after a data update on
PostgreSQL belong in their own transaction).
"""

import django.db.models.deletion
from django.db import migrations, models


def link_results_to_exams(apps, schema_editor):
    Exam = apps.get_model("program", "Exam")
    ExamResult = apps.get_model("reports", "ExamResult")
    sittings = ExamResult.objects.values_list("exam_name", "exam_date").distinct().order_by()
    for name, day in sittings:
        exam = Exam.objects.filter(name__iexact=name, first_day=day).first()
        if exam is None:
            exam = Exam.objects.create(name=name, first_day=day, last_day=day, kind="block", scale="percent")
        ExamResult.objects.filter(exam_name=name, exam_date=day).update(exam=exam)


def restore_names(apps, schema_editor):
    ExamResult = apps.get_model("reports", "ExamResult")
    for result in ExamResult.objects.select_related("exam").exclude(exam=None):
        ExamResult.objects.filter(pk=result.pk).update(exam_name=result.exam.name, exam_date=result.exam.first_day)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_single_line_text_validators"),
        ("program", "0001_calendar_exams_and_rules"),
        ("subjects", "0002_single_line_text_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="examresult",
            name="exam",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="results", to="program.exam"
            ),
        ),
        migrations.AddField(
            model_name="examresult",
            name="passed",
            field=models.BooleanField(blank=True, help_text="Only for a pass/fail exam.", null=True),
        ),
        migrations.AlterField(
            model_name="examresult",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=5, null=True,
                help_text="Percent 0-100, or a whole scaled score in the exam's range; empty for a pass/fail exam.",
            ),
        ),
        migrations.RemoveConstraint(model_name="examresult", name="exam_score_0_to_100"),
        migrations.RunPython(link_results_to_exams, restore_names),
    ]
