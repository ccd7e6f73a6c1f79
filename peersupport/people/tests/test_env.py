from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from peersupport.env import env_bool, env_int, env_list, env_str


def test_booleans_accept_the_usual_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, value in [
        ("true", True),
        ("Yes", True),
        ("1", True),
        ("off", False),
        ("FALSE", False),
    ]:
        monkeypatch.setenv("PS_FLAG", word)
        assert env_bool("PS_FLAG", not value) is value


def test_a_bad_boolean_fails_loudly_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PS_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PS_FLAG='maybe'"):
        env_bool("PS_FLAG", False)


def test_a_bad_number_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PS_NUMBER", "72h")
    with pytest.raises(ImproperlyConfigured, match="PS_NUMBER"):
        env_int("PS_NUMBER", 1)


def test_defaults_apply_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PS_UNSET", raising=False)
    assert env_int("PS_UNSET", 5) == 5
    assert env_list("PS_UNSET", ["a"]) == ["a"]
    assert env_str("PS_UNSET", "x") == "x"


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PS_HOSTS", "a.example, b.example,,")
    assert env_list("PS_HOSTS", []) == ["a.example", "b.example"]


def test_secrets_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("PS_SECRET_FILE", str(secret))
    monkeypatch.setenv("PS_SECRET", "ignored")
    assert env_str("PS_SECRET", "default") == "s3cret"


def test_an_unreadable_secret_file_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PS_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="PS_SECRET_FILE"):
        env_str("PS_SECRET", "default")
