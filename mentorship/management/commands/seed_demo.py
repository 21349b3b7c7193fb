import random
from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.demo import DEMO_ADMIN_TOTP_SECRET, DEMO_DOMAIN, DEMO_PASSWORD, seed_people
from accounts.models import User
from subjects.services import ensure_seed_subjects

# Each app adds its demo data here, in dependency order; every step gets the people made first.
SEED_STEPS: list[str] = [
    "mentorship.demo.seed_matching", "sessions.demo.seed_sessions", "feedback.demo.seed_feedback", "checkin.demo.seed_checkin",
    "program.demo.seed_program", "program.demo_rules.seed_program_rules", "reports.demo.seed_previous_term", "reports.demo.seed_reports", "api.demo.seed_api",
    "teaching.demo.seed_teaching",
]


class Command(BaseCommand):
    help = "Load demo data (once) and print the demo logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")

    def handle(self, *args: str, seed: int, **options: object) -> None:
        ensure_seed_subjects()
        if User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
            self.stdout.write("Demo data already loaded.")
        else:
            rng = random.Random(seed)
            with transaction.atomic():
                people = seed_people(rng)
                for step in SEED_STEPS:
                    import_string(step)(rng, people)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"\nDemo logins (password for all: {DEMO_PASSWORD})\n"
            f"  Program admin:  admin@{DEMO_DOMAIN}  (two-factor code: `manage.py demo_totp`,\n"
            f"                  or add secret {DEMO_ADMIN_TOTP_SECRET} to an authenticator app)\n"
            f"  Mentors:        mentor1@{DEMO_DOMAIN} .. mentor10@{DEMO_DOMAIN}\n"
            f"  Mentees:        mentee1@{DEMO_DOMAIN} .. mentee40@{DEMO_DOMAIN}\n"
            f"\nDemo API token (read + education records; docs at /api/v1/docs, see docs/api.md):\n"
            f"  curl -H 'Authorization: Bearer {import_string('api.demo.DEMO_API_TOKEN')}' \\\n"
            f"       {settings.SITE_URL}/api/v1/occurrences\n"
        )
