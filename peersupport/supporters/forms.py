from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.people import phones
from peersupport.people.models import Department, Function
from peersupport.supporters.models import (
    Absence,
    IntervisionMeeting,
    MeetingPlace,
    Refresher,
    Supporter,
    SupporterQuerySet,
)
from peersupport.supporters.photos import clean_photo
from peersupport.vocabulary import Approach, EventCategory, Language
from peersupport.widgets import DateInput, LongSelect


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

    def clean_phone(self) -> str:
        return phones.normalise(self.cleaned_data["phone"])

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


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))

    def clean_photo(self) -> ContentFile:
        return clean_photo(self.cleaned_data["photo"])


class DirectoryFilter(forms.Form):
    function = forms.ModelChoiceField(
        label=_("Function"),
        queryset=Function.objects.all(),
        required=False,
        empty_label=_("Any"),
        widget=LongSelect,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any"),
        widget=LongSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *Language.choices], required=False
    )

    def apply(self, supporters: SupporterQuerySet) -> SupporterQuerySet:
        if not self.is_valid():
            return supporters
        data = self.cleaned_data
        if data.get("function"):
            supporters = supporters.filter(employee__function=data["function"])
        if data.get("department"):
            supporters = supporters.filter(
                Q(employee__department=data["department"]) | Q(departments_known=data["department"])
            ).distinct()
        if data.get("language"):
            supporters = supporters.filter(languages__language=data["language"])
        return supporters


class MeetingForm(forms.ModelForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput)

    class Meta:
        model = IntervisionMeeting
        fields = ["held_on", "place"]


class PlaceForm(forms.ModelForm):
    """A room added to the list of meeting places."""

    class Meta:
        model = MeetingPlace
        fields = ["label"]


class TrainingForm(forms.ModelForm):
    trained_on = forms.DateField(
        label=_("One-day training completed on"), widget=DateInput, required=False
    )

    class Meta:
        model = Supporter
        fields = ["trained_on"]

    def clean_trained_on(self) -> object:
        value = self.cleaned_data["trained_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A training cannot be completed in the future."))
        return value


class RefresherForm(forms.ModelForm):
    completed_on = forms.DateField(label=_("Refresher training completed on"), widget=DateInput)

    class Meta:
        model = Refresher
        fields = ["completed_on"]

    def clean_completed_on(self) -> object:
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A training cannot be completed in the future."))
        return value
