"""The intake forms. Each ends in ``intake.submit``; none has a free-text field."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from peersupport.cases import dates
from peersupport.cases.constants import Channel, EventCategory
from peersupport.cases.search import Unaccent, plain
from peersupport.intake.intake import Intake
from peersupport.people.models import Department, Employee, User
from peersupport.supporters.models import Supporter
from peersupport.widgets import DateInput

REFERRER_CHANNELS = [
    (c.value, c.label)
    for c in (
        Channel.COLLEAGUE,
        Channel.COMPLAINTS_OFFICER,
        Channel.COMPLAINTS_COMMITTEE,
        Channel.LAWYER,
    )
]
PROACTIVE_CHANNELS = [(c.value, c.label) for c in (Channel.COORDINATOR, Channel.CALAMITY_GROUP)]
SEARCH_LIMIT = 20


def event_date_rule(value: date) -> None:
    """The event's date rules of ``cases.dates``, the same for every channel."""
    dates.check_event_date(value)


class AffectedEmployeesForm(forms.Form):
    """Common to every form that names affected employees: a search box, the matches
    as checkboxes, and the chosen ones kept across searches."""

    # The check boxes exist only after a search: an error about them sends the
    # person to the search box (see the error summary's error_target).
    error_targets = {"employees": "id_q"}

    q = forms.CharField(
        label=_("Find an employee by name or staff number"), required=False, max_length=100
    )
    employees = forms.ModelMultipleChoiceField(
        label=_("Affected employees"),
        queryset=Employee.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("That employee is unknown or no longer employed.")},
    )
    # No preselected category: a calamity chosen by not looking would make the offer mandatory.
    category = forms.ChoiceField(
        label=_("What kind of event?"),
        choices=[("", _("Choose a category")), *EventCategory.choices],
    )
    event_date = forms.DateField(
        label=_("Date of the event"), widget=DateInput, validators=[event_date_rule]
    )
    department = forms.ModelChoiceField(
        label=_("Department where it happened"),
        queryset=Department.objects.filter(is_active=True),
        empty_label=_("Choose a department"),
        error_messages={"invalid_choice": _("That department is unknown.")},
    )

    def __init__(self, *args: Any, searching: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pressing "search" must not show errors on fields nobody has filled in yet.
        self.searching = searching

    def full_clean(self) -> None:
        super().full_clean()
        if self.searching:
            self._errors = forms.utils.ErrorDict()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.searching and not data.get("employees") and "employees" not in self.errors:
            self.add_error("employees", _("Choose at least one employee."))
        return data

    def candidates(self) -> QuerySet[Employee]:
        """The employees to offer as checkboxes: those chosen so far and the search matches."""
        chosen = [v for v in self._chosen() if v.isdigit()]
        query = (self.data.get("q", "") if self.is_bound else "").strip()
        match = Q(pk__in=chosen)
        if len(query) >= 2:
            match |= Q(plain_name__contains=plain(query).lower()) | Q(staff_number__iexact=query)
        if not chosen and len(query) < 2:
            return Employee.objects.none()
        return (
            Employee.objects.annotate(plain_name=Lower(Unaccent("name")))
            .filter(match, is_active=True)
            .select_related("department", "function")
            .order_by("name")[: SEARCH_LIMIT + len(chosen)]
        )

    def _chosen(self) -> list[str]:
        if not self.is_bound:
            return []
        return [str(v) for v in self.data.getlist("employees")]  # type: ignore[attr-defined]

    def chosen_ids(self) -> set[str]:
        return set(self._chosen())

    def intake(self, channel: Channel, user: User, **extra: Any) -> Intake:
        data = self.cleaned_data
        return Intake(
            channel=channel,
            category=EventCategory(data["category"]),
            event_date=data["event_date"],
            department=data["department"],
            employees=list(data["employees"]),
            referred_by=user,
            **extra,
        )


class ColleagueReferralForm(AffectedEmployeesForm):
    """A colleague, complaints officer or committee, or lawyer refers."""

    channel = forms.ChoiceField(
        label=_("You are"), choices=REFERRER_CHANNELS, widget=forms.RadioSelect
    )


class ManagerReferralForm(AffectedEmployeesForm):
    discussed_with_employee = forms.TypedChoiceField(
        label=_("Did you discuss this request with the employee?"),
        choices=[("yes", _("Yes")), ("no", _("No, not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ProactiveForm(AffectedEmployeesForm):
    """The coordinator or the calamity advisory group: one event, several employees."""

    channel = forms.ChoiceField(
        label=_("Registered by"), choices=PROACTIVE_CHANNELS, widget=forms.RadioSelect
    )
    serious_incident = forms.BooleanField(label=_("Serious incident report"), required=False)
    reported_to_inspectorate = forms.BooleanField(
        label=_("Reported to the inspectorate"), required=False
    )


class SelfRequestForm(forms.Form):
    """ "I would like to talk to someone": as few questions as possible."""

    supporter = forms.ModelChoiceField(
        label=_("Who would you like to talk to?"),
        queryset=Supporter.objects.in_directory(),
        required=False,
        empty_label=_("Let the coordinator choose someone for me"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("That supporter can no longer be chosen.")},
    )
    category = forms.ChoiceField(
        label=_("What was it about?"),
        choices=[
            *EventCategory.choices[:-1],
            (EventCategory.OTHER, _("Something else, or I'd rather not say")),
        ],
        initial=EventCategory.OTHER,
        widget=forms.RadioSelect,
    )
    event_date = forms.DateField(
        label=_("When did it happen? An estimate is fine."),
        widget=DateInput,
        validators=[event_date_rule],
    )

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        field = self.fields["supporter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Supporter.objects.in_directory()
            .exclude(employee=employee)
            .select_related("employee__function", "employee__department")
        )

    def intake(self, user: User) -> Intake:
        data = self.cleaned_data
        supporter = data["supporter"]
        return Intake(
            channel=Channel.SELF_DIRECTORY if supporter else Channel.SELF_COORDINATOR,
            category=EventCategory(data["category"]),
            event_date=data["event_date"],
            department=self.employee.department,
            employees=[self.employee],
            referred_by=user,
            requested_supporter=supporter,
        )
