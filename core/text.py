"""Single-line text (titles, names, rooms, subjects, exam names): one line, no control characters.

A browser's text box cannot send a line break, but a direct POST, an import or the Django admin can;
a CR/LF in a title then breaks the calendar feeds (RFC 5545 lines) and email headers. Every app's
single-line model field uses `validate_single_line`, every form field `SingleLineField`, and code that
writes text someone else stored (feeds, subjects of emails) passes it through `single_line()`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

# C0 and C1 control characters (CR, LF, NUL, ESC, NEL...) and the Unicode line/paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_RUNS = re.compile(CONTROL_CHARACTERS.pattern + "+")
SINGLE_LINE_MESSAGE = "Use one line of text, without line breaks or control characters."


def validate_single_line(value: str) -> None:
    """Model and form validator: refuse a value with a line break or another control character."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def single_line(value: str) -> str:
    """`value` as one clean line: each run of control characters (a CR/LF too) becomes one space."""
    return _CONTROL_RUNS.sub(" ", value or "").strip()


class SingleLineField(forms.CharField):
    """A form's one-line text field: refuses line breaks and control characters with a message."""

    default_validators = [validate_single_line]
