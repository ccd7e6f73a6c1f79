"""The access log: one complete row per case access, append-only, hash-chained (R-15)."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from peersupport.audit.models import AccessLogEntry, verify_chain
from peersupport.test import PASSWORD, BaseTestCase


class AccessLogTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        AccessLogEntry.objects.all()._raw_delete(AccessLogEntry.objects.db)

    def test_every_case_route_writes_one_complete_row(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        routes = [
            ("get", f"/cases/{self.case.pk}/", "view"),
            ("post", f"/cases/{self.case.pk}/steps/contact_attempt/", "record"),
            ("get", f"/cases/{self.case.pk}/match/", "manage"),
        ]
        for method, url, action in routes:
            before = AccessLogEntry.objects.count()
            getattr(self.client, method)(url)
            rows = list(AccessLogEntry.objects.order_by("pk")[before:])
            assert len(rows) == 1, url
            row = rows[0]
            assert (row.user_id, row.object_type, row.object_id, row.action) == (
                self.bob_user.pk,
                "case",
                self.case.pk,
                action,
            )
            assert row.ip == "127.0.0.1" and row.at is not None and len(row.hash) == 64
        outcomes = list(
            AccessLogEntry.objects.exclude(object_type="account")  # the sign-in's own row
            .order_by("pk")
            .values_list("role", "outcome")
        )
        assert outcomes == [("supporter", "allowed"), ("supporter", "allowed"), ("", "denied")]

    def test_the_coordinator_reads_the_log_and_that_is_logged_too(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        self.client.get(f"/cases/{self.case.pk}/")
        self.client.login(username="alice", password=PASSWORD)
        page = self.client.get(f"/audit/?case={self.case.pk}")
        assert page.status_code == 200 and "127.0.0.1" in page.content.decode()
        assert AccessLogEntry.objects.filter(action="read_log", user_id=self.alice_user.pk).exists()
        for username in ("bob", "erin", "hanna", "boris", "mark"):
            self.client.login(username=username, password=PASSWORD)
            assert self.client.get("/audit/").status_code == 403

    def test_the_role_column_reads_in_the_page_language_not_as_a_code(self) -> None:
        """Found from outside: the role column showed "coordinator", "calamity_group"."""
        self.client.login(username="bob", password=PASSWORD)
        self.client.get(f"/cases/{self.case.pk}/")
        self.client.login(username="alice", password=PASSWORD)
        self.client.get(f"/cases/{self.case.pk}/")
        cells = {}
        for language in ("nl", "en"):
            self.client.cookies["django_language"] = language
            page = self.client.get(f"/audit/?case={self.case.pk}").content.decode()
            cells[language] = re.findall(r'data-label="Ro[a-z]+">([^<]*)</td>', page)
        assert {"Coördinator", "Peer Supporter"} <= set(cells["nl"]), cells["nl"]
        assert {"Coordinator", "Peer supporter"} <= set(cells["en"]), cells["en"]
        codes = {"coordinator", "supporter", "employee", "calamity_group"}
        assert not codes & (set(cells["nl"]) | set(cells["en"]))

    def test_an_employee_reads_the_entries_about_their_own_case_only(self) -> None:
        other = self.open_case(employee=self.olga)
        self.client.login(username="alice", password=PASSWORD)
        self.client.get(f"/cases/{self.case.pk}/")
        self.client.get(f"/cases/{other.pk}/")
        self.client.login(username="erin", password=PASSWORD)
        entries = list(self.client.get("/me/log/").context["entries"])
        assert {e.object_id for e in entries} == {self.case.pk}
        assert all(e.role == "coordinator" for e in entries)

    def test_the_application_cannot_change_or_delete_a_row(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        self.client.get(f"/cases/{self.case.pk}/")
        row = AccessLogEntry.objects.get(object_type="case")
        row.action = "nothing"
        with pytest.raises(PermissionError):
            row.save()
        with pytest.raises(PermissionError):
            row.delete()

    def test_tampering_is_detected_and_the_first_broken_row_named(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        for _ in range(4):
            self.client.get(f"/cases/{self.case.pk}/")
        assert verify_chain().checked == 5 and verify_chain().intact  # the sign-in and four views
        out = StringIO()
        call_command("verifylog", stdout=out)
        assert "intact: 5 rows" in out.getvalue()
        third = AccessLogEntry.objects.order_by("position")[2]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_log_append_only"
                )
            cursor.execute(
                "UPDATE audit_accesslogentry SET role = 'nobody' WHERE id = %s", [third.pk]
            )
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_log_append_only"
                )
        with pytest.raises(CommandError, match=f"broken at position {third.position}:"):
            call_command("verifylog", stdout=StringIO())


@pytest.mark.postgresql
class DatabaseRefusesTests(BaseTestCase):
    def test_postgresql_refuses_update_and_delete(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        self.client.get("/cases/")
        row = AccessLogEntry.objects.order_by("pk").first()
        assert row is not None
        for sql in (
            "UPDATE audit_accesslogentry SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_accesslogentry WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [row.pk])
        assert AccessLogEntry.objects.filter(pk=row.pk, action=row.action).exists()
