"""The one domain error. Every rule of the program that says no raises a precisely named subclass.

Views never build their own refusal: they catch ApplicationError and call core.views.refuse(),
which shows the message on the form (on `field` when the form has it) with status 400.
"""


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
