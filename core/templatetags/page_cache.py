"""`{% kept_per_user "nav" %}...{% end_kept_per_user %}`: the enclosed part of a page rendered once per
person and kept until the data under it changes (core.page_cache.kept_per_user). For what depends
only on who is signed in, such as the menu; never around a form (its CSRF token would be kept)."""

from django import template
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from core.page_cache import kept_per_user

register = template.Library()


class KeptPerUserNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
            return self.nodelist.render(context)
        html = kept_per_user(request, self.name, lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308  # rendered (escaped) by the template  # nosec B308 B703


@register.tag("kept_per_user")
def kept_per_user_tag(parser: Parser, token: Token) -> KeptPerUserNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% kept_per_user "name" %}...{% end_kept_per_user %}')
    nodelist = parser.parse(("end_kept_per_user",))
    parser.delete_first_token()
    return KeptPerUserNode(bits[1][1:-1], nodelist)
