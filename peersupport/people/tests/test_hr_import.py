"""The HR import: line-numbered errors that change nothing, the shapes people export,
and re-imports that do exactly what changed (R-28)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from peersupport.people.hr_import import import_csv
from peersupport.people.models import Department, Employee, Function
from peersupport.test import PASSWORD, BaseTestCase

HEADER = "staff_number,name,email,phone,department_code,department_name,function_code,function_name,manager_staff_number\n"
GOOD = (
    HEADER
    + "1001,Anna de Vries,anna@hospital.test,030 2001001,SEH,Spoedeisende Hulp,VPK,Verpleegkundige,\n"
    + "1002,Bram Jansen,bram@hospital.test,030 2001002,SEH,Spoedeisende Hulp,VPK,Verpleegkundige,1001\n"
    + '1003,"Yilmaz, Cem",cem@hospital.test,,LAB,Laboratorium,ANL,Analist,1001\n'
)


def rows() -> tuple[int, int, int]:
    return Employee.objects.count(), Department.objects.count(), Function.objects.count()


class ImportTests(BaseTestCase):
    def test_a_clean_file_imports_departments_functions_employees_and_managers(self) -> None:
        report = import_csv(GOOD.encode())
        assert report.ok and report.created == ["1001", "1002", "1003"]
        cem = Employee.objects.get(staff_number="1003")
        assert (cem.name, cem.department.code, cem.function.name, cem.manager.staff_number) == (  # type: ignore[union-attr]
            "Yilmaz, Cem",
            "LAB",
            "Analist",
            "1001",
        )
        assert set(report.departments_created) == {"SEH", "LAB"}

    def test_excel_in_dutch_semicolons_bom_and_dutch_headers_import(self) -> None:
        dutch = (
            "\ufeffPersoneelsnummer;Naam;E-mail;Telefoon;Afdelingscode;Afdeling;Functiecode;Functie;Leidinggevende\r\n"
            '2001;"Jong; de, Piet";piet@hospital.test;;IC;Intensive Care;ICV;IC-verpleegkundige;\r\n'
            "2002;Sara Bakker;sara@hospital.test;;IC;Intensive Care;ICV;IC-verpleegkundige;2001\r\n"
        )
        report = import_csv(dutch.encode("utf-8"))
        assert report.ok, report.errors
        assert Employee.objects.get(staff_number="2001").name == "Jong; de, Piet"
        assert Employee.objects.get(staff_number="2002").manager.staff_number == "2001"  # type: ignore[union-attr]

    def test_bad_rows_give_line_numbered_errors_and_change_nothing(self) -> None:
        before = rows()
        bad = (
            HEADER
            + "1001,Anna,anna@hospital.test,,SEH,Spoed,VPK,Verpleegkundige,\n"
            + "1001,Anna again,anna2@hospital.test,,SEH,Spoed,VPK,Verpleegkundige,\n"
            + "1004,Dirk,not-an-email,,SEH,Spoed,VPK,Verpleegkundige,\n"
            + "1005,,e@hospital.test,,,Spoed,VPK,Verpleegkundige,\n"
            + "1006,Eva,eva@hospital.test,,SEH,Spoed,VPK,Verpleegkundige,9999\n"
            + "1007,Too,few\n"
        )
        report = import_csv(bad.encode())
        lines = {line for line, _m in report.errors}
        assert lines == {3, 4, 5, 6, 7}
        messages = dict(report.errors)
        assert "also on line 2" in messages[3]
        assert "not an e-mail address" in messages[4]
        assert "9999" in messages[6]
        assert any("name is empty" in m for line, m in report.errors if line == 5)
        assert any("department_code is empty" in m for line, m in report.errors if line == 5)
        assert rows() == before

    def test_phone_numbers_are_validated_and_stored_as_e164(self) -> None:
        report = import_csv(GOOD.encode())
        assert report.ok
        assert Employee.objects.get(staff_number="1001").phone == "+31302001001"
        text = GOOD.replace("030 2001002", '"call Erin, wrong dose"')
        report = import_csv(text.encode())
        assert report.errors == [(3, "phone is not a phone number.")]
        assert Employee.objects.get(staff_number="1002").phone == "+31302001002"

    def test_a_missing_column_is_named(self) -> None:
        report = import_csv(b"staff_number,name,email\n1,A,a@b.nl\n")
        assert report.errors == [
            (1, "Missing column: department_code / afdelingscode, function_code / functiecode.")
        ]

    def test_errors_name_the_column_as_the_files_own_header_does(self) -> None:
        dutch = (
            "Personeelsnummer;Naam;Afdelingscode;Functiecode\n"
            ";Anna de Vries;CAR;VPK\n"
            "1002;Bram;;VPK\n"
        )
        report = import_csv(dutch.encode())
        assert (2, "Personeelsnummer is empty.") in report.errors
        assert (3, "Afdelingscode is empty.") in report.errors
        assert not any("staff_number" in m or "department_code" in m for _l, m in report.errors)

    def test_a_file_that_is_not_utf8_is_refused(self) -> None:
        report = import_csv(GOOD.replace("Anna", "Ännä").encode("latin-1"))
        assert not report.ok and "UTF-8" in report.errors[0][1]

    def test_a_reimport_with_one_leaver_and_one_change_does_exactly_that(self) -> None:
        import_csv(GOOD.encode())
        case = self.open_case(employee=Employee.objects.get(staff_number="1003"))
        changed = GOOD.replace("Bram Jansen,bram@", "Bram Jansen-Smit,bram@").replace(
            '1003,"Yilmaz, Cem",cem@hospital.test,,LAB,Laboratorium,ANL,Analist,1001\n', ""
        )
        report = import_csv(changed.encode())
        assert (report.created, report.updated) == ([], ["1002"])
        # The personas of the test case are not in the file either: they leave too.
        assert "1003" in report.deactivated
        cem = Employee.objects.get(staff_number="1003")
        assert not cem.is_active
        case.refresh_from_db()
        assert case.is_open  # a leaver keeps their open case
        assert Employee.objects.get(staff_number="1002").name == "Bram Jansen-Smit"
        assert not Department.objects.get(code="LAB").is_active

    def test_a_dry_run_reports_and_changes_nothing(self) -> None:
        before = rows()
        report = import_csv(GOOD.encode(), dry_run=True)
        assert report.ok and len(report.created) == 3
        assert rows() == before

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self) -> None:
        import_csv(GOOD.encode())
        report = import_csv(GOOD.encode())
        assert (report.created, report.updated, report.deactivated) == ([], [], [])


class ImportCommandAndPageTests(BaseTestCase):
    def test_the_command_imports_and_reports(self) -> None:
        import tempfile

        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
            handle.write(GOOD.encode())
        out = StringIO()
        call_command("importhr", handle.name, "--dry-run", stdout=out)
        assert "Dry run" in out.getvalue() and "3 added" in out.getvalue()
        assert not Employee.objects.filter(staff_number="1001").exists()
        call_command("importhr", handle.name, stdout=StringIO())
        assert Employee.objects.filter(staff_number="1001").exists()
        Path(handle.name).write_bytes(b"staff_number\n1\n")
        with pytest.raises(CommandError, match="nothing was changed"):
            call_command("importhr", handle.name, stdout=StringIO(), stderr=StringIO())

    def test_the_administrator_uploads_and_sees_line_numbered_errors(self) -> None:
        from peersupport.people.models import Role, User

        admin = User.objects.create_user("adm", password=PASSWORD)
        admin.roles.create(role=Role.ADMINISTRATOR)
        self.client.login(username="adm", password=PASSWORD)
        bad = SimpleUploadedFile("hr.csv", (HEADER + "1,A,nope,,X,X,Y,Y,\n").encode())
        page = self.client.post("/people/import/", {"file": bad})
        assert page.status_code == 400 and "Line 2" in page.content.decode()
        good = SimpleUploadedFile("hr.csv", GOOD.encode())
        page = self.client.post("/people/import/", {"file": good, "dry_run": "on"})
        assert page.status_code == 200 and "3 employees added" in page.content.decode()
        assert not Employee.objects.filter(staff_number="1001").exists()

    def test_others_cannot_import(self) -> None:
        for username in ("alice", "bob", "erin", "hanna", "boris"):
            self.client.login(username=username, password=PASSWORD)
            assert self.client.get("/people/import/").status_code == 403


class ContactColumnTests(TestCase):
    """Issue 18 point 2: work phone and e-mail come from the import, validated, and an
    error names the column as the file's own header does."""

    def test_dutch_headers_name_the_bad_phone_and_e_mail(self) -> None:
        text = (
            "Personeelsnummer;Naam;E-mail werk;Telefoon;Afdelingscode;Functiecode\n"
            "3001;Anna;anna@hospital.test;030 200 3001;SEH;VPK\n"
            "3002;Bert;bert-at-hospital;bel Bert;SEH;VPK\n"
        )
        report = import_csv(text.encode())
        assert report.errors == [
            (3, "E-mail werk: “bert-at-hospital” is not an e-mail address."),
            (3, "Telefoon is not a phone number."),
        ]
        assert not Employee.objects.filter(staff_number="3001").exists()

    def test_the_columns_are_optional_and_stored_as_e164(self) -> None:
        report = import_csv(
            b"staff_number,name,department_code,function_code,work_phone,work_email\n"
            b"3001,Anna,SEH,VPK,+31 30 200 3001,anna@hospital.test\n"
            b"3002,Bert,SEH,VPK,,\n"
        )
        assert report.ok
        anna = Employee.objects.get(staff_number="3001")
        assert (anna.phone, anna.email) == ("+31302003001", "anna@hospital.test")
        assert Employee.objects.get(staff_number="3002").phone == ""
