"""The long lists of a matching round's preview, written in Python rather than in the template.

A round proposes hundreds of pairs (420 in the bench data, thousands in a large school) and lists
every mentee it left unmatched; the preview shows them a page of 100 at a time. Rendered by the template language each row cost about 60 us of
variable lookups, `{% url %}`, `floatformat` and `{% csrf_token %}`, most of the page's time; the
rows here are the same markup, escaped the same way (html.escape, as the template's autoescape),
with one reverse() per round, one form (one CSRF input) per page and one floatformat per distinct score.
"""

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from django import template
from django.core.paginator import Page
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from mentorship.models import MatchingRound

register = template.Library()

_KEEP = ("0", "btn-outline-secondary", "Keep")
_DROP = ("1", "btn-outline-danger", "Drop")


def _pair_action_prefix(matching_round: MatchingRound) -> str:
    """The Keep/Drop URL of the round's pairs without the mentee id: reverse() once, not per row."""
    sample = reverse("matching:round_pair", args=[matching_round.pk, 0])
    if not sample.endswith("/0/"):  # the URL pattern changed shape: better a loud error than wrong links
        raise ValueError(f"unexpected round_pair URL {sample!r}")
    return sample[: -len("0/")]


@register.simple_tag
def proposed_pair_rows(matching_round: MatchingRound, pairs: Page[Any]) -> SafeString:
    """The <tr> of each proposed pair on the page `pairs`: mentor, mentee, fit, why, and in a preview
    the Keep/Drop button, which submits the table's one form (its CSRF token and page number) to
    that pair's URL."""
    editable = matching_round.status == MatchingRound.Status.PREVIEW
    prefix = _pair_action_prefix(matching_round) if editable else ""
    scores: dict[Any, str] = {}
    rows = []
    for pair in pairs:
        mentor, mentee = escape(str(pair["mentor_name"])), escape(str(pair["mentee_name"]))
        score = scores.get(pair["score"])
        if score is None:
            score = scores[pair["score"]] = conditional_escape(floatformat(pair["score"], "2"))
        struck = ' class="text-decoration-line-through text-body-secondary"' if pair.get("dropped") else ""
        row = (
            f"<tr{struck}><td>{mentor}</td><td>{mentee}</td><td>{score}</td>"
            f'<td class="small">{escape(str(pair["reasons"]))}</td>'
        )
        if editable:
            value, style, verb = _KEEP if pair.get("dropped") else _DROP
            row += (
                f'<td><button type="submit" formaction="{escape(prefix + str(pair["mentee_id"]))}/" name="dropped" '
                f'value="{value}" class="btn btn-sm {style}" aria-label="{verb} {mentor} with {mentee}">{verb}</button></td>'
            )
        rows.append(row + "</tr>\n")
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped  # nosec B308 B703


@register.simple_tag
def unmatched_items(unmatched: Iterable[Mapping[str, Any]]) -> SafeString:
    """The <li> of every mentee the round left unmatched, with the reason."""
    return mark_safe(  # noqa: S308 - every value is escaped  # nosec B308 B703
        "".join(
            f'<li class="list-group-item"><strong>{escape(str(item["mentee_name"]))}</strong>: '
            f"{escape(str(item['reason']))}</li>"
            for item in unmatched
        )
    )
