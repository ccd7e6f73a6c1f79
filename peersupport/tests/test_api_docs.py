"""/api/docs/ speaks the reader's language: the schema's descriptions are drawn per
request, so the Dutch page has no English left in it (WCAG 3.1.2)."""

import re

from django.test import TestCase


class ApiDocsLanguageTests(TestCase):
    def page(self, language: str) -> str:
        self.client.cookies["django_language"] = language
        response = self.client.get("/api/docs/")
        assert response.status_code == 200
        return response.content.decode()

    def test_the_descriptions_are_in_dutch_on_the_dutch_page(self) -> None:
        html = self.page("nl")
        assert '<html lang="nl">' in html
        for dutch in (
            "Koppelingen melden zich aan met",  # the API's description
            "Een aanvraag voor ondersteuning indienen",  # an operation's description
            "Token ontbreekt, is onbekend of ingetrokken.",  # a response
            "Het nummer van een afdeling",  # a parameter
            "Een afdelingscode.",  # a field of the request body
        ):
            assert dutch in html, dutch
        for english in (
            "Integrations authenticate",
            "Submit a support request",
            "Missing, unknown or revoked token.",
            "A department id",
            "A department code.",
        ):
            assert english not in html, english

    def test_and_in_english_on_the_english_page(self) -> None:
        html = self.page("en")
        assert '<html lang="en">' in html
        assert "Integrations authenticate" in html
        assert "Missing, unknown or revoked token." in html
        assert "Koppelingen" not in html
        # Every description cell and paragraph of the two pages differs: nothing was
        # left untranslated.
        described = re.compile(r"<(?:dd|p)>([^<]{12,})</(?:dd|p)>")
        english = set(described.findall(html))
        dutch = set(described.findall(self.page("nl")))
        assert english and not english & dutch, english & dutch
