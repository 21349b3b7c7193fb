"""Form fields every app shares."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# The largest primary key a database can hold (a signed 64-bit BigAutoField).
MAX_PRIMARY_KEY = 2**63 - 1


def _refuse_impossible_keys(field: forms.ModelChoiceField, values: Iterable[Any]) -> None:
    """A chosen id that no database row can have is an invalid choice, not a query: SQLite and
    PostgreSQL both raise (overflow, out of range) on a 30-digit number someone posted."""
    for value in values:
        if value in field.empty_values:
            continue
        try:
            number = int(str(value))
        except ValueError:
            continue  # Django's own check turns a non-number into "Select a valid choice"
        if not -MAX_PRIMARY_KEY <= number <= MAX_PRIMARY_KEY:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ModelChoiceField(forms.ModelChoiceField):
    """Django's ModelChoiceField that also refuses, with its usual message, ids beyond any row."""

    def to_python(self, value: Any) -> Any:
        _refuse_impossible_keys(self, [value])
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField that also refuses, with its usual message, ids beyond any row."""

    def _check_values(self, value: Any) -> Any:
        _refuse_impossible_keys(self, value if isinstance(value, list | tuple) else [value])
        return super()._check_values(value)  # type: ignore[misc]  # Django's own hook; django-stubs lacks it


def _attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes exactly as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class WrittenSelect(forms.Select):
    """A <select> written in Python, not with one template render per option: byte for byte the
    markup of Django's select.html and select_option.html (the options, attributes and choice come
    from Django's own get_context), for long option lists on pages shown on every visit (browse's and the report's
    200 mentors). Flat choices only; grouped choices fall back to the templates."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        # The renderer strips the outer template's output; the options' includes keep their newline.
        opening = f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
        return mark_safe(f"{opening}{options}\n</select>")  # noqa: S308  # every part is escaped above  # nosec B308 B703
