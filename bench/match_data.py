"""Bench data for the matching pages: Find a mentor (a mentee) and a round preview (a program admin).

Runs on a database that bench/load_pages.py built (report_large.generate: 200 mentors teaching two
subjects each, MS4, capacities 1-4; 1,500 mentees wanting two subjects each, MS1/MS2; every even
mentee paired once, 300 of them active). What that generator leaves empty and Find a mentor shows,
this fills in: weekly free times, specialty interests and mentor bios (deterministic, so running it
twice writes the same values). It then computes one matching round of every unmatched mentee
through the real service (`mentorship.services.compute_round`, as the Celery task does), which on
that data proposes about 420 pairs, and keeps it as a preview: a second call reuses it.

    from match_data import build_round
    pages = build_round()  # {"find_mentor": ("/matching/", "mentee0@bench.edu"), "round_preview": (...)}

Django must be set up on the bench database first (DJANGO_SETTINGS_MODULE=tests.settings).
"""

SPECIALTIES = ["Internal Medicine", "Surgery", "Pediatrics", "Psychiatry", "Emergency Medicine", ""]
ADMIN_EMAIL = "admin@bench.edu"
MENTEE_EMAIL = "mentee0@bench.edu"


def _slots(seed: int, count: int) -> list[str]:
    """`count` distinct slot codes, spread over the week, chosen by `seed`."""
    from accounts.availability import SLOT_CHOICES

    slots = [code for code, _ in SLOT_CHOICES]
    return sorted({slots[(seed * 5 + k * 7) % len(slots)] for k in range(count)}, key=slots.index)


def fill_profiles() -> None:
    """Free times, specialties and bios for mentors and mentees (idempotent: fixed values per person)."""
    from accounts.models import User

    mentors = list(User.objects.filter(is_mentor=True).order_by("pk"))
    for i, mentor in enumerate(mentors):
        mentor.availability = _slots(i, 2 + i % 5)
        mentor.specialty_interest = SPECIALTIES[i % len(SPECIALTIES)]
        mentor.bio = f"MS4 mentor {i}: I like explaining the hard parts slowly, with diagrams and old exam questions."
    User.objects.bulk_update(mentors, ["availability", "specialty_interest", "bio"], batch_size=500)
    mentees = list(User.objects.filter(is_mentee=True).order_by("pk"))
    for i, mentee in enumerate(mentees):
        mentee.availability = _slots(i * 3 + 1, 2 + i % 6)
        mentee.specialty_interest = SPECIALTIES[(i * 2) % len(SPECIALTIES)]
    User.objects.bulk_update(mentees, ["availability", "specialty_interest"], batch_size=500)


def build_round() -> dict[str, tuple[str, str]]:
    """Fill the profiles and make sure one previewed round of all unmatched mentees exists.

    Returns {"find_mentor": (path, email), "round_preview": (path, email)}: the page to measure and
    the user to sign in as. Safe to call again: profiles get the same values and the round made by
    an earlier call is reused while it is still a preview.
    """
    from django.urls import reverse

    from accounts.models import User
    from mentorship import services
    from mentorship.models import MatchingRound

    fill_profiles()
    admin = User.objects.get(email=ADMIN_EMAIL)
    User.objects.filter(pk=admin.pk).update(is_program_admin=True)
    # The bench admin's unfiltered round still in preview, if an earlier call made one.
    matching_round = (
        MatchingRound.objects.filter(
            created_by=admin, status=MatchingRound.Status.PREVIEW, subject=None, class_year=None
        )
        .order_by("-pk")
        .first()
    )
    if matching_round is None:
        # As services.start_round, without a Celery worker: the task only calls compute_round.
        matching_round = MatchingRound.objects.create(created_by=admin)
        matching_round = services.compute_round(round_id=matching_round.pk)
    return {
        "find_mentor": (reverse("matching:find"), MENTEE_EMAIL),
        "round_preview": (reverse("matching:round", args=[matching_round.pk]), ADMIN_EMAIL),
    }


if __name__ == "__main__":
    import argparse
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from harness import PG

    parser = argparse.ArgumentParser(description="Fill a bench database for the matching pages.")
    parser.add_argument("--db", default="mentorship_bench_load", help="a database bench/load_pages.py built")
    os.environ["DATABASE_URL"] = f"{PG}/{parser.parse_args().db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.urls import resolve

    from mentorship.models import MatchingRound

    for name, (path, email) in build_round().items():
        print(f"{name}: {path} as {email}")
        if name == "round_preview":
            shown = MatchingRound.objects.get(pk=resolve(path).kwargs["pk"])
            print(f"  {len(shown.proposed_pairs)} pairs proposed, {len(shown.unmatched)} mentees unmatched")
