"""The access log reads as sentences, in the reader's language: found from outside,
"sign_in account" and "grant_coordinator user" stood on a Dutch page."""

import re
from pathlib import Path

from django.utils import translation

from peersupport.audit.models import ACTIONS, AccessLogEntry

CODE = Path(__file__).resolve().parents[2]


def written_actions() -> set[str]:
    """Every action code the application writes, found in its source."""
    found: set[str] = set()
    for path in CODE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= set(re.findall(r'\baction="([a-z_]+)"', text))
        found |= set(re.findall(r'log_sign_in_event\(\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'"(two_factor(?:_[a-z]+)?)"', text))
    # argparse's store_true; allauth's rate-limit name; a role change (tested below); a
    # session key and two route names that share the prefix.
    return found - {
        "store_true",
        "second_factor",
        "grant_coordinator",
        "two_factor_verified",
        "two_factor_verify",
        "two_factor_passkeys",
    }


def test_every_action_the_application_writes_has_words() -> None:
    assert written_actions() - set(ACTIONS) == set()


def test_role_changes_and_sign_ins_read_in_dutch() -> None:
    with translation.override("nl"):
        granted = AccessLogEntry(action="grant_coordinator", object_type="user").what
        signed_in = AccessLogEntry(action="sign_in", object_type="account").what
    assert granted == "rol toegekend: Coördinator"
    assert "_" not in signed_in and signed_in != "sign_in account"
