"""Form fields every app shares."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
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


class PlainSelect(forms.Select):
    """A <select> whose options are written in Python, not through one template render each: the
    same markup (name, attributes, the chosen option `selected`) at a small part of the cost, for
    long option lists on pages shown on every visit (browse's 200 mentors). Flat choices only."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # noqa: S308  # every part escaped above
        )
