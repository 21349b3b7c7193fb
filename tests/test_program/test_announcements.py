"""Announcements: audiences, the recipient count, opt-outs, essential messages, sending once, and
an audience with nobody in it."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.class_year import graduation_year_for
from notifications.models import OutboundEmail
from program.errors import AlreadySent, AnnouncementNotAllowed, InvalidAnnouncement, NoRecipients
from program.models import Announcement, AnnouncementRecipient
from program.services import save_announcement_draft, send_announcement
from tests.factories import (
    AttendanceFactory,
    BookingFactory,
    MenteeFactory,
    MentorFactory,
    ProgramAdminFactory,
    SubjectFactory,
    TermFactory,
    UserFactory,
    published_series,
)

pytestmark = pytest.mark.django_db


def _draft(sender, audience, key="k1", **fields):
    return save_announcement_draft(sender=sender, form_key=key, audience=audience, title="Room change",
                                   body="We meet in Lab B.", **fields)  # fmt: skip


def _sent_to(announcement):
    return set(OutboundEmail.objects.filter(kind="announcement", subject=announcement.title).values_list("to_address", flat=True))


def test_an_announcement_to_all_mentors_reaches_every_active_mentor_once():
    mentors = MentorFactory.create_batch(2)
    MenteeFactory(), MentorFactory(is_active=False)
    admin = ProgramAdminFactory()

    sent = send_announcement(announcement=_draft(admin, "mentors"), by=admin)

    assert _sent_to(sent) == {m.email for m in mentors}
    assert sent.recipients.count() == 2


def test_an_announcement_to_a_class_year_reaches_only_that_year():
    ms1, ms2 = MenteeFactory(graduation_year=graduation_year_for(1)), MenteeFactory(graduation_year=graduation_year_for(2))
    admin = ProgramAdminFactory()

    sent = send_announcement(announcement=_draft(admin, "class_year", class_year=1), by=admin)

    assert _sent_to(sent) == {ms1.email}
    assert ms2.email not in _sent_to(sent)


def test_an_announcement_to_a_subjects_attendees_this_term_reaches_booked_and_attending_mentees():
    term = TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))
    anatomy = SubjectFactory(name="Anatomy")
    series = published_series(subject=anatomy, first_date=date(2027, 2, 2), last_date=date(2027, 2, 23))
    other = published_series(first_date=date(2027, 2, 3), last_date=date(2027, 2, 24))
    booked, attended, elsewhere = MenteeFactory(), MenteeFactory(), MenteeFactory()
    occurrences = list(series.occurrences.order_by("starts_at"))
    BookingFactory(occurrence=occurrences[0], mentee=booked)
    AttendanceFactory(occurrence=occurrences[1], mentee=attended)
    BookingFactory(occurrence=other.occurrences.first(), mentee=elsewhere)
    admin = ProgramAdminFactory()

    sent = send_announcement(announcement=_draft(admin, "subject_term", subject=anatomy, term=term), by=admin)

    assert _sent_to(sent) == {booked.email, attended.email}


def test_an_announcement_to_a_series_reaches_its_booked_mentees_each_once():
    series = published_series()
    mentee = MenteeFactory()
    for occurrence in series.occurrences.all()[:2]:
        BookingFactory(occurrence=occurrence, mentee=mentee)

    sent = send_announcement(announcement=_draft(series.mentor, "series", series=series), by=series.mentor)

    assert _sent_to(sent) == {mentee.email}
    assert OutboundEmail.objects.filter(kind="announcement").count() == 1


def test_a_mentor_cannot_write_to_another_mentors_series():
    series = published_series()
    BookingFactory(occurrence=series.occurrences.first(), mentee=MenteeFactory())

    with pytest.raises(AnnouncementNotAllowed):
        _draft(MentorFactory(), "series", series=series)


def test_a_mentor_cannot_write_to_all_mentees():
    MenteeFactory()

    with pytest.raises(AnnouncementNotAllowed):
        _draft(MentorFactory(), "mentees")


def test_someone_who_opted_out_is_recorded_but_not_emailed():
    keen, muted, opted_out = MenteeFactory(), MenteeFactory(muted_email_categories=["announcements"]), MenteeFactory(email_opt_out=True)
    admin = ProgramAdminFactory()

    sent = send_announcement(announcement=_draft(admin, "mentees"), by=admin)

    assert _sent_to(sent) == {keen.email}
    outcomes = dict(sent.recipients.values_list("user_id", "outcome"))
    assert outcomes[muted.pk] == outcomes[opted_out.pk] == AnnouncementRecipient.Outcome.OPTED_OUT


def test_an_essential_announcement_reaches_people_who_opted_out_and_is_logged(caplog):
    opted_out = MenteeFactory(email_opt_out=True)
    admin = ProgramAdminFactory()

    sent = send_announcement(announcement=_draft(admin, "mentees", essential=True), by=admin)

    assert _sent_to(sent) == {opted_out.email}
    assert "Essential announcement" in caplog.text and "1 of whom opted out" in caplog.text


def test_a_mentor_cannot_mark_a_message_essential():
    series = published_series()
    BookingFactory(occurrence=series.occurrences.first(), mentee=MenteeFactory())

    draft = _draft(series.mentor, "series", series=series, essential=True)

    assert draft.essential is False


def test_sending_again_never_sends_twice():
    MenteeFactory.create_batch(3)
    admin = ProgramAdminFactory()
    draft = _draft(admin, "mentees")
    send_announcement(announcement=draft, by=admin)

    with pytest.raises(AlreadySent):
        send_announcement(announcement=draft, by=admin)

    assert OutboundEmail.objects.filter(kind="announcement").count() == 3


def test_resubmitting_the_same_compose_form_keeps_one_draft():
    MenteeFactory()
    admin = ProgramAdminFactory()

    first, second = _draft(admin, "mentees", key="same"), _draft(admin, "mentees", key="same")

    assert first.pk == second.pk and Announcement.objects.count() == 1


def test_resubmitting_the_compose_form_after_sending_is_refused():
    MenteeFactory()
    admin = ProgramAdminFactory()
    send_announcement(announcement=_draft(admin, "mentees", key="same"), by=admin)

    with pytest.raises(AlreadySent):
        _draft(admin, "mentees", key="same")


def test_an_audience_with_nobody_in_it_is_refused_and_nothing_is_saved():
    admin = ProgramAdminFactory()
    UserFactory(graduation_year=graduation_year_for(2))

    with pytest.raises(NoRecipients, match="Nobody would receive this"):
        _draft(admin, "class_year", class_year=4)

    assert Announcement.objects.count() == 0


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------
def test_the_preview_shows_the_recipient_count_before_sending(client):
    MenteeFactory.create_batch(3)
    admin = ProgramAdminFactory()
    client.force_login(admin)

    response = client.post(reverse("program:announcement_new"), {
        "form_key": "abc", "audience": "mentees", "title": "Block 2 tips", "body": "Sleep well.",
    }, follow=True)  # fmt: skip

    assert "3 people" in response.content.decode()
    assert OutboundEmail.objects.count() == 0
    client.post(reverse("program:announcement", args=[Announcement.objects.get().pk]))
    assert OutboundEmail.objects.filter(kind="announcement").count() == 3


def test_a_form_key_not_made_by_the_page_is_replaced_and_the_draft_is_kept(admin_client):
    MenteeFactory()

    response = admin_client.post(reverse("program:announcement_new"), {
        "form_key": "\x1b", "audience": "mentees", "title": "Room change", "body": "We meet in Lab B.",
    })  # fmt: skip

    draft = Announcement.objects.get()
    assert response["Location"] == reverse("program:announcement", args=[draft.pk])
    assert draft.body == "We meet in Lab B." and draft.form_key != "\x1b" and len(draft.form_key) >= 24


def test_a_draft_the_model_refuses_is_an_application_error_naming_the_field():
    MenteeFactory()

    with pytest.raises(InvalidAnnouncement) as refused:
        _draft(ProgramAdminFactory(), "mentees", key="x" * 65)

    assert refused.value.field == "form_key"
    assert not Announcement.objects.exists()


def test_a_double_click_on_send_sends_once_and_says_so(client):
    MenteeFactory()
    admin = ProgramAdminFactory()
    client.force_login(admin)
    draft = _draft(admin, "mentees")
    url = reverse("program:announcement", args=[draft.pk])

    client.post(url)
    response = client.post(url)

    assert response.status_code == 400
    assert "already sent" in response.content.decode()
    assert OutboundEmail.objects.filter(kind="announcement").count() == 1


def test_no_recipients_is_a_clear_message_on_the_page(client):
    client.force_login(ProgramAdminFactory())

    response = client.post(reverse("program:announcement_new"), {
        "form_key": "abc", "audience": "class_year", "class_year": "3", "title": "Hi", "body": "Hello",
    })  # fmt: skip

    assert response.status_code == 400
    assert "Nobody would receive this" in response.content.decode()
    assert 'value="Hi"' in response.content.decode()
    assert Announcement.objects.count() == 0


def test_the_admins_list_keeps_every_announcement_with_its_recipients(client):
    mentee = MenteeFactory()
    admin = ProgramAdminFactory()
    sent = send_announcement(announcement=_draft(admin, "mentees"), by=admin)
    client.force_login(admin)

    listing = client.get(reverse("program:announcements")).content.decode()
    detail = client.get(reverse("program:announcement", args=[sent.pk])).content.decode()

    assert "Room change" in listing
    assert mentee.email in detail


def test_a_mentor_writes_to_their_series_from_its_page(client):
    series = published_series()
    mentee = MenteeFactory()
    BookingFactory(occurrence=series.occurrences.first(), mentee=mentee)
    client.force_login(series.mentor)

    form = client.get(reverse("program:announcement_new") + f"?series={series.pk}").content.decode()
    response = client.post(reverse("program:announcement_new"), {
        "form_key": "m1", "audience": "series", "series": series.pk, "title": "Bring your atlas", "body": "Thanks",
    }, follow=True)  # fmt: skip
    client.post(response.redirect_chain[-1][0])

    assert "One series" in form and "All mentees" not in form
    assert _sent_to(Announcement.objects.get()) == {mentee.email}


def test_a_mentor_cannot_open_the_form_for_another_mentors_series(client):
    series = published_series()
    client.force_login(MentorFactory())

    response = client.get(reverse("program:announcement_new") + f"?series={series.pk}")

    assert response.status_code == 403
