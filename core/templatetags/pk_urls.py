"""`{% pk_url "sessions:occurrence" occ.pk %}`: `{% url %}` for a route whose one argument is an
`<int:pk>`, at a small part of the cost in a long list (a page of 60 rows reversed 100 URLs).

The route is reversed once per process with a marker id and the URL is then the part before the
marker, the id, and the part after: the same string reverse() gives, since an int converter
writes the number as it is. The script prefix and URLconf are part of the key, as they are of
reverse().
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_MARKER = 918273645546372819


@lru_cache(maxsize=512)
def _around_the_id(name: str, prefix: str, urlconf: str | None) -> tuple[str, str] | None:
    parts = reverse(name, args=[_MARKER], urlconf=urlconf).split(str(_MARKER))
    return (parts[0], parts[1]) if len(parts) == 2 else None


def pk_url_of(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a route with one `<int:pk>`."""
    around = _around_the_id(name, get_script_prefix(), get_urlconf())
    if around is None or not isinstance(pk, int):
        return reverse(name, args=[pk])
    return f"{around[0]}{pk}{around[1]}"


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    return pk_url_of(name, pk)
