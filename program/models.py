"""How the program runs term after term: the academic calendar (terms, holidays, exams) and its rules.

- `Term`: a named teaching period (first and last day, both included). Terms never overlap
  (checked by the service that saves them, under the lock of the `ProgramRules` row).
- `Holiday`: days with no sessions (a single day or a range such as spring break).
- `Exam`: the exam catalogue. An internal block exam ("Block 2: Anatomy and Histology") is an exam
  of kind BLOCK with its subjects; NBME, USMLE and COMLEX exams are other kinds. Each exam has a scale:
  percent (0-100), a scaled score with its own range, or pass/fail (pass rates, never means).
- `ProgramRules`: one row of rules a program admin sets (attendance limits, waitlist mode).
- `CalendarImport`: an uploaded iCalendar file of the school's calendar, previewed, then confirmed once.
- `Announcement` and `AnnouncementRecipient`: a message to a group, kept with everyone it went to.

Dates are whole days in the program's home zone (`reports.periods.program_zone`).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from core.text import validate_single_line

NAME_MAX_LENGTH = 120
ICAL_UID_MAX_LENGTH = 255
SCALED_SCORE_MAX = 999  # the widest three-digit scale (NBME scaled scores are 1-300 or so)
MAX_HOLD_HOURS = 72
MAX_LIMIT = 100
MAX_TERM_LENGTH = timedelta(days=366)
# The calendar's days lie in these years (a year 9999 would overflow date arithmetic).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


class TermQuerySet(models.QuerySet["Term"]):
    def containing(self, day: date) -> "TermQuerySet":
        return self.filter(first_day__lte=day, last_day__gte=day)

    def overlapping(self, first_day: date, last_day: date) -> "TermQuerySet":
        return self.filter(first_day__lte=last_day, last_day__gte=first_day)

    def upcoming_or_current(self, today: date) -> "TermQuerySet":
        return self.filter(last_day__gte=today).order_by("first_day")


class Term(models.Model):
    """A teaching period: "Fall 2026", 24 August to 18 December."""

    name = models.CharField(max_length=80, validators=[validate_single_line])
    first_day = models.DateField()
    last_day = models.DateField()
    # The UID of the iCalendar event it was imported from: re-importing a file updates, never duplicates.
    ical_uid = models.CharField(max_length=ICAL_UID_MAX_LENGTH, blank=True, validators=[validate_single_line])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="term_name_unique_ci"),
            models.UniqueConstraint(fields=["ical_uid"], condition=~Q(ical_uid=""), name="term_ical_uid_unique"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="term_ends_after_start"),
            models.CheckConstraint(
                condition=Q(last_day__lte=F("first_day") + MAX_TERM_LENGTH), name="term_at_most_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_day:%d %b %Y} – {self.last_day:%d %b %Y})"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day


class HolidayQuerySet(models.QuerySet["Holiday"]):
    def overlapping(self, first_day: date, last_day: date) -> "HolidayQuerySet":
        return self.filter(first_day__lte=last_day, last_day__gte=first_day)


class Holiday(models.Model):
    """Days the school is closed or sessions pause: a single day or a range."""

    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[validate_single_line])
    first_day = models.DateField()
    last_day = models.DateField()
    # The UID of the iCalendar event it was imported from: re-importing a file updates, never duplicates.
    ical_uid = models.CharField(max_length=ICAL_UID_MAX_LENGTH, blank=True, validators=[validate_single_line])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="holiday_ends_after_start"),
            models.UniqueConstraint(fields=["ical_uid"], condition=~Q(ical_uid=""), name="holiday_ical_uid_unique"),
        ]

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.name} ({self.first_day:%d %b %Y})"
        return f"{self.name} ({self.first_day:%d %b} – {self.last_day:%d %b %Y})"

    def days(self) -> list[date]:
        return [date.fromordinal(n) for n in range(self.first_day.toordinal(), self.last_day.toordinal() + 1)]


class ExamQuerySet(models.QuerySet["Exam"]):
    def blocks(self) -> "ExamQuerySet":
        return self.filter(kind=Exam.Kind.BLOCK)

    def upcoming(self, today: date) -> "ExamQuerySet":
        return self.filter(last_day__gte=today).order_by("first_day", "pk")

    def with_results(self) -> "ExamQuerySet":
        """Exams with at least one imported result: an EXISTS per exam on the results' index, where
        a join and DISTINCT would read every result (thousands per exam)."""
        results = Exam.results.field.model  # reports.ExamResult, through the relation: program imports no report
        return self.filter(models.Exists(results._default_manager.filter(exam=models.OuterRef("pk"))))


class Exam(models.Model):
    """One exam in the catalogue; exam results are imported against it."""

    class Kind(models.TextChoices):
        BLOCK = "block", "Internal block or course exam"
        NBME_SUBJECT = "nbme_subject", "NBME subject (shelf) exam"
        NBME_CBSE = "nbme_cbse", "NBME CBSE or CBSSA"
        STEP_1 = "step1", "USMLE Step 1"
        STEP_2_CK = "step2ck", "USMLE Step 2 CK"
        COMLEX_1 = "comlex1", "COMLEX Level 1"
        COMLEX_2 = "comlex2", "COMLEX Level 2"
        OTHER = "other", "Other"

    class Scale(models.TextChoices):
        PERCENT = "percent", "Percent (0-100)"
        SCALED = "scaled", "Scaled score"
        PASS_FAIL = "pass_fail", "Pass/fail"

    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[validate_single_line])
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.BLOCK)
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.PERCENT)
    # Only for a scaled score: the lowest and highest score the exam reports (e.g. 1 to 300).
    scale_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(SCALED_SCORE_MAX)]
    )
    scale_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(SCALED_SCORE_MAX)]
    )
    first_day = models.DateField()
    last_day = models.DateField(help_text="The same as the first day for a one-day exam.")
    subjects = models.ManyToManyField("subjects.Subject", blank=True, related_name="exams")
    ical_uid = models.CharField(max_length=ICAL_UID_MAX_LENGTH, blank=True, validators=[validate_single_line])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "first_day", name="exam_name_and_day_unique_ci"),
            models.UniqueConstraint(fields=["ical_uid"], condition=~Q(ical_uid=""), name="exam_ical_uid_unique"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="exam_ends_after_start"),
            models.CheckConstraint(
                condition=(
                    Q(scale="scaled", scale_min__isnull=False, scale_max__isnull=False, scale_min__lt=F("scale_max"))
                    | (~Q(scale="scaled") & Q(scale_min__isnull=True, scale_max__isnull=True))
                ),
                name="exam_scaled_has_range",
            ),
            models.CheckConstraint(
                condition=Q(scale_max__isnull=True) | Q(scale_max__lte=SCALED_SCORE_MAX), name="exam_scale_at_most_999"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_day:%d %b %Y})"

    @property
    def is_pass_fail(self) -> bool:
        return self.scale == self.Scale.PASS_FAIL

    def scale_label(self) -> str:
        if self.scale == self.Scale.SCALED:
            return f"Scaled score {self.scale_min}-{self.scale_max}"
        return self.get_scale_display()


class ProgramRules(models.Model):
    """The program's rules, one row (pk 1), edited by program admins. Empty limits mean "off"."""

    class WaitlistMode(models.TextChoices):
        AUTO_BOOK = "auto_book", "Book the first in line automatically"
        OFFER = "offer", "Offer the seat to the first in line for a hold period"

    no_show_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT)],
        help_text="No-shows per term after which new bookings are refused until an admin clears them. Empty: off.",
    )
    late_cancellation_counts_as_no_show = models.BooleanField(default=False)
    weekly_booking_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT)],
        help_text="Most sessions one mentee may book per week (Monday to Sunday). Empty: no cap.",
    )
    waitlist_mode = models.CharField(max_length=10, choices=WaitlistMode.choices, default=WaitlistMode.AUTO_BOOK)
    offer_hold_hours = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_HOURS)],
        help_text="How long a freed seat is held for the mentee it is offered to (shorter close to the start).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "program rules"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="program_rules_single_row"),
            models.CheckConstraint(
                condition=Q(no_show_limit__isnull=True) | Q(no_show_limit__gte=1, no_show_limit__lte=MAX_LIMIT),
                name="program_rules_no_show_limit_bounds",
            ),
            models.CheckConstraint(
                condition=Q(weekly_booking_cap__isnull=True)
                | Q(weekly_booking_cap__gte=1, weekly_booking_cap__lte=MAX_LIMIT),
                name="program_rules_weekly_cap_bounds",
            ),
            models.CheckConstraint(
                condition=Q(offer_hold_hours__gte=1, offer_hold_hours__lte=MAX_HOLD_HOURS),
                name="program_rules_hold_1_to_72_hours",
            ),
        ]

    def __str__(self) -> str:
        return "Program rules"

    @classmethod
    def current(cls) -> "ProgramRules":
        """The one row of rules (created with the defaults on first use)."""
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules


class ProgramRulesChange(models.Model):
    """One save of the rules page: who changed what, and when (shown on the page)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    # {"field": [old, new], ...} with the fields' labels, as the page shows them.
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"Rules changed {self.changed_at:%Y-%m-%d %H:%M} UTC"


class NoShowClearance(models.Model):
    """A program admin lifted a mentee's no-show block for one term.

    No-shows (and counted late cancellations) of sessions that started before `cleared_at` no
    longer count in that term; later ones count again from zero.
    """

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="no_show_clearances")
    term_name = models.CharField(max_length=80, validators=[validate_single_line])
    term_first_day = models.DateField()
    term_last_day = models.DateField()
    no_shows_cleared = models.PositiveSmallIntegerField()
    note = models.TextField(max_length=2000)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cleared_at = models.DateTimeField()

    class Meta:
        ordering = ["-cleared_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="no_show_clearance_has_note"),
            models.CheckConstraint(
                condition=Q(term_last_day__gte=F("term_first_day")), name="no_show_clearance_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"No-shows of {self.mentee} cleared for {self.term_name}"


class NoShowWarning(models.Model):
    """The warning email sent to a mentee one no-show short of the limit: once per term (and
    again after a clearance, which starts the count afresh)."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="no_show_warnings")
    term_first_day = models.DateField()
    # The clearance the count started from (0: none), so a cleared mentee can be warned again.
    after_clearance = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "term_first_day", "after_clearance"], name="no_show_warning_once_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"No-show warning to {self.mentee} ({self.term_first_day})"


class CalendarImport(models.Model):
    """An uploaded iCalendar file: previewed (what it creates and updates), then confirmed once."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255, validators=[validate_single_line])
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What the confirmed import created and updated.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d %b %Y})"


class Announcement(models.Model):
    """A message from a program admin (or a mentor, to their own series) to a group of people.

    Written as a draft (previewed with its recipient count), then sent once: `send_announcement`
    locks the row and only a draft is sent, so a resubmit or a retry never sends twice.
    """

    class Audience(models.TextChoices):
        MENTORS = "mentors", "All mentors"
        MENTEES = "mentees", "All mentees"
        CLASS_YEAR = "class_year", "One class year"
        SUBJECT_TERM = "subject_term", "Attendees of a subject's sessions this term"
        SERIES = "series", "One series' booked mentees"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements_sent")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    class_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    subject = models.ForeignKey("subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements")
    series = models.ForeignKey(
        "review_sessions.ReviewSeries", null=True, blank=True, on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(max_length=150, validators=[validate_single_line])
    body = models.TextField(max_length=5000)
    # Essential messages reach people who opted out of non-essential email (recorded with who and when).
    essential = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # The compose form's one-time key: submitting the same form twice edits one draft, not two.
    form_key = models.CharField(max_length=64, unique=True, validators=[validate_single_line])
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="announcement_sent_has_time"
            ),
            models.CheckConstraint(
                condition=(
                    Q(audience__in=["mentors", "mentees"])
                    | Q(audience="class_year", class_year__isnull=False)
                    | Q(audience="subject_term", subject__isnull=False, term__isnull=False)
                    | Q(audience="series", series__isnull=False)
                ),
                name="announcement_audience_complete",
            ),
            models.CheckConstraint(
                condition=Q(class_year__isnull=True) | Q(class_year__gte=1, class_year__lte=4),
                name="announcement_class_year_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def audience_label(self) -> str:
        if self.audience == self.Audience.CLASS_YEAR:
            return f"Class year MS{self.class_year}"
        if self.audience == self.Audience.SUBJECT_TERM and self.subject and self.term:
            return f"Attendees of {self.subject.name} sessions in {self.term.name}"
        if self.audience == self.Audience.SERIES and self.series:
            return f"Booked mentees of {self.series.title}"
        return self.get_audience_display()


class AnnouncementRecipient(models.Model):
    """One person an announcement went to (or was withheld from, with the reason)."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", "Queued"
        OPTED_OUT = "opted_out", "Not sent: opted out of non-essential email"

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    email = models.ForeignKey(
        "notifications.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} -> {self.user_id}"
