"""Accent-insensitive name search: "noelle" finds "Noëlle" on PostgreSQL and SQLite
alike. PostgreSQL uses its unaccent extension (created by a migration); SQLite gets
a function of the same name, written in Python, on every new connection."""

import unicodedata
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField


def plain(text: str) -> str:
    """Without accents: the letter with its marks taken off (ë → e, ç → c)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Unaccent(Func):
    function = "UNACCENT"
    output_field = TextField()


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "UNACCENT", 1, lambda v: None if v is None else plain(v), deterministic=True
        )


connection_created.connect(_register, dispatch_uid="peersupport-unaccent")
