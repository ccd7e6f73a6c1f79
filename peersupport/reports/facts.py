"""The small door through which other apps write anonymous facts. It takes plain
values (codes, numbers, a moment), never an object that could lead back to a person."""

from datetime import datetime
from typing import TypedDict, Unpack

from django.utils import timezone

from peersupport.reports.models import Fact, FactKind, PoolYear


class Details(TypedDict, total=False):
    """What a fact says besides its kind and month: codes and numbers only. A detail
    not given is empty (or none); ``record`` and ``withdraw`` match on all of them."""

    channel: str
    category: str
    function_group: str
    mandatory: bool
    conversation_number: int | None
    referral_type: str
    closure_reason: str
    hours_to_first_contact: int | None
    days_to_help: int | None


EMPTY: Details = {
    "channel": "",
    "category": "",
    "function_group": "",
    "mandatory": False,
    "conversation_number": None,
    "referral_type": "",
    "closure_reason": "",
    "hours_to_first_contact": None,
    "days_to_help": None,
}


def _columns(kind: FactKind, at: datetime, details: Details) -> dict[str, object]:
    local = timezone.localtime(at)
    return {"year": local.year, "month": local.month, "kind": kind, **EMPTY, **details}


def record(kind: FactKind, at: datetime, **details: Unpack[Details]) -> None:
    Fact.objects.create(**_columns(kind, at, details))


def withdraw(kind: FactKind, at: datetime, **details: Unpack[Details]) -> bool:
    """Take back one fact recorded with exactly these values (a step that was undone
    or corrected), so the report counts it once or not at all. Facts are anonymous,
    so any one of identical rows is the one. False when there was none."""
    fact = Fact.objects.filter(**_columns(kind, at, details)).first()
    if fact is None:
        return False
    fact.delete()
    return True


def record_pool(year: int, *, active: int, trained: int, intervision: int) -> None:
    PoolYear.objects.update_or_create(
        year=year, defaults={"active": active, "trained": trained, "intervision": intervision}
    )
