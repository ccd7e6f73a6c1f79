from datetime import UTC, datetime, timedelta

from django.utils import translation

from peersupport.cases.templatetags.deadlines import time_left

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_time_left_reads_in_hours_on_the_72_hour_clock() -> None:
    assert time_left(NOW + timedelta(hours=71, minutes=59), NOW) == "71 h left"
    assert time_left(NOW - timedelta(hours=5, minutes=10), NOW) == "5 h late"
    assert time_left(NOW + timedelta(minutes=20), NOW) == "0 h left"


def test_time_left_reads_in_days_beyond_72_hours() -> None:
    assert time_left(NOW + timedelta(days=12, hours=3), NOW) == "12 days left"
    assert time_left(NOW - timedelta(days=4), NOW) == "4 days late"
    assert time_left(NOW - timedelta(hours=72), NOW) == "72 h late"


def test_time_left_in_dutch() -> None:
    with translation.override("nl"):
        assert time_left(NOW + timedelta(hours=31), NOW) == "nog 31 uur"
        assert time_left(NOW + timedelta(days=1, hours=50), NOW) == "nog 3 dagen"
        assert time_left(NOW - timedelta(hours=2), NOW) == "2 uur te laat"


def test_no_deadline_shows_nothing() -> None:
    assert time_left(None, NOW) == ""
