"""A disabled account, or an employee the HR import marked as gone, stops working at
the next request, and cannot sign in again."""

from peersupport.test import PASSWORD, BaseTestCase


class LeaverTests(BaseTestCase):
    def sign_in(self) -> None:
        response = self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        assert response.status_code == 302
        assert self.client.get("/me/").status_code == 200

    def test_a_disabled_account_stops_at_the_next_request(self) -> None:
        self.sign_in()
        self.erin_user.is_active = False
        self.erin_user.save()
        assert self.client.get("/me/").status_code == 302
        response = self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        assert response.status_code == 200 and self.client.get("/me/").status_code == 302

    def test_an_employee_marked_as_gone_stops_at_the_next_request(self) -> None:
        self.sign_in()
        self.erin.is_active = False  # what the HR import does for a leaver
        self.erin.save()
        assert self.client.get("/me/").status_code == 302
        response = self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        assert response.status_code == 200 and self.client.get("/me/").status_code == 302
        # Back in the HR file: back in.
        self.erin.is_active = True
        self.erin.save()
        self.sign_in()
