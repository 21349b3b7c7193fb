from django.db import IntegrityError, transaction

from core import locking
from core.errors import ApplicationError, clean_or_refuse
from subjects.catalogue import CLINICAL, PRECLINICAL
from subjects.models import Subject


def ensure_seed_subjects() -> int:
    """Create any seed subject that does not exist yet; returns how many were created."""
    existing = {name.lower() for name in Subject.objects.values_list("name", flat=True)}
    new = [
        Subject(name=name, category=category)
        for category, names in ((Subject.Category.PRECLINICAL, PRECLINICAL), (Subject.Category.CLINICAL, CLINICAL))
        for name in names
        if name.lower() not in existing
    ]
    Subject.objects.bulk_create(new)
    return len(new)


class SubjectError(ApplicationError):
    """A change to the subject catalogue that is not allowed."""


def _clean_name(name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise SubjectError("Give the subject a name.")
    clash = Subject.objects.filter(name__iexact=name).exclude(pk=exclude_pk).first()
    if clash:
        state = "" if clash.is_active else " (retired: restore it instead)"
        raise SubjectError(f"There is already a subject called {clash.name}{state}.")
    return name


@transaction.atomic
def add_subject(*, name: str, category: str = Subject.Category.PRECLINICAL) -> Subject:
    subject = Subject(name=_clean_name(name), category=category)
    clean_or_refuse(subject, SubjectError)
    try:
        with transaction.atomic():
            subject.save()
    except IntegrityError as exc:  # a twin added at the same moment
        raise SubjectError(f"There is already a subject called {subject.name}.") from exc
    return subject


@transaction.atomic
def rename_subject(*, subject: Subject, name: str) -> Subject:
    """Renaming keeps the subject's history: every pair, request and session follows the new name."""
    subject = locking.lock(Subject.objects.all(), subject.pk)
    subject.name = _clean_name(name, exclude_pk=subject.pk)
    clean_or_refuse(subject, SubjectError)
    try:
        with transaction.atomic():
            subject.save(update_fields=["name"])
    except IntegrityError as exc:
        raise SubjectError(f"There is already a subject called {subject.name}.") from exc
    return subject


def set_subject_retired(*, subject: Subject, retired: bool) -> Subject:
    """A retired subject keeps its history but is no longer offered, wanted or matched on."""
    Subject.objects.filter(pk=subject.pk).update(is_active=not retired)
    subject.refresh_from_db(fields=["is_active"])
    return subject
