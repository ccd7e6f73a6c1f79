from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.handovers.models import HandOver
from peersupport.widgets import DateInput


class StepForm(forms.Form):
    """What happened with a hand-over, and on which day: choices and a date only."""

    status = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput)

    def __init__(self, *args, hand_over: HandOver, **kwargs) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(s.value, s.label) for s in hand_over.next_statuses()]
