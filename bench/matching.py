"""Matching one case against 10,000 supporters (national scale for one query)."""

import random
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SUPPORTERS = 10_000
OPEN_CASES = 8_000
DEPARTMENTS = 120


def build() -> object:
    from peersupport.cases.constants import Status
    from peersupport.cases.models import Case, Event, SupportRequest
    from peersupport.people.models import Department, Employee, Function, ProfessionGroup, User
    from peersupport.supporters.models import (
        Absence,
        ApproachTag,
        Experience,
        SpokenLanguage,
        Supporter,
    )
    from peersupport.vocabulary import Approach, EventCategory, Language

    rng = random.Random(10)
    departments = Department.objects.bulk_create(
        Department(code=f"D{i}", name=f"Department {i}") for i in range(DEPARTMENTS)
    )
    groups = list(ProfessionGroup)
    functions = Function.objects.bulk_create(
        Function(code=f"F{i}", name=f"Function {i}", group=groups[i % len(groups)])
        for i in range(40)
    )
    total = SUPPORTERS + OPEN_CASES + 1
    people = Employee.objects.bulk_create(
        (
            Employee(
                staff_number=str(i),
                name=f"Employee {i}",
                department=departments[i % DEPARTMENTS],
                function=functions[rng.randrange(len(functions))],
            )
            for i in range(total)
        ),
        batch_size=5000,
    )
    users = User.objects.bulk_create(
        (User(username=f"s{i}") for i in range(SUPPORTERS)), batch_size=5000
    )
    for person, user in zip(people[:SUPPORTERS], users, strict=True):
        person.user = user
    Employee.objects.bulk_update(people[:SUPPORTERS], ["user"], batch_size=5000)
    supporters = Supporter.objects.bulk_create(
        (
            Supporter(employee=p, trained_on=date(2024, 1, 1), capacity=rng.choice([2, 3, 4]))
            for p in people[:SUPPORTERS]
        ),
        batch_size=5000,
    )
    categories, approaches, languages = list(EventCategory), list(Approach), list(Language)
    Experience.objects.bulk_create(
        (
            Experience(supporter=s, category=c)
            for s in supporters
            for c in rng.sample(categories, 2)
        ),
        batch_size=5000,
    )
    ApproachTag.objects.bulk_create(
        (
            ApproachTag(supporter=s, approach=a)
            for s in supporters
            for a in rng.sample(approaches, 2)
        ),
        batch_size=5000,
    )
    SpokenLanguage.objects.bulk_create(
        (
            SpokenLanguage(supporter=s, language=x)
            for s in supporters
            for x in rng.sample(languages, 2)
        ),
        batch_size=5000,
    )
    known = Supporter.departments_known.through
    known.objects.bulk_create(
        (known(supporter=s, department=rng.choice(departments)) for s in supporters),
        batch_size=5000,
    )
    today = timezone.localdate()
    Absence.objects.bulk_create(
        Absence(supporter=s, starts_on=today, ends_on=today + timedelta(days=5))
        for s in supporters[::20]
    )
    event = Event.objects.create(category="aggression", event_date=today, department=departments[0])
    request = SupportRequest.objects.create(event=event, channel="manager")
    Case.objects.bulk_create(
        (
            Case(
                event=event,
                request=request,
                employee=p,
                supporter=supporters[rng.randrange(SUPPORTERS)],
                status=Status.IN_PROGRESS,
            )
            for p in people[SUPPORTERS:-1]
        ),
        batch_size=5000,
    )
    other = Event.objects.create(category="aggression", event_date=today, department=departments[1])
    return Case.open_for(
        request=SupportRequest.objects.create(event=other, channel="manager"), employee=people[-1]
    )


def run() -> str:
    from bench.run import timed
    from peersupport.workspace.matching import rank

    start = timezone.now()
    case = build()
    built = (timezone.now() - start).total_seconds()
    with CaptureQueriesContext(connection) as queries:
        suggestions = rank(case, approaches=["practical"], languages=["en"])  # type: ignore[arg-type]
    median, best, _result = timed(
        lambda: rank(case, approaches=["practical"], languages=["en"]),  # type: ignore[arg-type]
        repeat=5,
    )
    print(f"built in {built:.1f} s; {suggestions.total} candidates; {median:.0f} ms median")
    return (
        "## Matching one case against 10,000 supporters\n\n"
        f"{SUPPORTERS:,} supporters (each with experience, approach, language and department rows;\n"
        f"every 20th absent), {OPEN_CASES:,} open cases spread over them as load. `rank()` with an\n"
        "approach and a language asked for, scoring every candidate and explaining the best 25\n"
        "(what the matching page shows), 5 runs:\n\n"
        "| candidates left after exclusions | queries | median | best |\n"
        "|---:|---:|---:|---:|\n"
        f"| {suggestions.total:,} | {len(queries)} | {median:.0f} ms | {best:.0f} ms |\n"
    )
