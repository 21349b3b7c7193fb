"""Forms of the program pages: the shape of the input only; the bounds live in program.services."""

from django import forms

from program.models import ProgramRules


class ProgramRulesForm(forms.Form):
    no_show_limit = forms.IntegerField(
        required=False,
        label="No-show limit per term",
        help_text="After this many no-shows in a term, new bookings are refused until an admin clears them. "
        "Excused absences never count. Empty: off.",
    )
    late_cancellation_counts_as_no_show = forms.BooleanField(
        required=False, label="Late cancellations count as no-shows"
    )
    weekly_booking_cap = forms.IntegerField(
        required=False,
        label="Weekly booking cap",
        help_text="Most sessions one mentee may have booked in one week (Monday to Sunday). Empty: no cap.",
    )
    waitlist_mode = forms.ChoiceField(choices=ProgramRules.WaitlistMode.choices, widget=forms.RadioSelect)
    offer_hold_hours = forms.IntegerField(
        label="Offer hold (hours)",
        help_text="In offer mode, how long a freed seat is held for the first in line (1 to 72); "
        "shortened automatically close to the start.",
    )

    @classmethod
    def for_rules(cls, rules: ProgramRules) -> "ProgramRulesForm":
        return cls(
            initial={
                "no_show_limit": rules.no_show_limit,
                "late_cancellation_counts_as_no_show": rules.late_cancellation_counts_as_no_show,
                "weekly_booking_cap": rules.weekly_booking_cap,
                "waitlist_mode": rules.waitlist_mode,
                "offer_hold_hours": rules.offer_hold_hours,
            }
        )
