"""Demo data: one API token with a fixed, printed value, so a newcomer can try the API at once
(`bin/run` prints it with the demo logins). Demo only: a real school creates its tokens on the page."""

import random

from api.models import ApiToken
from api.services import hash_token

DEMO_API_TOKEN = "pm_00000000de30_demo-only-printed-by-seed_demo-not-a-secret"  # noqa: S105 - printed on purpose


def seed_api(rng: random.Random, people: dict) -> ApiToken:
    return ApiToken.objects.create(
        name="Demo integration", access=ApiToken.Access.READ, education_records=True,
        prefix=DEMO_API_TOKEN.split("_")[1], secret_hash=hash_token(DEMO_API_TOKEN), created_by=people["admin"],
    )  # fmt: skip
