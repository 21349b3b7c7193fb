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
    markup of Django's select.html and select_option.html (the same choices, attributes and chosen
    option as Django's optgroups() and create_option() give), for long option lists on pages shown
    on every visit (browse's and the report's 200 mentors). Flat choices only; grouped choices fall
    back to the templates."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = list(self.choices)
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen, found = set(self.format_value(value)), False
        options = []
        for option_value, label in choices:
            option_value = "" if option_value is None else option_value
            text = str(option_value)
            selected = not found and text in chosen
            found |= selected
            options.append(
                f'\n  <option value="{conditional_escape(text)}"{" selected" if selected else ""}>'
                f"{conditional_escape(str(label))}</option>\n"
            )
        # The renderer strips the outer template's output; the options' includes keep their newline.
        opening = f'<select name="{conditional_escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>'
        return mark_safe(f"{opening}{''.join(options)}\n</select>")  # noqa: S308  # every part is escaped above  # nosec B308 B703
