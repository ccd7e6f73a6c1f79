"""Issue 18 point 6: a directory people find. Linked from the home page, /me/, the
information pages and the self-request form; the self-request form shows photo,
function, department and languages with the directory's filters; the embed shows no
contact details to people who are not signed in unless a setting allows it."""

from django.test import override_settings

from peersupport.cases.models import Case
from peersupport.test import PASSWORD, BaseTestCase

INFO_PAGES = (
    "/info/",
    "/info/what-to-expect/",
    "/info/reactions/",
    "/info/what-makes-it-harder/",
    "/info/examples/",
    "/info/for-managers/",
)


class DirectoryLinkTests(BaseTestCase):
    def test_the_home_page_me_and_the_self_request_form_link_to_the_directory(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        for url in ("/", "/me/", "/requests/ask/"):
            with self.subTest(url=url):
                assert 'href="/directory/"' in self.client.get(url).content.decode()

    def test_every_information_page_links_to_the_directory(self) -> None:
        """For the signed in; a visitor who is not would land on the sign-in page."""
        for url in INFO_PAGES:
            with self.subTest(url=url):
                response = self.client.get(url)
                assert response.status_code == 200
                assert 'href="/directory/"' not in response.content.decode()
        assert self.client.login(username="erin", password=PASSWORD)
        for url in INFO_PAGES:
            with self.subTest(url=url, signed_in=True):
                assert 'href="/directory/"' in self.client.get(url).content.decode()


class SelfRequestChoiceTests(BaseTestCase):
    def setUp(self) -> None:
        self.charlie.function = self.doctor
        self.charlie.save()
        self.bob_supporter.languages.create(language="en")
        assert self.client.login(username="erin", password=PASSWORD)

    def test_each_supporter_shows_function_department_and_languages(self) -> None:
        page = self.client.get("/requests/ask/").content.decode()
        assert "Bob Supporter <small>Verpleegkundige, Cardiologie</small>" in page
        assert "Speaks: English" in page
        assert "Charlie Supporter <small>Medisch specialist, Cardiologie</small>" in page
        assert 'class="avatar"' in page  # no photo uploaded: the initial

    def test_the_directorys_filters_narrow_the_choice(self) -> None:
        def names(query: str) -> list[str]:
            choices = self.client.get(f"/requests/ask/?{query}").context["choices"]
            return [s.employee.name for s in choices]

        assert names("") == ["Bob Supporter", "Charlie Supporter"]
        assert names(f"function={self.doctor.pk}") == ["Charlie Supporter"]
        assert names("language=en") == ["Bob Supporter"]
        page = self.client.get(f"/requests/ask/?function={self.doctor.pk}").content.decode()
        assert 'name="function"' in page and 'name="language"' in page

    def test_a_supporter_chosen_after_filtering_is_asked_for(self) -> None:
        response = self.client.post(
            "/requests/ask/",
            {
                "supporter": self.charlie_supporter.pk,
                "category": "incident",
                "event_date": "2026-03-01",
            },
        )
        assert response.status_code == 302
        case = Case.objects.get(employee=self.erin)
        assert case.request.requested_supporter == self.charlie_supporter


class EmbedContactTests(BaseTestCase):
    def test_by_default_the_embed_shows_no_contact_details_to_anonymous_visitors(self) -> None:
        page = self.client.get("/directory/embed/").content.decode()
        assert "Bob Supporter" in page
        assert "tel:" not in page and "mailto:" not in page
        assert "bob@hospital.test" not in page

    def test_signed_in_people_see_how_to_reach_a_supporter(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        for url in ("/directory/", "/directory/embed/"):
            with self.subTest(url=url):
                assert 'href="mailto:bob@hospital.test"' in self.client.get(url).content.decode()

    @override_settings(DIRECTORY_EMBED_SHOWS_CONTACT=True)
    def test_the_setting_lets_the_intranet_show_contact_details(self) -> None:
        page = self.client.get("/directory/embed/").content.decode()
        assert 'href="mailto:bob@hospital.test"' in page
