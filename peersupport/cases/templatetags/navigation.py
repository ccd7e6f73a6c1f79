"""The menu says where the person is (aria-current, WCAG 2.4.8 and 1.3.1).

``{% menu %}…{% endmenu %}`` around a menu's ``{% menu_link %}`` items marks one of
them current: the one whose address is the longest beginning of the page's path, so
``/me/data/`` is under "My support" (``/me/``). The home page (``/``) is current only
on itself, not on every page."""

from collections.abc import Iterable

from django import template
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

# The placeholder a link of a menu leaves for the menu to fill in: NUL cannot occur in
# a URL reverse() makes or in the HTML around it.
MARK = "\x00menu-current:{}\x00"
LINKS = "_menu_links"


def current_of(path: str, urls: list[str]) -> str | None:
    """The menu address the page at ``path`` belongs to, if any."""
    if path in urls:
        return path
    under = [url for url in urls if url != "/" and url.endswith("/") and path.startswith(url)]
    return max(under, key=len) if under else None


@register.simple_tag(takes_context=True)
def menu_link(context: template.Context, route: str, label: str) -> SafeString:
    """A menu link; marked as the current page by the menu around it, or, outside a
    menu, on that page itself."""
    url = reverse(route)
    links: list[str] | None = context.get(LINKS)
    if links is not None:
        links.append(url)
        return format_html('<a href="{}"\x00menu-current:{}\x00>{}</a>', url, url, label)
    request = context.get("request")
    if request is not None and request.path == url:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


class MenuNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        links: list[str] = []
        with context.push({LINKS: links}):
            html = str(self.nodelist.render(context))
        request = context.get("request")
        current = current_of(request.path, links) if request is not None else None
        for url in links:  # one current item, even if an address is in the menu twice
            mark = ' aria-current="page"' if url == current else ""
            html = html.replace(MARK.format(escape(url)), mark, 1)
            current = None if mark else current
        return html


@register.tag
def menu(parser: template.base.Parser, token: template.base.Token) -> MenuNode:
    """A menu whose one current item is the longest match of the page's path."""
    nodelist = parser.parse(("endmenu",))
    parser.delete_first_token()
    return MenuNode(nodelist)


@register.filter
def announced_as(messages: Iterable[Message], role: str) -> list[Message]:
    """The messages a live region of that role announces (WCAG 4.1.3): warnings and
    errors interrupt ("alert"), the others wait their turn ("status")."""
    alert = role == "alert"
    return [m for m in messages if (m.level >= constants.WARNING) == alert]
