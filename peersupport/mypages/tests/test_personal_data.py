"""What an employee reads about who looked at their case: the download lists the
allowed looks at their own cases, the log page also the refused ones; nothing about
anyone else's case (R-15, R-16). Both ask the access log through audit.entries_about."""

import json

from peersupport.test import PASSWORD, BaseTestCase


class WhoLookedTests(BaseTestCase):
    def test_the_download_has_allowed_looks_and_the_log_page_also_refused_ones(self) -> None:
        case = self.open_case()
        case.assign(self.bob_supporter, by=self.alice_user)
        other = self.open_case(employee=self.mark)
        self.client.login(username="olga", password=PASSWORD)
        assert self.client.get(f"/cases/{case.pk}/").status_code == 404  # refused, logged
        self.client.login(username="bob", password=PASSWORD)
        assert self.client.get(f"/cases/{case.pk}/").status_code == 200
        self.client.login(username="alice", password=PASSWORD)
        assert self.client.get(f"/cases/{other.pk}/").status_code == 200  # not erin's

        self.client.login(username="erin", password=PASSWORD)
        data = json.loads(self.client.get("/me/data/?format=json").content)
        looks = [(e["case"], e["role"], e["action"]) for e in data["access_log"]]
        assert (case.pk, "supporter", "view") in looks
        assert {e["case"] for e in data["access_log"]} == {case.pk}
        assert all(role for _case, role, _action in looks)  # olga's refusal has no role

        entries = list(self.client.get("/me/log/").context["entries"])
        assert [(e.object_id, e.role, e.action, e.outcome) for e in entries] == [
            (case.pk, "employee", "export", "allowed"),  # her own download, just now
            (case.pk, "supporter", "view", "allowed"),
            (case.pk, "", "view", "denied"),  # olga's attempt
        ]
