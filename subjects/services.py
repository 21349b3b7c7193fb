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
