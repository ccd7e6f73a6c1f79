from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peersupport.cases.forms import DateInput
from peersupport.people.models import Department
from peersupport.supporters.models import Absence, Supporter
from peersupport.vocabulary import Approach, EventCategory, Language


class ProfileForm(forms.ModelForm):
    """The supporter's own profile (R-21). The multiple choices are stored as rows."""

    departments_known = forms.ModelMultipleChoiceField(
        label=_("Departments you know well"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience = forms.MultipleChoiceField(
        label=_("Kinds of event you have experience with"),
        choices=EventCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    approach = forms.MultipleChoiceField(
        label=_("How you tend to hold a conversation"),
        choices=Approach.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can talk in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Supporter
        fields = ["phone", "capacity", "listed_in_directory", "departments_known"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supporter = self.instance
        self.fields["capacity"].widget.attrs.update(min=0, max=10)
        self.initial["experience"] = [e.category for e in supporter.experiences.all()]
        self.initial["approach"] = [a.approach for a in supporter.approaches.all()]
        self.initial["languages"] = [x.language for x in supporter.languages.all()]

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity > 10:
            raise forms.ValidationError(_("At most 10 cases at once."))
        return capacity

    def save(self, commit: bool = True) -> Supporter:
        supporter = super().save(commit=True)
        _replace(supporter.experiences, "category", self.cleaned_data["experience"])
        _replace(supporter.approaches, "approach", self.cleaned_data["approach"])
        _replace(supporter.languages, "language", self.cleaned_data["languages"])
        return supporter


def _replace(related: Any, field: str, values: list[str]) -> None:
    related.exclude(**{f"{field}__in": values}).delete()
    existing = set(related.values_list(field, flat=True))
    for value in values:
        if value not in existing:
            related.create(**{field: value})


class AbsenceForm(forms.ModelForm):
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until and including"), widget=DateInput)

    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on"]
