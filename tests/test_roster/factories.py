import factory

from roster.models import RosterEntry
from tests.factories import MenteeFactory


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterEntry

    user = factory.SubFactory(MenteeFactory)
    student_id = factory.Sequence(lambda n: f"S{n:06d}")
    cohort = ""
