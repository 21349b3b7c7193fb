"""Demo people: one program admin, mentors in MS3/MS4, mentees across MS1..MS4."""

import random
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.utils import timezone

from accounts.availability import SLOT_CHOICES
from accounts.class_year import graduation_year_for
from accounts.models import OfferedSubject, User, WantedSubject
from subjects.models import Subject

DEMO_PASSWORD = "mentor-demo-2026"  # noqa: S105 - printed for the demo on purpose
# Program admins must use two-factor authentication; the demo admin's authenticator secret is
# fixed and printed so anyone can add it to an app (or run `manage.py demo_totp`). Demo only.
DEMO_ADMIN_TOTP_SECRET = "DEMOADMINTOTPSECRETJBSWY3DPEHPK3"  # noqa: S105
DEMO_DOMAIN = "demo.edu"

FIRST_NAMES = [
    "Aisha", "Ben", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kara", "Liam",
    "Maya", "Nikhil", "Olivia", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xin",
    "Yara", "Zoe",
]
LAST_NAMES = [
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Iyer", "Jones", "Kim",
    "Lopez", "Moore", "Nguyen", "Okafor", "Patel", "Reyes", "Singh", "Torres", "Wang",
]
SPECIALTIES = ["Internal Medicine", "Surgery", "Pediatrics", "Psychiatry", "Emergency Medicine", ""]


def _person(rng: random.Random, email: str, **fields: Any) -> User:
    user = User.objects.create_user(
        email=email,
        password=DEMO_PASSWORD,
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        onboarded_at=timezone.now(),
        availability=sorted(rng.sample([code for code, _ in SLOT_CHOICES], 5)),
        specialty_interest=rng.choice(SPECIALTIES),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed_people(rng: random.Random) -> dict:
    subjects = list(Subject.objects.active().order_by("name"))
    admin = _person(rng, f"admin@{DEMO_DOMAIN}", is_program_admin=True, is_staff=True)
    TOTP.activate(admin, DEMO_ADMIN_TOTP_SECRET)
    mentors = []
    for i in range(1, 11):
        mentor = _person(
            rng,
            f"mentor{i}@{DEMO_DOMAIN}",
            is_mentor=True,
            graduation_year=graduation_year_for(4 if i <= 7 else 3),
            mentor_capacity=rng.randint(2, 5),
            bio="Happy to walk you through the hard parts.",
        )
        OfferedSubject.objects.bulk_create(
            OfferedSubject(user=mentor, subject=s) for s in rng.sample(subjects, 3)
        )
        mentors.append(mentor)
    mentees = []
    for i in range(1, 41):
        year = 1 if i <= 26 else 2 if i <= 34 else 3 if i <= 38 else 4
        mentee = _person(rng, f"mentee{i}@{DEMO_DOMAIN}", is_mentee=True, graduation_year=graduation_year_for(year))
        WantedSubject.objects.bulk_create(
            WantedSubject(user=mentee, subject=s, rank=rank)
            for rank, s in enumerate(rng.sample(subjects, rng.randint(1, 3)), start=1)
        )
        mentees.append(mentee)
    return {"admin": admin, "mentors": mentors, "mentees": mentees}


def current_demo_totp_code() -> str:
    """The code the demo admin's authenticator app would show right now."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(DEMO_ADMIN_TOTP_SECRET, counters[len(counters) // 2]))
