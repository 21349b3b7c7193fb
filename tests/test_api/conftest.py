import pytest

from api.services import create_token
from tests.factories import ProgramAdminFactory


@pytest.fixture
def make_token(db):
    """make_token(access="read", education_records=False, name=...) -> (ApiToken, Authorization headers)."""

    def make(*, access: str = "read", education_records: bool = False, name: str = ""):
        admin = ProgramAdminFactory()
        token, raw = create_token(
            name=name or f"{access}{'+records' if education_records else ''} integration", access=access,
            education_records=education_records, created_by=admin,
        )  # fmt: skip
        return token, {"Authorization": f"Bearer {raw}"}

    return make
