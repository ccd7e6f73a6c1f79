from django import template

from peersupport.operations.watchdog import problems

register = template.Library()


@register.inclusion_tag("operations/_watchdog.html")
def watchdog_banner() -> dict[str, object]:
    """At the top of the coordinator's dashboard and the administrator's index: says so
    when reminders or e-mail have stopped, and what to do."""
    return {"problems": problems()}
