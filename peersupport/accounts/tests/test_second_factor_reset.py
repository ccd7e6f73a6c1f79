"""The administrator resets a person's second factor (a lost phone): the person is
told by a content-free e-mail, sets it up again at the next sign-in; logged."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from peersupport.accounts.tests.authenticator import enrol
from peersupport.audit.models import AccessLogEntry
from peersupport.notices.delivery import deliver_due
from peersupport.notices.tests.smtp import free_port, smtp_server, smtp_settings
from peersupport.people.models import User
from peersupport.test import PASSWORD, BaseTestCase


class SecondFactorResetTests(BaseTestCase):
    def test_the_administrator_resets_it_and_the_person_is_told_without_detail(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        enrol(self.alice_user)
        RecoveryCodes.activate(self.alice_user)
        self.alice_user.email, self.alice_user.language = "alice@hospital.test", "en"
        self.alice_user.save()
        self.client.force_login(root)
        response = self.client.post(
            "/admin/people/user/",
            {"action": "reset_second_factor", "_selected_action": [self.alice_user.pk]},
        )
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=self.alice_user).exists()
        row = AccessLogEntry.objects.get(action="two_factor_reset")
        assert (row.user_id, row.object_id) == (root.pk, self.alice_user.pk)
        port = free_port()
        with smtp_server(port) as inbox, smtp_settings(port):
            assert deliver_due() == 1
        assert inbox.recipients == [["alice@hospital.test"]]
        body = inbox.bodies()[0]
        assert "reset the second step of your sign-in" in body
        for detail in ("alice", "Alice", "root", "Coördinator", str(self.alice_user.pk)):
            assert detail not in body and detail not in inbox.messages[0]["Subject"]
        # At the next sign-in (second factor required) she is sent to set it up again.
        self.client.logout()
        with self.settings(TWO_FACTOR_REQUIRED=True):
            self.client.post("/login/", {"username": "alice", "password": PASSWORD})
            assert self.client.get("/cases/dashboard/")["Location"] == "/account/2fa/"

    def test_only_the_administrator_sees_the_action(self) -> None:
        self.client.force_login(self.alice_user)
        response = self.client.post(
            "/admin/people/user/",
            {"action": "reset_second_factor", "_selected_action": [self.bob_user.pk]},
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not AccessLogEntry.objects.filter(action="two_factor_reset").exists()

    def test_the_admin_screen_shows_who_has_a_second_factor_but_never_its_secret(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        secret = enrol(self.alice_user)
        seed = RecoveryCodes.activate(self.alice_user).instance.data["seed"]
        self.client.force_login(root)
        listing = self.client.get("/admin/mfa/authenticator/")
        assert listing.status_code == 200 and "alice" in listing.content.decode()
        for authenticator in Authenticator.objects.filter(user=self.alice_user):
            page = self.client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
            assert page.status_code == 200
            assert secret not in page.content.decode() and seed not in page.content.decode()
            deleted = self.client.post(
                f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
            )
            assert deleted.status_code == 403
        assert self.client.get("/admin/mfa/authenticator/add/").status_code == 403
        assert Authenticator.objects.filter(user=self.alice_user).count() == 2
