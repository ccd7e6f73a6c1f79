"""The lock against guessing (django-axes) on every path that authenticates: the
sign-in page, /admin/login/ and the second factor. By name *and* address, with one
kind answer whether the name exists or not; the administrator can lift it."""

import re
from datetime import timedelta

import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from peersupport.accounts.tests.authenticator import code_now, enrol
from peersupport.audit.models import AccessLogEntry
from peersupport.people.models import User
from peersupport.test import PASSWORD, BaseTestCase

WRONG = "Please enter a correct username and password"
LOCKED = "There were too many attempts to sign in with this name from here."
HERE = "203.0.113.7"
ELSEWHERE = "198.51.100.23"


def same(page: str, name: str) -> str:
    """A page with the name typed and the form's CSRF token taken out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(name, "NAME")


class LockoutTests(BaseTestCase):
    admin: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admin = User.objects.create_superuser("root", password=PASSWORD)

    def client_at(self, address: str) -> Client:
        return Client(REMOTE_ADDR=address)

    def guess(self, client: Client, path: str, username: str, times: int) -> list[str]:
        return [
            client.post(path, {"username": username, "password": "wrong"}).content.decode()
            for _ in range(times)
        ]

    def test_five_failures_on_the_sign_in_page_lock_that_name_from_that_address(self) -> None:
        here = self.client_at(HERE)
        answers = self.guess(here, "/login/", "alice", settings.SIGNIN_MAX_FAILURES)
        assert all(WRONG in a for a in answers[:-1])
        assert LOCKED in answers[-1]
        # Locked: the right password does not sign in, and the page says so kindly.
        response = here.post("/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 429 and LOCKED in response.content.decode()
        assert "_auth_user_id" not in here.session
        # The same name from another address still signs in.
        elsewhere = self.client_at(ELSEWHERE)
        assert elsewhere.post("/login/", {"username": "alice", "password": PASSWORD})[
            "Location"
        ] == ("/")
        # After the lock's time, from here too.
        later = timezone.now() + timedelta(seconds=settings.SIGNIN_LOCK_SECONDS + 1)
        with time_machine.travel(later):
            response = here.post("/login/", {"username": "alice", "password": PASSWORD})
            assert response.status_code == 302

    def test_the_locked_page_says_when_to_try_again(self) -> None:
        start = timezone.now().replace(microsecond=0)
        with time_machine.travel(start, tick=False):
            answers = self.guess(self.client_at(HERE), "/login/", "alice", 5)
        until = timezone.localtime(start + timedelta(seconds=settings.SIGNIN_LOCK_SECONDS))
        assert f"you can try again after {until:%H:%M}" in answers[-1]

    def test_a_name_that_does_not_exist_gets_the_very_same_answers(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            known = self.guess(self.client_at(HERE), "/login/", "alice", 6)
        with time_machine.travel(start, tick=False):
            unknown = self.guess(self.client_at(HERE), "/login/", "nobody-at-all", 6)
        assert [same(a, "alice") for a in known] == [same(a, "nobody-at-all") for a in unknown]
        assert LOCKED in unknown[-1]

    def test_the_admin_sign_in_is_locked_too(self) -> None:
        """Hole: /admin/login/ was outside the lock; 12 wrong passwords, then the right one
        signed in."""
        here = self.client_at(HERE)
        self.guess(here, "/admin/login/", "root", 12)
        response = here.post("/admin/login/", {"username": "root", "password": PASSWORD})
        assert response.status_code == 429 and LOCKED in response.content.decode()
        assert here.get("/admin/").status_code == 302
        # Failures on either page count together: the sign-in page is locked for root too.
        assert here.post("/login/", {"username": "root", "password": PASSWORD}).status_code == 429
        elsewhere = self.client_at(ELSEWHERE)
        response = elsewhere.post("/admin/login/", {"username": "root", "password": PASSWORD})
        assert response.status_code == 302 and elsewhere.get("/admin/").status_code == 200

    def test_failures_locks_and_sign_ins_are_in_the_access_log(self) -> None:
        here = self.client_at(HERE)
        self.guess(here, "/login/", "alice", 6)
        self.client_at(ELSEWHERE).post("/login/", {"username": "alice", "password": PASSWORD})
        rows = list(
            AccessLogEntry.objects.filter(object_type="account")
            .order_by("pk")
            .values_list("action", "outcome", "ip")
        )
        assert rows == [("sign_in_failed", "denied", HERE)] * 4 + [
            ("sign_in_locked", "denied", HERE),
            ("sign_in_locked", "denied", HERE),
            ("sign_in", "allowed", ELSEWHERE),
        ]

    def test_the_administrator_lifts_a_lock_and_that_is_logged(self) -> None:
        here = self.client_at(HERE)
        self.guess(here, "/login/", "alice", 5)
        attempt = AccessAttempt.objects.get(username="alice")
        admin = self.client_at(ELSEWHERE)
        admin.force_login(self.admin)
        page = admin.get("/admin/axes/accessattempt/")
        assert page.status_code == 200 and "alice" in page.content.decode()
        response = admin.post(
            "/admin/axes/accessattempt/",
            {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
        )
        assert response.status_code == 302 and not AccessAttempt.objects.exists()
        assert here.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
        lifted = AccessLogEntry.objects.get(action="sign_in_lock_lifted")
        assert (lifted.user_id, lifted.object_id) == (self.admin.pk, self.alice_user.pk)

    def test_failed_attempts_are_not_kept_after_the_lock_has_passed(self) -> None:
        self.guess(self.client_at(HERE), "/login/", "alice", 5)
        assert AccessAttempt.objects.filter(username="alice").exists()
        later = timezone.now() + timedelta(seconds=settings.SIGNIN_LOCK_SECONDS + 1)
        with time_machine.travel(later):
            # Anybody's next sign-in, from anywhere, clears what has expired.
            self.client_at(ELSEWHERE).post("/login/", {"username": "bob", "password": PASSWORD})
        assert not AccessAttempt.objects.exists()

    def test_the_lock_screen_shows_no_form_data(self) -> None:
        self.guess(self.client_at(HERE), "/login/", "alice", 5)
        admin = self.client
        admin.force_login(self.admin)
        attempt = AccessAttempt.objects.get(username="alice")
        assert "password" not in attempt.post_data or "wrong" not in attempt.post_data
        page = admin.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").content.decode()
        assert "wrong" not in page and "Form Data" not in page


class SecondFactorLockoutTests(BaseTestCase):
    """Hole: the second-factor page took unlimited guesses; 50 wrong, then the right one."""

    def setUp(self) -> None:
        required = self.settings(TWO_FACTOR_REQUIRED=True)
        required.enable()
        self.addCleanup(required.disable)
        self.secret = enrol(self.alice_user)
        RecoveryCodes.activate(self.alice_user)

    def test_wrong_codes_lock_the_name_and_end_the_half_signed_in_session(self) -> None:
        here = Client(REMOTE_ADDR=HERE)
        assert here.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            right = code_now(self.secret)
            wrong = "000000" if right != "000000" else "111111"
            answers = [here.post("/account/2fa/verify/", {"code": wrong}) for _ in range(50)]
            assert [a.status_code for a in answers[:4]] == [400] * 4
            assert answers[4].status_code == 429 and LOCKED in answers[4].content.decode()
            # Signed out: the right code now leads nowhere, and the password is locked too.
            assert here.post("/account/2fa/verify/", {"code": right}).status_code == 302
            assert here.get("/cases/dashboard/").status_code == 302
            assert "_auth_user_id" not in here.session
            response = here.post("/login/", {"username": "alice", "password": PASSWORD})
            assert response.status_code == 429
        actions = list(
            AccessLogEntry.objects.filter(object_type="account")
            .order_by("pk")
            .values_list("action", "object_id")
        )
        alice = self.alice_user.pk
        assert actions == [("sign_in", alice)] + [("two_factor_failed", alice)] * 4 + [
            ("sign_in_locked", alice),
            ("sign_in_locked", None),
        ]

    def test_signing_in_again_with_the_password_does_not_open_a_new_round_of_guesses(
        self,
    ) -> None:
        here = Client(REMOTE_ADDR=HERE)
        with time_machine.travel(timezone.now(), tick=False):
            right = code_now(self.secret)
            wrong = "000000" if right != "000000" else "111111"
            for _ in range(2):
                here.post("/login/", {"username": "alice", "password": PASSWORD})
                for _ in range(2):
                    assert here.post("/account/2fa/verify/", {"code": wrong}).status_code == 400
            here.post("/login/", {"username": "alice", "password": PASSWORD})
            assert here.post("/account/2fa/verify/", {"code": wrong}).status_code == 429

    def test_many_addresses_together_get_ten_guesses_at_a_code_not_more(self) -> None:
        """Found from outside: with the password, 4 wrong codes from each of six
        addresses, then the right code from a seventh, signed in."""
        with time_machine.travel(timezone.now(), tick=False):
            right = code_now(self.secret)
            wrong = "000000" if right != "000000" else "111111"
            answers = []
            for n in range(6):
                there = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
                there.post("/login/", {"username": "alice", "password": PASSWORD})
                answers += [there.post("/account/2fa/verify/", {"code": wrong}) for _ in range(2)]
            # The eleventh is refused and ends that half-signed-in session.
            assert [a.status_code for a in answers][:11] == [400] * 10 + [429]
            last = Client(REMOTE_ADDR="198.51.100.99")
            assert (
                last.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
            )
            response = last.post("/account/2fa/verify/", {"code": right})
            assert response.status_code == 429 and "_auth_user_id" not in last.session

    def test_the_right_code_clears_the_failures(self) -> None:
        here = Client(REMOTE_ADDR=HERE)
        with time_machine.travel(timezone.now(), tick=False):
            right = code_now(self.secret)
            wrong = "000000" if right != "000000" else "111111"
            here.post("/login/", {"username": "alice", "password": PASSWORD})
            for _ in range(4):
                here.post("/account/2fa/verify/", {"code": wrong})
            assert here.post("/account/2fa/verify/", {"code": right}).status_code == 302
        assert not AccessAttempt.objects.exists()
