import pytest

from audit.models import AccessEvent
from audit.services import record_access
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def test_a_recorded_read_names_the_reader_the_record_and_the_student(rf):
    admin, mentee = ProgramAdminFactory(), MenteeFactory()
    request = rf.get("/sessions/occurrences/7/notes/")

    record_access(actor=admin, action="outcome_note.read", obj=mentee, student=mentee, request=request)

    event = AccessEvent.objects.get()
    assert (event.actor, event.action, event.student) == (admin, "outcome_note.read", mentee)
    assert event.object_type == "accounts.user"
    assert event.path == "/sessions/occurrences/7/notes/"


def test_program_admins_can_filter_the_access_log_by_student(client):
    admin, alice, bob = ProgramAdminFactory(), MenteeFactory(email="alice@school.edu"), MenteeFactory()
    record_access(actor=admin, action="exam_result.read", object_type="exam", student=alice)
    record_access(actor=admin, action="exam_result.read", object_type="exam", student=bob)
    client.force_login(admin)

    response = client.get("/audit/", {"student": "alice@school.edu"})

    assert response.status_code == 200
    assert [e.student for e in response.context["page"]] == [alice]


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_students_cannot_read_the_access_log(client, factory):
    client.force_login(factory())

    assert client.get("/audit/").status_code == 403
