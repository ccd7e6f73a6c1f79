"""Dutch in context: what a Dutch-speaking user reads on the pages (R-31)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.template import Context, Template
from django.utils import translation

from peersupport.cases.constants import ConversationMode
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")


class DutchWordingTests(BaseTestCase):
    def test_may_is_mei_in_every_date_format_the_pages_use(self) -> None:
        template = Template(
            '{{ d|date:"j M Y" }} · {{ d|date:"j F Y" }} · {{ d|date:"D j M H:i" }}'
        )
        with translation.override("nl"):
            text = template.render(Context({"d": datetime(2026, 5, 4, 10, 0, tzinfo=AMS)}))
        assert "mag" not in text.lower()
        assert text.lower().startswith("4 mei 2026 · 4 mei 2026")

    def test_an_empty_choice_reads_in_dutch(self) -> None:
        with translation.override("nl"):
            assert str(BLANK_CHOICE_LABEL) == "- Kies een optie -"

    def test_the_history_and_the_message_name_the_step_in_dutch(self) -> None:
        with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=AMS), tick=False):
            case = self.open_case(event_date=date(2026, 3, 1))
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            assert self.client.login(username="erin", password=PASSWORD)
            self.client.cookies["django_language"] = "nl"
            page = self.client.post(f"/me/cases/{case.pk}/accept/", follow=True)
            assert self.client.login(username="bob", password=PASSWORD)
            self.client.cookies["django_language"] = "nl"
            page = self.client.post(
                f"/cases/{case.pk}/steps/plan_conversation/",
                {
                    "plan_conversation-number": "1",
                    "plan_conversation-day": "2026-03-03",
                    "plan_conversation-time": "10:00",
                    "plan_conversation-mode": ConversationMode.PHONE,
                },
                follow=True,
            )
        text = page.content.decode()
        assert "Vastgelegd: Gesprek 1 gepland." in text
        assert "Gesprek plannen 1" not in text and "Steun geaccepteerd" in text

    def test_the_menu_says_refer_a_colleague_and_counts_agree_with_their_nouns(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        self.client.cookies["django_language"] = "nl"
        assert ">Collega aanmelden</a>" in self.client.get("/me/").content.decode()
        with translation.override("nl"):
            text = Template(
                "{% load i18n %}{% blocktranslate count d=1 %}{{ d }} new department"
                "{% plural %}{{ d }} new departments{% endblocktranslate %}"
            ).render(Context())
        assert text == "1 nieuwe afdeling"
