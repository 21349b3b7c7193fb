from django.db import models
from django.db.models.functions import Lower

from core.text import validate_single_line


class SubjectQuerySet(models.QuerySet):
    def active(self) -> "SubjectQuerySet":
        return self.filter(is_active=True)


class Subject(models.Model):
    """A subject the program tutors. Retired subjects keep their history but take no new use."""

    class Category(models.TextChoices):
        PRECLINICAL = "preclinical", "Preclinical"
        CLINICAL = "clinical", "Clinical and exams"

    name = models.CharField(max_length=80, validators=[validate_single_line])
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.PRECLINICAL)
    is_active = models.BooleanField(default=True, help_text="Retire a subject instead of deleting it.")

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="subject_name_unique_ci")]

    def __str__(self) -> str:
        return self.name
