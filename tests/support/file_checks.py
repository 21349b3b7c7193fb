"""What the checks of an uploaded file (a roster, exam results) share: problems listed by line."""

from collections.abc import Iterable
from typing import Any


def assert_problems_on_lines(problems: Iterable[Any], expected: dict[int, str]) -> None:
    """The problems are on exactly the expected lines, and each line's reason contains its expected words."""
    reasons = {problem.line: problem.reason for problem in problems}
    assert sorted(reasons) == sorted(expected)
    assert {line: reason for line, reason in reasons.items() if expected[line] not in reason} == {}
