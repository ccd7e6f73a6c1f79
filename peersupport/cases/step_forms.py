"""What a supporter records in a case: choices and moments only (R-10, R-13).

Each form reads its own fields and nothing else, so fields posted beyond them
change nothing."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.cases.constants import (
    CLOSURE_REASONS,
    ConversationMode,
    CorrectionReason,
    ReferralRoute,
    ReferralType,
)
from peersupport.cases.models import MAX_CONVERSATIONS
from peersupport.widgets import DateInput, TimeInput


class MomentAndModeForm(forms.Form):
    """A moment (day and time, in the organisation's time zone) and how: the base of
    the offer and of a conversation planned or held. ``clean`` adds ``at``."""

    day = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput)
    mode = forms.ChoiceField(
        label=_("How"), choices=ConversationMode.choices, widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("time"):
            # The organisation's time zone; zoneinfo resolves daylight saving.
            data["at"] = timezone.make_aware(datetime.combine(data["day"], data["time"]))
        return data


class ConversationForm(MomentAndModeForm):
    number = forms.TypedChoiceField(
        label=_("Conversation"),
        choices=[(n, str(n)) for n in range(1, MAX_CONVERSATIONS + 1)],
        coerce=int,
    )
    field_order = ["number", "day", "time", "mode"]


class OfferForm(MomentAndModeForm):
    """The supporter reached the employee and offered support: when, and how."""


class ProfessionalHelpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Referred to"), choices=ReferralType.choices, widget=forms.RadioSelect
    )
    route = forms.ChoiceField(
        label=_("Via"), choices=ReferralRoute.choices, widget=forms.RadioSelect
    )
    consent = forms.TypedChoiceField(
        label=_("Did the employee agree?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CorrectionForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the last step taken back?"),
        choices=CorrectionReason.choices,
        widget=forms.RadioSelect,
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the support end?"),
        choices=[(r.value, r.label) for r in CLOSURE_REASONS],
        widget=forms.RadioSelect,
    )
