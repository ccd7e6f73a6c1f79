"""``entries_about``: the log's rows about some objects, for the person they are about."""

from peersupport.audit.models import AccessLogEntry, entries_about, record
from peersupport.test import BaseTestCase


class EntriesAboutTests(BaseTestCase):
    def test_only_rows_about_those_objects_of_that_type_newest_first(self) -> None:
        AccessLogEntry.objects.all()._raw_delete(AccessLogEntry.objects.db)
        seen = record(user_id=1, role="supporter", action="view", object_type="case",
                      object_id=7, allowed=True)  # fmt: skip
        refused = record(user_id=2, role="", action="view", object_type="case",
                         object_id=7, allowed=False)  # fmt: skip
        other_case = record(user_id=1, role="supporter", action="view", object_type="case",
                            object_id=8, allowed=True)  # fmt: skip
        record(user_id=1, role="coordinator", action="view", object_type="event",
               object_id=7, allowed=True)  # fmt: skip
        assert list(entries_about("case", [7])) == [refused, seen]
        assert list(entries_about("case", [7, 8], allowed_only=True)) == [other_case, seen]
        assert list(entries_about("case", [])) == []
