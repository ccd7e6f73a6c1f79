"""The small door through which other apps write anonymous facts. It takes plain
values (codes, numbers, a moment), never an object that could lead back to a person."""

from datetime import datetime

from django.utils import timezone

from peersupport.reports.models import Fact, FactKind, PoolYear


def record(
    kind: FactKind,
    at: datetime,
    *,
    channel: str = "",
    category: str = "",
    function_group: str = "",
    mandatory: bool = False,
    conversation_number: int | None = None,
    referral_type: str = "",
    closure_reason: str = "",
    hours_to_first_contact: int | None = None,
    days_to_help: int | None = None,
) -> None:
    local = timezone.localtime(at)
    Fact.objects.create(
        year=local.year,
        month=local.month,
        kind=kind,
        channel=channel,
        category=category,
        function_group=function_group,
        mandatory=mandatory,
        conversation_number=conversation_number,
        referral_type=referral_type,
        closure_reason=closure_reason,
        hours_to_first_contact=hours_to_first_contact,
        days_to_help=days_to_help,
    )


def withdraw(
    kind: FactKind,
    at: datetime,
    *,
    channel: str = "",
    category: str = "",
    function_group: str = "",
    mandatory: bool = False,
    conversation_number: int | None = None,
    referral_type: str = "",
    closure_reason: str = "",
    hours_to_first_contact: int | None = None,
    days_to_help: int | None = None,
) -> bool:
    """Take back one fact recorded with exactly these values (a step that was undone
    or corrected), so the report counts it once or not at all. Facts are anonymous,
    so any one of identical rows is the one. False when there was none."""
    local = timezone.localtime(at)
    fact = Fact.objects.filter(
        year=local.year,
        month=local.month,
        kind=kind,
        channel=channel,
        category=category,
        function_group=function_group,
        mandatory=mandatory,
        conversation_number=conversation_number,
        referral_type=referral_type,
        closure_reason=closure_reason,
        hours_to_first_contact=hours_to_first_contact,
        days_to_help=days_to_help,
    ).first()
    if fact is None:
        return False
    fact.delete()
    return True


def record_pool(year: int, *, active: int, trained: int, intervision: int) -> None:
    PoolYear.objects.update_or_create(
        year=year, defaults={"active": active, "trained": trained, "intervision": intervision}
    )
