"""Ranking by fit, with reasons, and the supporters never suggested (R-5, R-6)."""

from datetime import date, timedelta

from django.test import override_settings
from django.utils import timezone

from peersupport.cases.constants import EventCategory, Reason
from peersupport.cases.models import Case
from peersupport.people.models import Employee, Role, User
from peersupport.supporters.models import Supporter
from peersupport.test import BaseTestCase
from peersupport.vocabulary import Approach, Language
from peersupport.workspace.matching import candidates, rank


class MatchingTestCase(BaseTestCase):
    def setUp(self) -> None:
        # Erin is a nurse on the ward; the event happened on the ICU.
        self.case = self.open_case(category=EventCategory.AGGRESSION)
        self.case.event.department = self.icu
        self.case.event.save()

    def make_supporter(self, name: str, **employee: object) -> Supporter:
        user = User.objects.create_user(name.lower())
        user.roles.create(role=Role.SUPPORTER)
        fields = {"department": self.ward, "function": self.doctor, **employee}
        person = Employee.objects.create(staff_number=f"S-{name}", name=name, user=user, **fields)
        return Supporter.objects.create(employee=person, trained_on=date(2025, 1, 1))

    def names(self, case: Case | None = None) -> set[str]:
        return {s.employee.name for s in candidates(case or self.case)}

    def suggestion(self, supporter: Supporter) -> list[str]:
        return next(s.reasons for s in rank(self.case) if s.supporter == supporter)


class ExclusionTests(MatchingTestCase):
    def test_the_trained_available_supporters_are_suggested(self) -> None:
        assert self.names() == {"Bob Supporter", "Charlie Supporter"}

    def test_absent_in_the_coming_72_hours_is_not_suggested(self) -> None:
        today = timezone.localdate()
        self.bob_supporter.absences.create(
            starts_on=today + timedelta(days=2), ends_on=today + timedelta(days=9)
        )
        self.charlie_supporter.absences.create(
            starts_on=today + timedelta(days=5), ends_on=today + timedelta(days=9)
        )
        assert self.names() == {"Charlie Supporter"}

    def test_an_absence_that_ended_yesterday_does_not_count(self) -> None:
        today = timezone.localdate()
        self.bob_supporter.absences.create(
            starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1)
        )
        assert "Bob Supporter" in self.names()

    def test_at_capacity_is_not_suggested(self) -> None:
        self.bob_supporter.capacity = 1
        self.bob_supporter.save()
        other = self.open_case(employee=self.olga)
        other.assign(self.bob_supporter, by=self.alice_user)
        assert self.names() == {"Charlie Supporter"}
        other.record_offer(mode="phone", by=self.bob_user)
        other.decline(by=self.olga_user)  # a closed or declined case frees the place
        assert "Bob Supporter" in self.names()

    def test_not_trained_or_inactive_or_without_account_is_not_suggested(self) -> None:
        untrained = self.make_supporter("Ulla")
        untrained.trained_on = None
        untrained.save()
        inactive = self.make_supporter("Ivo")
        inactive.is_active = False
        inactive.save()
        no_account = self.make_supporter("Nora")
        no_account.employee.user.is_active = False  # type: ignore[union-attr]
        no_account.employee.user.save()  # type: ignore[union-attr]
        assert self.names() == {"Bob Supporter", "Charlie Supporter"}

    def test_someone_involved_in_the_same_event_is_not_suggested(self) -> None:
        Case.open_for(request=self.case.request, employee=self.bob, by=None)
        assert self.names() == {"Charlie Supporter"}

    def test_the_employee_themself_is_not_suggested(self) -> None:
        case = self.open_case(employee=self.charlie)
        assert self.names(case) == {"Bob Supporter"}

    def test_the_employees_own_manager_is_not_suggested(self) -> None:
        self.erin.manager = self.charlie
        self.erin.save()
        self.case.refresh_from_db()
        assert self.names() == {"Bob Supporter"}

    def test_a_supporter_the_employee_declined_is_not_suggested_again_for_this_case(self) -> None:
        third = self.make_supporter("Dirk")
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.case.reassign(
            self.charlie_supporter, reason=Reason.EMPLOYEE_PREFERENCE, by=self.alice_user
        )
        self.case.refresh_from_db()
        # Bob was declined; Charlie is the current supporter; Dirk is left.
        assert self.names() == {third.employee.name}
        # For another case of Erin's, Bob is fine again.
        assert "Bob Supporter" in self.names(
            self.open_case(employee=self.erin, event_date=date(2026, 2, 1))
        )

    def test_a_reassignment_for_another_reason_does_not_exclude(self) -> None:
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.case.reassign(
            self.charlie_supporter, reason=Reason.SUPPORTER_UNAVAILABLE, by=self.alice_user
        )
        self.case.refresh_from_db()
        assert self.names() == {"Bob Supporter"}


class ReasonTests(MatchingTestCase):
    def test_the_same_function_is_a_reason(self) -> None:
        nurse = self.make_supporter("Nina", function=self.nurse, department=self.icu)
        assert "Same function: Verpleegkundige" in self.suggestion(nurse)

    def test_a_close_profession_is_a_reason(self) -> None:
        from peersupport.people.models import Function, ProfessionGroup

        ic_nurse = Function.objects.create(
            code="IC-VPK", name="IC-verpleegkundige", group=ProfessionGroup.NURSING
        )
        close = self.make_supporter("Carla", function=ic_nurse)
        reasons = self.suggestion(close)
        assert "Close profession: Nursing and care" in reasons
        assert not any(r.startswith("Same function") for r in reasons)

    def test_knowing_the_department_is_a_reason(self) -> None:
        outside = self.make_supporter("Otto", department=self.icu)
        assert "Knows the department: Intensive Care" in self.suggestion(outside)
        from peersupport.people.models import Department

        lab = Department.objects.create(code="LAB", name="Laboratorium")
        knows = self.make_supporter("Kees", department=lab)
        assert not any(r.startswith("Knows") for r in self.suggestion(knows))
        knows.departments_known.add(self.icu)
        assert "Knows the department: Intensive Care" in self.suggestion(knows)

    def test_experience_with_this_kind_of_event_is_a_reason(self) -> None:
        self.bob_supporter.experiences.create(category=EventCategory.AGGRESSION)
        self.charlie_supporter.experiences.create(category=EventCategory.COMPLAINT)
        assert "Experience with: Aggression" in self.suggestion(self.bob_supporter)
        assert not any(r.startswith("Experience") for r in self.suggestion(self.charlie_supporter))

    def test_wanted_approach_and_language_are_reasons(self) -> None:
        self.bob_supporter.approaches.create(approach=Approach.PRACTICAL)
        self.bob_supporter.languages.create(language=Language.ENGLISH)
        ranked = rank(self.case, approaches=[Approach.PRACTICAL], languages=[Language.ENGLISH])
        bob = next(s for s in ranked if s.supporter == self.bob_supporter)
        assert "Approach: Practical and solution-minded" in bob.reasons
        assert "Speaks English" in bob.reasons
        assert ranked[0].supporter == self.bob_supporter

    def test_current_load_is_shown_and_counts_against(self) -> None:
        self.open_case(employee=self.olga).assign(self.bob_supporter, by=self.alice_user)
        ranked = rank(self.case)
        assert [s.supporter for s in ranked] == [self.charlie_supporter, self.bob_supporter]
        assert "Current load: 1 of 3" in ranked[1].reasons
        assert ranked[0].score - ranked[1].score == 5

    def test_a_tie_goes_to_the_lower_load(self) -> None:
        self.bob_supporter.experiences.create(category=EventCategory.AGGRESSION)
        self.open_case(employee=self.olga).assign(self.bob_supporter, by=self.alice_user)
        with override_settings(
            MATCHING_WEIGHTS={**_weights(), "experience": 0, "per_open_case": 0}
        ):
            ranked = rank(self.case)
        assert ranked[0].score == ranked[1].score
        assert [s.supporter for s in ranked] == [self.charlie_supporter, self.bob_supporter]

    def test_the_weights_are_settings(self) -> None:
        nurse = self.make_supporter("Nina", function=self.nurse, department=self.icu)
        with override_settings(
            MATCHING_WEIGHTS={**_weights(), "same_function": 7, "knows_department": 0}
        ):
            suggestion = next(s for s in rank(self.case) if s.supporter == nurse)
        assert suggestion.score == 7


def _weights() -> dict[str, int]:
    from django.conf import settings

    return dict(settings.MATCHING_WEIGHTS)
