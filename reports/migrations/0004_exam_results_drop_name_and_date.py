import django.db.models.deletion
from decimal import Decimal

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_exam_results_link_the_catalogue"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="examresult", name="exam_result_once_per_sitting"),
        migrations.RemoveIndex(model_name="examresult", name="reports_exa_exam_da_5d7056_idx"),
        migrations.RemoveField(model_name="examresult", name="exam_name"),
        migrations.RemoveField(model_name="examresult", name="exam_date"),
        migrations.AlterField(
            model_name="examresult",
            name="exam",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="results", to="program.exam"
            ),
        ),
        migrations.AlterModelOptions(name="examresult", options={"ordering": ["exam__first_day", "exam__name", "pk"]}),
        migrations.AddConstraint(
            model_name="examresult",
            constraint=models.UniqueConstraint(fields=("student", "exam"), name="exam_result_once_per_exam"),
        ),
        migrations.AddConstraint(
            model_name="examresult",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("passed__isnull", True), ("score__isnull", False)),
                    models.Q(("passed__isnull", False), ("score__isnull", True)),
                    _connector="OR",
                ),
                name="exam_result_score_or_pass",
            ),
        ),
        migrations.AddConstraint(
            model_name="examresult",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__isnull", True))
                | models.Q(("score__gte", Decimal("0")), ("score__lte", Decimal("999.99"))),
                name="exam_result_score_0_to_999",
            ),
        ),
        migrations.AddField(
            model_name="examimport",
            name="exam",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="imports",
                to="program.exam",
            ),
        ),
        migrations.CreateModel(
            name="OutreachInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("invited_at", models.DateTimeField()),
                ("exam", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="outreach_invitations", to="program.exam")),
                ("invited_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL)),
                ("student", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="outreach_invitations", to=settings.AUTH_USER_MODEL)),
                ("subject", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                              to="subjects.subject")),
            ],
            options={
                "ordering": ["-invited_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("exam", "student"), name="outreach_once_per_student_and_exam")
                ],
            },
        ),
    ]
