"""What a failed submission tells the person: which control to go to, and a page title
that says something went wrong (WCAG 3.3.1, 2.4.2)."""

from typing import Any, cast

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.translation import gettext

register = template.Library()


@register.filter
def error_target(field: BoundField) -> str:
    """The id of the control an error summary's link lands on: a focusable one.

    A group of radio buttons or check boxes is a <div>; its first option takes focus.
    A form may name another control (``error_targets``), e.g. the search box that
    brings up the choices when there are none on the page yet."""
    targets: dict[str, str] = getattr(field.form, "error_targets", {})
    if field.name in targets:
        return targets[field.name]
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


def failed_forms(context: template.Context) -> list[forms.BaseForm]:
    """The forms of the page that were sent with mistakes: any form in the context,
    also one held in a dict or list (a case page passes its step forms as a dict)."""
    found: list[forms.BaseForm] = []
    values: list[Any] = list(context.flatten().values())
    seen: set[int] = set()
    while values:
        value = values.pop()
        if isinstance(value, dict | list | tuple):
            if id(value) not in seen:
                seen.add(id(value))
                values += value.values() if isinstance(value, dict) else value
        elif isinstance(value, forms.BaseForm):
            failed = value.is_bound and value.errors
            if failed and not getattr(value, "searching", False):  # a search is no mistake
                found.append(cast(forms.BaseForm, value))
    return found


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """ "Error: " before the page's title when a form on it was sent with mistakes."""
    return gettext("Error: ") if failed_forms(context) else ""
