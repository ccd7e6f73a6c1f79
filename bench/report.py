"""The annual report over 1,000,000 fact rows: the page (HTML) and the PDF."""

import random
import time

from django.test import Client

FACTS = 1_000_000


def run() -> str:
    from peersupport.people.models import Role, User
    from peersupport.reports.models import Fact, FactKind, PoolYear
    from peersupport.vocabulary import Channel, EventCategory, ProfessionGroup, ReferralType

    rng = random.Random(8)
    kinds = (
        [FactKind.REQUEST] * 4
        + [FactKind.OFFER] * 3
        + [FactKind.ACCEPTED] * 2
        + [
            FactKind.FIRST_CONTACT,
            FactKind.CONVERSATION,
            FactKind.CONVERSATION,
            FactKind.REFERRAL,
            FactKind.CLOSURE,
            FactKind.DECLINED,
        ]
    )
    channels, categories, groups = list(Channel), list(EventCategory), list(ProfessionGroup)
    start = time.perf_counter()
    batch = []
    for i in range(FACTS):
        kind = rng.choice(kinds)
        batch.append(
            Fact(
                year=2016 + i % 10,
                month=1 + i % 12,
                kind=kind,
                channel=rng.choice(channels),
                category=rng.choice(categories),
                function_group=rng.choice(groups),
                conversation_number=rng.randint(1, 3) if kind == FactKind.CONVERSATION else None,
                referral_type=rng.choice(list(ReferralType)) if kind == FactKind.REFERRAL else "",
                hours_to_first_contact=rng.randint(1, 120)
                if kind == FactKind.FIRST_CONTACT
                else None,
            )
        )
        if len(batch) == 20_000:
            Fact.objects.bulk_create(batch)
            batch = []
    Fact.objects.bulk_create(batch)
    PoolYear.objects.create(year=2025, active=80, trained=100, intervision=90)
    loaded = time.perf_counter() - start
    board = User.objects.create_user("board-bench", password="bench-password-1")
    board.roles.create(role=Role.BOARD)
    client = Client()
    client.force_login(board)
    times = {}
    for name, url in (("page", "/reports/2025/"), ("pdf", "/reports/2025.pdf")):
        runs = []
        for _ in range(3):
            begin = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            runs.append(time.perf_counter() - begin)
            assert response.status_code == 200, response.status_code
        times[name] = sorted(runs)[1]
    print(
        f"loaded {FACTS:,} facts in {loaded:.0f} s; page {times['page']:.2f} s; pdf {times['pdf']:.2f} s"
    )
    return (
        "## The annual report over 1,000,000 facts\n\n"
        f"{FACTS:,} fact rows over ten years (100,000 a year), on PostgreSQL. Median of 3, through\n"
        "Django's test client (the whole view: queries, suppression, charts, template):\n\n"
        "| output | time |\n|---|---:|\n"
        f"| page (HTML) | {times['page']:.2f} s |\n| PDF | {times['pdf']:.2f} s |\n"
    )
