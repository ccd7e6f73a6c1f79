"""HR's home page counts its open hand-overs through this tag, so `people` (whose view
renders the home page) needs no import of this app: the import contracts forbid it."""

from django import template

from peersupport.handovers.access import hand_overs_for
from peersupport.people.models import User

register = template.Library()


@register.simple_tag
def open_hand_overs(user: User) -> int:
    """How many hand-overs this person may follow up that are still open."""
    return hand_overs_for(user).open().count()
