"""After the session: the mentor's attendance and outcome note, the mentee's rating."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from accounts.permissions import AuthenticatedRequest, get_object_for, require
from audit.http import education_record_page
from checkin.selectors import check_ins_by_mentee
from core.views import render_form_page, run_service
from sessions import selectors, services
from sessions.forms import (
    RatingForm,
    RecordForm,
)
from sessions.models import Attendance, Occurrence, OutcomeNote
from sessions.views.common import _occurrence


@education_record_page
@login_required
def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_for(
        request.user, "sessions.record", Occurrence.objects.select_related("series", "series__subject"), pk=pk
    )
    roster = selectors.roster(occurrence)
    note = OutcomeNote.objects.filter(occurrence=occurrence).first()
    marks = {a.mentee_id: a for a in occurrence.attendance.select_related("mentee")}
    initial = {f"attendance_{b.mentee_id}": marks[b.mentee_id].status for b in roster if b.mentee_id in marks}
    walk_ins = [a.mentee.email for a in marks.values() if a.walk_in]
    # Check-ins pre-fill what the mentor has not recorded yet: booked mentees as attended, walk-ins listed.
    checked_in = check_ins_by_mentee(occurrence)
    booked_ids = {b.mentee_id for b in roster}
    for mentee_id, check_in in checked_in.items():
        if mentee_id in booked_ids and mentee_id not in marks:
            initial[f"attendance_{mentee_id}"] = Attendance.Status.ATTENDED
        elif mentee_id not in booked_ids and mentee_id not in marks:
            walk_ins.append(check_in.mentee.email)
    initial["walk_ins"] = ", ".join(walk_ins)
    if note:
        initial.update(
            topics=note.topics, private_notes=note.private_notes, follow_ups=note.follow_ups,
            note_to_attendees=note.note_to_attendees,
        )
    form = RecordForm(request.POST or None, roster=roster, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statuses = form.statuses()
        if run_service(
            request,
            lambda: services.record_session(
                occurrence=occurrence,
                by=request.user,
                statuses=statuses,
                walk_ins=data["walk_ins"],
                topics=data["topics"],
                private_notes=data["private_notes"],
                follow_ups=data["follow_ups"],
                note_to_attendees=data["note_to_attendees"],
            ),
            "Attendance and notes saved.",
            form=form,
        ):
            return redirect("sessions:occurrence", pk=occurrence.pk)
    revisions = list(note.revisions.select_related("editor")[:20]) if note else []
    editable_until = services.notes_editable_until(note, occurrence) if note else None
    return render_form_page(
        request,
        "sessions/record.html",
        {
            "form": form, "occ": occurrence, "revisions": revisions, "editable_until": editable_until,
            "now": timezone.now(), "check_ins": list(checked_in.values()),
        },  # fmt: skip
        form=form,
    )


@login_required
def rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = _occurrence(pk)
    require(request.user, "sessions.book")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.rate_occurrence(occurrence=occurrence, mentee=request.user, **form.cleaned_data),
        "Thank you for rating the session.",
        form=form,
    ):
        return redirect("sessions:mine")
    return render_form_page(request, "sessions/rate.html", {"form": form, "occ": occurrence}, form=form)
