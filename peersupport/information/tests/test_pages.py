"""The information pages (/info/): public, in Dutch and English, for anyone signed in
or not, and every link on them leads somewhere."""

import re

from django.conf import settings

from peersupport.information.views import PAGES
from peersupport.test import PASSWORD, BaseTestCase

LANGUAGES = ("nl", "en")


def h1(html: str) -> str:
    [heading] = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return re.sub(r"\s+", " ", heading).strip()


class InformationPagesTests(BaseTestCase):
    def visit(self, signed_in: bool, language: str) -> dict[str, str]:
        self.client.logout()
        if signed_in:
            assert self.client.login(username="erin", password=PASSWORD)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages = {}
        for slug in PAGES:
            path = f"/info/{slug}/" if slug else "/info/"
            response = self.client.get(path)
            assert response.status_code == 200, (path, signed_in, language)
            html = response.content.decode()
            assert f'<html lang="{language}"' in html, (path, language)
            pages[path] = html
        return pages

    def test_every_page_in_dutch_and_english_signed_in_or_not(self) -> None:
        for signed_in in (False, True):
            dutch, english = (self.visit(signed_in, language) for language in LANGUAGES)
            for path in dutch:
                # One heading, and it is translated: the two languages differ.
                assert h1(dutch[path]) != h1(english[path]), path
                assert "<title>" in dutch[path] and "<title>" in english[path]
        assert h1(dutch["/info/"]) == "Over Peer Support"
        assert h1(english["/info/"]) == "About Peer Support"

    def test_the_index_links_to_every_page(self) -> None:
        index = self.client.get("/info/").content.decode()
        for slug in PAGES:
            if slug:
                assert f'href="/info/{slug}/"' in index, slug

    def test_every_link_on_the_pages_works(self) -> None:
        for signed_in in (False, True):
            for language in LANGUAGES:
                pages = self.visit(signed_in, language)
                links = {
                    href
                    for html in pages.values()
                    for href in re.findall(r'href="(/[^"#]*)', html)
                    if not href.startswith(("/static/", settings.STATIC_URL))
                }
                assert "/requests/ask/" in links
                for href in sorted(links):
                    # A page, or (signed out) the sign-in page first; never a dead end.
                    response = self.client.get(href, follow=True)
                    assert response.status_code == 200, (href, signed_in, language)
                    if response.redirect_chain and not signed_in:
                        assert response.redirect_chain[-1][0].startswith("/login/"), href

    def test_an_unknown_page_is_not_found(self) -> None:
        assert self.client.get("/info/no-such-page/").status_code == 404
