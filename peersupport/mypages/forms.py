"""The employee's own form on /me/."""

from typing import Any

from django import forms

from peersupport.people import phones
from peersupport.people.models import CallTime, Employee


class CallPreferenceForm(forms.ModelForm):
    """On /me/: the number and the part of the day the employee would rather be
    called at. Choices and a number only; nothing else can be written."""

    class Meta:
        model = Employee
        fields = ["preferred_phone", "preferred_call_time"]
        widgets = {"preferred_call_time": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phone = self.fields["preferred_phone"].widget
        assert isinstance(phone, forms.TextInput)
        phone.input_type = "tel"  # one type attribute: a phone's number pad
        phone.attrs.update(autocomplete="tel", inputmode="tel")
        when = self.fields["preferred_call_time"]
        assert isinstance(when, forms.ChoiceField)
        when.choices = list(CallTime.choices)  # no "---------" radio button

    def clean_preferred_phone(self) -> str:
        return phones.normalise(self.cleaned_data["preferred_phone"])
