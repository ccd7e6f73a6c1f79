"""Walks docs/access-matrix.txt: every route against every role, with the expected
answer. Fails when a route of the application is missing from the matrix."""

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from peersupport.cases.constants import ConversationMode, ReferralRoute, ReferralType
from peersupport.cases.models import OnCallShift
from peersupport.handovers import models as hand_over_models
from peersupport.people.models import Role, User
from peersupport.supporters.models import IntervisionMeeting, MeetingPlace
from peersupport.test import PASSWORD, BaseTestCase

MATRIX = Path(settings.BASE_DIR) / "docs" / "access-matrix.txt"
ROLES = ["anonymous", "employee", "supporter", "coordinator", "hr", "board", "admin", "referrer"]
USERS = {
    "employee": "erin",
    "supporter": "bob",
    "coordinator": "alice",
    "hr": "hanna",
    "board": "boris",
    "admin": "root",
    "referrer": "mark",
}


def read_matrix() -> dict[str, tuple[str, dict[str, int]]]:
    rows = {}
    for line in MATRIX.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        route, method, *codes = line.split()
        assert len(codes) == len(ROLES), route
        rows[route] = (method, dict(zip(ROLES, map(int, codes), strict=True)))
    return rows


def application_routes() -> set[str]:
    """Every named route, with its namespace; the admin counts as its index only."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    names.add("admin:index")
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def populate(tc: BaseTestCase) -> dict[str, list[object]]:
    """The rows every route needs (a case in each state the pages show, a shift, a
    meeting, an absence) and the arguments to reverse each route with."""
    root = User.objects.create_superuser("root", password=PASSWORD)
    root.roles.create(role=Role.ADMINISTRATOR)
    case = tc.open_case()
    case.assign(tc.bob_supporter, by=tc.alice_user)
    planned = tc.open_case(event_date=date(2026, 2, 1))
    planned.assign(tc.bob_supporter, by=tc.alice_user)
    planned.record_offer(mode="phone", by=tc.bob_user)
    planned.accept(by=tc.erin_user)
    planned.plan_conversation(
        1, timezone.now() + timedelta(days=2), ConversationMode.PHONE, by=tc.bob_user
    )
    # Referred via HR with the employee's consent: HR's one way into anything of a case.
    referral = hand_over_models.refer(
        planned, ReferralType.PSYCHOLOGIST, route=ReferralRoute.HR, consent=True, by=tc.bob_user
    )
    now = timezone.now()
    shift = OnCallShift.objects.create(
        coordinator=tc.alice_user, starts_at=now, ends_at=now + timedelta(days=1)
    )
    room = MeetingPlace.objects.create(label="Zaal 1")
    meeting = IntervisionMeeting.objects.create(held_on=date(2026, 1, 10), place=room)
    absence = tc.bob_supporter.absences.create(starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2))
    return {
        "cases:detail": [case.pk],
        "handovers:detail": [referral.hand_over.pk],
        "cases:match": [case.pk],
        "cases:assign": [case.pk],
        "cases:step": [case.pk, "contact_attempt"],
        "cases:conversation_ics": [planned.pk, 1],
        "cases:event": [case.event_id],
        "cases:group_session": [case.event_id],
        "cases:remove_shift": [shift.pk],
        "support:respond": [case.pk, "accept"],
        "supporters:remove_absence": [absence.pk],
        "supporters:meeting": [meeting.pk],
        "supporters:training": [tc.bob_supporter.pk],
        "supporters:add_refresher": [tc.bob_supporter.pk],
        "supporters:absences": [tc.bob_supporter.pk],
        "supporters:end_absence": [tc.bob_supporter.pk, absence.pk],
        "directory:photo": ["0123456789abcdef"],
        "information:page": ["reactions"],
        "openid_connect_login": ["unconfigured"],
        "openid_connect_callback": ["unconfigured"],
        "reports:annual": [2025],
        "reports:pdf": [2025],
        "reports:csv": [2025],
        "reports:publish": [2025],
    }


class AccessMatrixTests(BaseTestCase):
    def test_every_route_is_in_the_matrix(self) -> None:
        missing = application_routes() - set(read_matrix())
        assert missing == set(), f"routes missing from {MATRIX.name}: {sorted(missing)}"
        stale = set(read_matrix()) - application_routes()
        assert stale == set(), f"routes in {MATRIX.name} that do not exist: {sorted(stale)}"

    def test_every_role_gets_the_expected_answer_on_every_route(self) -> None:
        args = populate(self)
        failures = []
        for route, (method, expected) in read_matrix().items():
            url = reverse(route, args=args.get(route, []))
            for role in ROLES:
                self.client.logout()
                if role != "anonymous":
                    assert self.client.login(username=USERS[role], password=PASSWORD), role
                if method == "GET":
                    status = self.client.get(url).status_code
                elif route.startswith("api-"):
                    status = self.client.post(
                        url, data="{}", content_type="application/json"
                    ).status_code
                else:
                    status = self.client.post(url).status_code
                if status != expected[role]:
                    failures.append(
                        f"{route} {method} as {role}: {status}, expected {expected[role]}"
                    )
        assert failures == []
