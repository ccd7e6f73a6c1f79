import pytest
from django.db import connection


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "postgresql: needs PostgreSQL (row locks, concurrent transactions); runs in its run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are deselected, not skipped, in the SQLite run: they run,
    and must pass, in the PostgreSQL run that `make test` always makes."""
    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgresql") is None]
    deselected = [item for item in items if item.get_closest_marker("postgresql") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True, scope="session")
def _flush_as_the_owner() -> None:
    """Transactional tests empty PostgreSQL with TRUNCATE, which the access log's
    trigger refuses; the test run empties it as the tables' owner would, with the
    triggers off for that one transaction (the run's user is a superuser)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush

    def flush(self, style, tables, **kwargs):  # type: ignore[no-untyped-def]
        statements = sql_flush(self, style, tables, **kwargs)
        if not statements:
            return statements
        return ["SET LOCAL session_replication_role = replica", *statements]

    DatabaseOperations.sql_flush = flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Sign-ins in tests need not resist brute force; they need to be quick."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    """Tests read English messages unless a test switches language itself, and
    tests that travel days in time keep their session (the idle limit has its own test)."""
    settings.LANGUAGE_CODE = "en"
    settings.SESSION_IDLE_SECONDS = settings.SESSION_MAX_SECONDS = settings.SESSION_COOKIE_AGE = (
        10**9
    )
    # Role tests sign in with a password only; two-factor sign-in has its own tests.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _test_client_login_gives_a_request(monkeypatch):  # type: ignore[no-untyped-def]
    """django-axes guards authenticate() and needs the request (for the address);
    the test client's login() shortcut has none, so it gets an empty one. Sign-ins
    through the pages keep the lock, which has its own tests."""
    from django.http import HttpRequest
    from django.test import Client

    login = Client.login

    def login_with_request(self, **credentials):  # type: ignore[no-untyped-def]
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)
