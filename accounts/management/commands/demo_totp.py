from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ADMIN_TOTP_SECRET, DEMO_DOMAIN, current_demo_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo program admin (demo data only)."
    # The system checks import every URLconf and so every view (SciPy, the API's schema): seconds
    # of work for a command that reads neither the database nor a URL.
    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(
            f"admin@{DEMO_DOMAIN} authenticator code now: {current_demo_totp_code()} "
            f"(secret {DEMO_ADMIN_TOTP_SECRET}; codes change every 30 seconds)"
        )
