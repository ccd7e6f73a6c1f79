from django.test import override_settings

from peersupport.test import PASSWORD, BaseTestCase


class HomeAndLanguageTests(BaseTestCase):
    def test_coordinators_start_at_the_dashboard_and_supporters_at_their_cases(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        assert self.client.get("/")["Location"] == "/cases/dashboard/"
        self.client.login(username="bob", password=PASSWORD)
        assert self.client.get("/")["Location"] == "/cases/"

    def test_other_roles_get_the_information_home_page(self) -> None:
        self.client.login(username="erin", password=PASSWORD)
        page = self.client.get("/")
        assert page.status_code == 200
        assert "declining is your right" in page.content.decode()

    @override_settings(LANGUAGE_CODE="nl")
    def test_dutch_is_the_default_and_english_is_one_click_away(self) -> None:
        page = self.client.get("/login/")
        assert '<html lang="nl">' in page.content.decode()
        assert "Inloggen" in page.content.decode()
        response = self.client.post("/language/", {"language": "en", "next": "/login/"})
        assert response.status_code == 302
        page = self.client.get("/login/")
        assert '<html lang="en">' in page.content.decode()
        assert "Sign in" in page.content.decode()

    def test_a_wrong_password_is_refused_with_a_message(self) -> None:
        page = self.client.post("/login/", {"username": "alice", "password": "wrong"})
        assert page.status_code == 200
        assert "enter a correct username and password" in page.content.decode()

    def test_signing_in_leads_home(self) -> None:
        response = self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        assert response["Location"] == "/"

    def test_pages_carry_a_content_security_policy(self) -> None:
        csp = self.client.get("/login/")["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


class AdminAccessTests(BaseTestCase):
    def test_the_admin_is_closed_to_everyone_but_staff(self) -> None:
        for username in ("alice", "bob", "erin", "hanna", "boris"):
            with self.subTest(username=username):
                self.client.login(username=username, password=PASSWORD)
                response = self.client.get("/admin/")
                assert response.status_code == 302
                assert response["Location"].startswith("/admin/login/")

    def test_cases_are_not_in_the_admin_even_for_a_superuser(self) -> None:
        from peersupport.people.models import User

        User.objects.create_superuser("root", password=PASSWORD)
        self.client.login(username="root", password=PASSWORD)
        assert self.client.get("/admin/cases/case/").status_code == 404
        assert self.client.get("/admin/cases/conversation/").status_code == 404
        assert self.client.get("/admin/cases/deadlinepolicy/").status_code == 200

    def test_signing_out_needs_a_post(self) -> None:
        self.client.login(username="erin", password=PASSWORD)
        assert self.client.get("/logout/").status_code == 405
        assert self.client.post("/logout/")["Location"] == "/login/"
        assert self.client.get("/")["Location"].startswith("/login/")
