"""Where the person is, and what just happened: the menu marks the page's section
(aria-current, WCAG 1.3.1 and 2.4.8) and the messages after a step are announced
(WCAG 4.1.3): a success as a status, an error as an alert."""

import re

from peersupport.test import PASSWORD, BaseTestCase

NAV = re.compile(r'<nav aria-label="[^"]+">(.*?)</nav>', re.S)


class MenuTests(BaseTestCase):
    def current(self, path: str) -> list[str]:
        """The addresses of the main menu's items marked current on the page."""
        page = self.client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        assert "\x00" not in html  # every menu link's mark was filled in
        menu = NAV.search(html)
        assert menu is not None
        assert len(re.findall(r'<a href="([^"]+)"', menu[1])) >= 3
        return re.findall(r'<a href="([^"]+)" aria-current="page"', menu[1])

    def test_a_sub_page_marks_its_section_in_the_menu(self) -> None:
        self.client.login(username=self.erin_user.username, password=PASSWORD)
        assert self.current("/me/") == ["/me/"]
        assert self.current("/me/data/") == ["/me/"]
        assert self.current("/me/log/") == ["/me/"]
        assert self.current("/") == ["/"]

    def test_the_longest_matching_item_wins_and_home_is_current_only_on_itself(self) -> None:
        self.client.login(username=self.alice_user.username, password=PASSWORD)
        case = self.open_case()
        assert self.current("/cases/dashboard/") == ["/cases/dashboard/"]
        assert self.current("/cases/") == ["/cases/"]
        assert self.current(f"/cases/{case.pk}/") == ["/cases/"]
        assert self.current("/cases/on-call/") == ["/cases/on-call/"]
        assert self.current("/supporters/intervision/") == []  # no menu item: none current


class MessageTests(BaseTestCase):
    def test_a_success_is_a_status_and_an_error_an_alert(self) -> None:
        case = self.open_case()
        case.assign(self.bob_supporter, by=self.alice_user)
        self.client.login(username=self.bob_user.username, password=PASSWORD)

        done = self.client.post(f"/cases/{case.pk}/steps/contact_attempt/", follow=True)
        html = done.content.decode()
        assert re.search(r'<div role="status"><ul class="messages"><li class="success">', html)
        assert 'role="alert"' not in html.split("<main", 1)[1].split("</main>")[0]

        refused = self.client.post(f"/cases/{case.pk}/steps/accept/", follow=True)
        html = refused.content.decode()
        assert re.search(r'<div role="alert"><ul class="messages"><li class="error">', html)
        assert '<div role="status"><ul class="messages">' not in html
