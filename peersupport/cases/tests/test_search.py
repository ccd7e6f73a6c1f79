"""Finding an employee by name ignores accents and case, on every database."""

from urllib.parse import urlencode

from django.http import QueryDict

from peersupport.cases.search import plain
from peersupport.intake.forms import ManagerReferralForm
from peersupport.people.models import Employee
from peersupport.test import BaseTestCase


class AccentInsensitiveSearchTests(BaseTestCase):
    def found(self, query: str) -> list[str]:
        form = ManagerReferralForm(QueryDict(urlencode({"q": query})), searching=True)
        return [e.name for e in form.candidates()]

    def test_noelle_finds_noelle_with_its_diaeresis_and_the_other_way_round(self) -> None:
        Employee.objects.create(
            staff_number="N-1", name="Noëlle Çelik", department=self.ward, function=self.nurse
        )
        Employee.objects.create(
            staff_number="N-2", name="Noelle Jansen", department=self.ward, function=self.nurse
        )
        assert self.found("noelle") == ["Noelle Jansen", "Noëlle Çelik"]
        assert self.found("NOËLLE") == ["Noelle Jansen", "Noëlle Çelik"]
        assert self.found("celik") == ["Noëlle Çelik"]
        assert self.found("coördinator") == ["Alice Coördinator"]

    def test_plain_takes_off_marks_only(self) -> None:
        assert plain("Noëlle Çelik-Ångström") == "Noelle Celik-Angstrom"
