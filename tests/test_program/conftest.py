from datetime import UTC, datetime

import pytest
import time_machine

# The program's tests name real dates (the spring 2027 term, its DST change): they run on 1 December 2026.
PROGRAM_TESTS_NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _on_the_first_of_december_2026():
    with time_machine.travel(PROGRAM_TESTS_NOW, tick=True):
        yield
