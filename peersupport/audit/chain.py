"""The keyed hash chain of the access log, as plain functions (the migration that
re-chained the old rows uses them too).

Each row's hash is an HMAC-SHA256, with a key from the settings that is never
stored in the database, over its position, the hash of the row before it, and its
content. Someone who can write to the database but does not hold the key cannot
rewrite a row and recompute the chain after it: the hashes would not match.
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings


def _key() -> bytes:
    return settings.ACCESS_LOG_KEY.encode()


def mac(*parts: object) -> str:
    content = "|".join("" if part is None else str(part) for part in parts)
    return hmac.new(_key(), content.encode(), hashlib.sha256).hexdigest()


def entry_hash(
    *,
    position: int,
    prev_hash: str,
    at: datetime,
    user_id: int | None,
    role: str,
    action: str,
    object_type: str,
    object_id: int | None,
    outcome: str,
    ip: str | None,
) -> str:
    return mac(
        "entry",
        position,
        prev_hash,
        at.isoformat(),
        user_id,
        role,
        action,
        object_type,
        object_id,
        outcome,
        ip,
    )


def seal_mac(*, kind: str, position: int, hash: str, at: datetime) -> str:
    return mac("seal", kind, position, hash, at.isoformat())


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def fields(entry: object, names: Iterable[str]) -> dict[str, object]:
    return {name: getattr(entry, name) for name in names}


ENTRY_FIELDS = (
    "position",
    "prev_hash",
    "at",
    "user_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
)
