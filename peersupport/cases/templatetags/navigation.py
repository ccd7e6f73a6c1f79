"""The menu says where the person is (aria-current, WCAG 2.4.8 and 1.3.1)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_link(context: template.Context, route: str, label: str) -> SafeString:
    """A menu link, marked as the current page on that page itself."""
    url = reverse(route)
    request = context.get("request")
    if request is not None and request.path == url:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
