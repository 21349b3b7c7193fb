"""The one domain error. Every rule of the program that says no raises a precisely named subclass.

Views never build their own refusal: they catch ApplicationError and call core.views.show_refusal()
(or core.views.run_service()), which shows the message on the form (on `field` when the form has it);
the page answers 400 (core.views.render_form_page).
"""

import re
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model


class ApplicationError(Exception):
    """A rule of the program refused the action; `message` is written for the person who asked.

    `field` names the form field the message belongs to, if any.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidValue(ApplicationError):
    """A value the model refuses (its validators, lengths, choices or constraints), caught by the
    service's last check before it saves: clean_or_refuse()."""


def clean_or_refuse(obj: Model, refusal: type[ApplicationError] = InvalidValue, *, exclude: Iterable[str] = ()) -> None:
    """`obj.full_clean()`, its first problem raised as `refusal(message, field=...)`: whatever a form let
    through (or a caller without a form sent) is a message on the page, never a server error."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as problem:
        field, texts = next(iter(problem.message_dict.items()))
        text = " ".join(_CONSTRAINT.sub(lambda m: f"These values break the rule “{m[1].replace('_', ' ')}”.", t) for t in texts)
        raise refusal(text, field=None if field == NON_FIELD_ERRORS else field) from None


# Django's message for a violated constraint without its own violation_error_message.
_CONSTRAINT = re.compile(r"^Constraint “([^”]+)” is violated\.$")
