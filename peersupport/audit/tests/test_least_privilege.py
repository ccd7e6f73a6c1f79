"""PostgreSQL: the application's own role cannot empty the access log, change its
table or switch off its triggers (README.md, "Least privilege on PostgreSQL"). The
test creates such a role inside its transaction, so it is gone afterwards."""

import secrets

import pytest
from django.db import DatabaseError, connection, transaction

from peersupport.audit.models import AccessLogEntry, record
from peersupport.test import BaseTestCase


@pytest.mark.postgresql
class ApplicationRoleTests(BaseTestCase):
    def setUp(self) -> None:
        record(
            user_id=1,
            role="coordinator",
            action="view",
            object_type="case",
            object_id=1,
            allowed=True,
        )
        self.role = f"peersupport_app_test_{secrets.token_hex(4)}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {self.role} NOLOGIN")
            # What README.md grants the application role.
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {self.role}")
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {self.role}"
            )
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {self.role}")
            cursor.execute(f"REVOKE UPDATE ON audit_accesslogentry, audit_seal FROM {self.role}")
            cursor.execute(f"REVOKE DELETE ON audit_seal FROM {self.role}")

    def as_application(self, sql: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {self.role}")
            cursor.execute(sql)

    def test_the_application_role_writes_the_log_but_cannot_truncate_alter_or_disable(
        self,
    ) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {self.role}")
            record(
                user_id=2, role="coordinator", action="view", object_type="case", object_id=2,
                allowed=True,
            )  # fmt: skip
        refused = {
            "TRUNCATE audit_accesslogentry": "permission denied",
            "TRUNCATE audit_seal": "permission denied",
            "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_log_append_only": "owner",
            "ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL": "owner",
            "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_log_refuse_truncate": "owner",
            "DROP TRIGGER audit_log_append_only ON audit_accesslogentry": "owner",
            "ALTER TABLE audit_accesslogentry ADD COLUMN note text": "owner",
            "SET session_replication_role = replica": "permission denied",
            "UPDATE audit_accesslogentry SET role = 'x'": "permission denied",
            "DELETE FROM audit_accesslogentry": "append-only",
            "DELETE FROM audit_seal": "permission denied",
        }
        for sql, reason in refused.items():
            with pytest.raises(DatabaseError, match=reason):
                self.as_application(sql)
        assert AccessLogEntry.objects.count() == 2

    def test_even_the_owner_cannot_truncate_while_the_trigger_is_on(self) -> None:
        for table in ("audit_accesslogentry", "audit_seal"):
            with (
                pytest.raises(DatabaseError, match="TRUNCATE refused"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"TRUNCATE {table}")
        assert AccessLogEntry.objects.exists()
