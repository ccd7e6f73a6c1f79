"""National scale: 100 hospitals' worth of data in one PostgreSQL database, served by
gunicorn and loaded by wrk from a second process on loopback.

1,500,000 employees, 10,000 supporters, 500,000 cases over ten years with their
history, conversations and report facts. Then, in one run:

- p50/p95 latency and throughput of the coordinator dashboard, the case page, the
  supporter's list, the directory and the intake API, each beside ``/healthz/`` (a
  trivial Django view through the same middleware, served by the same gunicorn);
- the deadline sweep over all open cases, the annual report, and the HR import of
  the whole 1,500,000-line file.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
EMPLOYEES = 1_500_000
SUPPORTERS = 10_000
CASES = 500_000
DEPARTMENTS = 4_000  # 100 hospitals × 40
FUNCTIONS = 60
YEARS = 10
OPEN_DAYS = 30  # cases received in the last 30 days are still open
PASSWORD = "bench-password-1"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))

CATEGORIES = [
    "calamity",
    "incident",
    "complaint",
    "claim",
    "disciplinary_legal",
    "chronic_stress",
    "aggression",
    "other",
]
CHANNELS = ["manager", "colleague", "calamity_group", "self_coordinator", "incident_report"]
GROUPS = ["nursing", "medical", "allied", "support", "management", "other"]


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def generate() -> dict[str, float]:
    """The data set, written with INSERT … SELECT generate_series (minutes, not hours)."""
    from django.contrib.auth.hashers import make_password

    from peersupport.cases.models.case import recompute_open_deadlines

    now = timezone.now()
    timings = {}
    cats, chans, groups = sql_array(CATEGORIES), sql_array(CHANNELS), sql_array(GROUPS)
    password = make_password(PASSWORD)  # one hash for every account
    spread = f"(1 + (s::bigint * 149) % {EMPLOYEES})"  # a different employee for each s
    span = f"interval '{YEARS * 365} days'"
    # Case i (1 … CASES) is received at now - span × (CASES - i) / CASES: the newest last.
    at_now = f"'{now.isoformat()}'::timestamptz"
    received = f"({at_now} - {span} * ((({CASES} - i)::float) / {CASES}))"
    age_days = f"(extract(epoch from {at_now} - {received}) / 86400)"
    status = (
        f"CASE WHEN {age_days} >= {OPEN_DAYS} THEN 'closed' WHEN {age_days} < 1 THEN 'new' "
        f"WHEN {age_days} < 3 THEN 'assigned' WHEN {age_days} < 5 THEN 'offered' "
        f"WHEN {age_days} < 8 THEN 'accepted' ELSE 'in_progress' END"
    )
    steps = [
        (
            "departments, functions",
            f"""
            INSERT INTO people_department (id, code, name, is_active)
            SELECT d, 'H' || lpad((d / 40)::text, 3, '0') || '-' || (d % 40),
                   'Afdeling ' || d, true FROM generate_series(1, {DEPARTMENTS}) d;
            INSERT INTO people_function (id, code, name, "group")
            SELECT f, 'F' || f, 'Functie ' || f, ({groups})[1 + f % {len(GROUPS)}]
            FROM generate_series(1, {FUNCTIONS}) f;
            """,
        ),
        (
            "employees",
            f"""
            INSERT INTO people_employee (id, staff_number, name, email, phone, is_active,
                                         department_id, function_id)
            SELECT i, (1000000 + i)::text, 'Medewerker ' || i, 'm' || i || '@zh.example', '',
                   true, 1 + i % {DEPARTMENTS}, 1 + (i * 31) % {FUNCTIONS}
            FROM generate_series(1, {EMPLOYEES}) i;
            """,
        ),
        (
            "supporters and their accounts",
            f"""
            INSERT INTO people_user (id, password, is_superuser, username, first_name, last_name,
                                     email, is_staff, is_active, date_joined, language)
            SELECT s, '{password}', false, 'supporter-' || s, 'Medewerker', s::text,
                   'm' || s || '@zh.example', false, true, {at_now}, ''
            FROM generate_series(1, {SUPPORTERS}) s;
            INSERT INTO people_rolegrant (role, user_id)
            SELECT r, s FROM generate_series(1, {SUPPORTERS}) s,
                 unnest(ARRAY['supporter', 'employee']) r;
            -- Supporters spread over all employees, as in a real pool, not the first ids.
            UPDATE people_employee e SET user_id = s FROM generate_series(1, {SUPPORTERS}) s
            WHERE e.id = {spread};
            INSERT INTO supporters_supporter (id, capacity, trained_on, listed_in_directory,
                                              is_active, employee_id, phone, photo)
            SELECT s, 3, DATE '2020-01-01' + (s % 1500), true, true, {spread}, '', ''
            FROM generate_series(1, {SUPPORTERS}) s;
            """,
        ),
        (
            "events, requests, cases",
            f"""
            INSERT INTO cases_event (id, category, event_date, serious_incident,
                                     reported_to_inspectorate, offer_mandatory, created_at,
                                     department_id)
            SELECT i, ({cats})[1 + i % 8], ({received} AT TIME ZONE 'Europe/Amsterdam')::date - 1,
                   i % 50 = 0, false, i % 50 = 0, {received}, 1 + i % {DEPARTMENTS}
            FROM generate_series(1, {CASES}) i;
            INSERT INTO cases_request (id, channel, received_at, external_reference, fingerprint,
                                       event_id)
            SELECT i, ({chans})[1 + i % 5], {received}, '', '', i
            FROM generate_series(1, {CASES}) i;
            INSERT INTO cases_case (id, status, clock_started_at, contact_attempts,
                                    first_contact_at, offered_at, answered_at, closure_reason,
                                    closed_at, next_deadline_kind, employee_id, supporter_id,
                                    event_id, request_id)
            SELECT i, st, r, 0,
                   CASE WHEN st IN ('new', 'assigned') THEN NULL ELSE r + interval '20 hours' END,
                   CASE WHEN st IN ('new', 'assigned') THEN NULL ELSE r + interval '20 hours' END,
                   CASE WHEN st IN ('new', 'assigned', 'offered') THEN NULL
                        ELSE r + interval '30 hours' END,
                   CASE WHEN st = 'closed' THEN 'recovered' ELSE '' END,
                   CASE WHEN st = 'closed' THEN r + interval '28 days' END,
                   '',
                   {SUPPORTERS} + 1 + (i::bigint * 7919) % ({EMPLOYEES} - {SUPPORTERS}),
                   CASE WHEN st = 'new' THEN NULL ELSE 1 + (i * 13) % {SUPPORTERS} END,
                   i, i
            FROM (SELECT i, {received} AS r, {status} AS st
                  FROM generate_series(1, {CASES}) i) c;
            """,
        ),
        (
            "history, conversations",
            """
            INSERT INTO cases_casetransition (action, from_status, to_status, at, reason,
                                              conversation_number, case_id, supporter_id)
            SELECT s.action, s.from_status, s.to_status, c.clock_started_at + s.after, '',
                   s.number, c.id, c.supporter_id
            FROM cases_case c
            JOIN (VALUES
              (1, 'open', '', 'new', interval '0', NULL::smallint),
              (2, 'assign', 'new', 'assigned', interval '2 hours', NULL),
              (3, 'offer', 'assigned', 'offered', interval '20 hours', NULL),
              (4, 'accept', 'offered', 'accepted', interval '30 hours', NULL),
              (5, 'hold_conversation', 'accepted', 'in_progress', interval '3 days', 1),
              (6, 'hold_conversation', 'in_progress', 'in_progress', interval '12 days', 2),
              (7, 'close', 'in_progress', 'closed', interval '28 days', NULL)
            ) AS s(step, action, from_status, to_status, after, number)
              ON s.step <= CASE c.status WHEN 'new' THEN 1 WHEN 'assigned' THEN 2
                 WHEN 'offered' THEN 3 WHEN 'accepted' THEN 4 WHEN 'in_progress' THEN 5
                 ELSE 7 END;
            INSERT INTO cases_conversation (number, held_at, mode, case_id)
            SELECT n, c.clock_started_at + CASE n WHEN 1 THEN interval '3 days'
                   ELSE interval '12 days' END, 'in_person', c.id
            FROM cases_case c CROSS JOIN generate_series(1, 2) n
            WHERE c.status = 'closed' OR (c.status = 'in_progress' AND n = 1);
            """,
        ),
        (
            "report facts",
            f"""
            INSERT INTO reports_fact (year, month, kind, channel, category, function_group,
                                      mandatory, conversation_number, referral_type,
                                      closure_reason, hours_to_first_contact)
            SELECT extract(year FROM t.at AT TIME ZONE 'Europe/Amsterdam'),
                   extract(month FROM t.at AT TIME ZONE 'Europe/Amsterdam'),
                   CASE t.action WHEN 'open' THEN 'request' WHEN 'offer' THEN 'offer'
                        WHEN 'accept' THEN 'accepted' WHEN 'hold_conversation' THEN 'conversation'
                        ELSE 'closure' END,
                   r.channel, e.category, ({groups})[1 + e.id % {len(GROUPS)}], e.offer_mandatory,
                   t.conversation_number, '',
                   CASE WHEN t.action = 'close' THEN 'recovered' ELSE '' END, NULL
            FROM cases_casetransition t JOIN cases_case c ON c.id = t.case_id
            JOIN cases_event e ON e.id = c.event_id JOIN cases_request r ON r.id = c.request_id
            WHERE t.action IN ('open', 'offer', 'accept', 'hold_conversation', 'close');
            INSERT INTO reports_fact (year, month, kind, channel, category, function_group,
                                      mandatory, referral_type, closure_reason,
                                      hours_to_first_contact)
            SELECT extract(year FROM c.first_contact_at AT TIME ZONE 'Europe/Amsterdam'),
                   extract(month FROM c.first_contact_at AT TIME ZONE 'Europe/Amsterdam'),
                   'first_contact', '', e.category, ({groups})[1 + e.id % {len(GROUPS)}], false,
                   '', '', 20
            FROM cases_case c JOIN cases_event e ON e.id = c.event_id
            WHERE c.first_contact_at IS NOT NULL;
            """,
        ),
    ]
    with connection.cursor() as cursor:
        for name, sql in steps:
            start = time.perf_counter()
            with transaction.atomic():
                cursor.execute(sql)
            timings[name] = time.perf_counter() - start
            print(f"  {name}: {timings[name]:.0f} s", flush=True)
        for table in (
            "people_user",
            "people_department",
            "people_function",
            "people_employee",
            "supporters_supporter",
            "cases_event",
            "cases_request",
            "cases_case",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    start = time.perf_counter()
    recompute_open_deadlines()
    timings["deadlines of open cases"] = time.perf_counter() - start
    return timings


@dataclass
class Personas:
    coordinator: str  # session keys
    supporter: str
    token: str
    case_ids: list[int]


def personas() -> Personas:
    from django.db.models import Count
    from django.test import Client

    from peersupport.accounts.second_factor import VERIFIED
    from peersupport.cases.models import Case
    from peersupport.people.models import ApiToken, Employee, Role, Scope, User
    from peersupport.supporters.models import Supporter

    def session_for(user: User) -> str:
        client = Client()
        client.force_login(user)
        session = client.session
        session[VERIFIED] = True  # signed in with their second factor, as in production
        session.save()
        return session.session_key or ""

    # The supporter with the most open cases (the longest list).
    busiest = (
        Case.objects.open()
        .exclude(supporter=None)
        .values("supporter")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    coordinator_user = User.objects.create_user("coordinator-bench", password=PASSWORD)
    for role in (Role.COORDINATOR, Role.EMPLOYEE):
        coordinator_user.roles.create(role=role)
    Employee.objects.filter(pk=EMPLOYEES).update(user=coordinator_user)
    coordinator = session_for(coordinator_user)
    supporter_user = Supporter.objects.get(pk=busiest["supporter"]).employee.user
    assert supporter_user is not None
    supporter_session = session_for(supporter_user)
    _token, plaintext = ApiToken.issue("bench", Scope.SUBMIT_REQUESTS)
    # Case pages across ten years, old and open alike.
    step = CASES // 200
    case_ids = list(
        Case.objects.filter(pk__in=range(1, CASES + 1, step)).values_list("pk", flat=True)
    )
    return Personas(coordinator, supporter_session, plaintext, case_ids)


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",  # behind the hospital's TLS proxy
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "peersupport.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=server_env(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return shutil.which("wrk") or "wrk"
    raise RuntimeError("make bench needs wrk (Debian: apt-get install wrk)")


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def wrk_script(paths: list[str], headers: dict[str, str], post_body: str | None) -> str:
    lua_headers = ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items())
    lua_paths = ", ".join(f'"{p}"' for p in paths)
    if post_body is None:
        request = f"""
paths = {{{lua_paths}}}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[1 + counter % #paths], {{{lua_headers}}})
end
"""
    else:
        # A fresh external reference per request: every POST is a new request, not a repeat.
        request = f"""
thread_number = 0
setup = function(thread)
  thread_number = thread_number + 1
  thread:set("tid", thread_number)
end
counter = 0
request = function()
  counter = counter + 1
  local body = string.gsub('{post_body}', 'REF', tid .. '-' .. counter)
  body = string.gsub(body, 'STAFF', tostring(1000000 + {SUPPORTERS} + (counter * 104729 + tid * 7) % 1400000))
  return wrk.format("POST", "{paths[0]}", {{{lua_headers}}}, body)
end
"""
    return request + WRK_DONE


def load(
    wrk: str,
    port: int,
    name: str,
    paths: list[str],
    headers: dict[str, str],
    post_body: str | None = None,
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(paths, headers, post_body))
    threads = min(2, CONNECTIONS)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "--timeout",
        "10s",
        "-s",
        script.name,
        f"http://127.0.0.1:{port}{paths[0]}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    print(
        f"  {name}: p50 {result['p50'] / 1000:.1f} ms, p95 {result['p95'] / 1000:.1f} ms, "
        f"{result['rps']:.0f}/s, errors {result['errors']}, bad status {result['bad_status']}",
        flush=True,
    )
    return result


def drain(port: int) -> None:
    """Let the requests wrk left in flight finish, so the next run starts on idle workers."""
    quick = 0
    while quick < 3:
        start = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=120).read()
        quick = quick + 1 if time.perf_counter() - start < 0.05 else 0
    time.sleep(1)


def check_page(port: int, path: str, headers: dict[str, str], expect: str) -> None:
    """Before loading a page: it answers 200 with what the user came for (not a sign-in)."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(req, timeout=60) as response:
        body = response.read().decode()
        assert response.status == 200 and response.url.endswith(path), (path, response.url)
        assert expect in body, f"{path}: {expect!r} not on the page"


def http_load(people: Personas) -> list[tuple[str, dict[str, float]]]:
    wrk = ensure_wrk()
    cookie = "__Host-sessionid"  # the session cookie's name when DEBUG=false, as gunicorn runs
    coordinator = {"Cookie": f"{cookie}={people.coordinator}", "Accept-Language": "en"}
    supporter = {"Cookie": f"{cookie}={people.supporter}", "Accept-Language": "en"}
    api = {"Authorization": f"Bearer {people.token}", "Content-Type": "application/json"}
    today = timezone.localdate().isoformat()
    body = json.dumps(
        {
            "external_reference": "BENCH-1",
            "category": "incident",
            "event_date": today,
            "department": "H000-1",
            "employees": [{"staff_number": "STAFF"}],
        }
    )
    case_paths = [f"/cases/{pk}/" for pk in people.case_ids]
    log = Path(tempfile.mkdtemp()) / "access.log"
    server = start_gunicorn(WORKERS, PORT, log)
    results = []
    try:
        check_page(PORT, "/cases/dashboard/", coordinator, "What needs doing now")
        check_page(PORT, case_paths[-1], coordinator, "History")
        check_page(PORT, "/cases/", supporter, "Medewerker ")
        check_page(PORT, "/directory/", supporter, "Medewerker")
        plan = [
            ("trivial view `/healthz/`", ["/healthz/"], {}, None),
            ("coordinator dashboard", ["/cases/dashboard/"], coordinator, None),
            ("case page (200 cases over ten years)", case_paths, coordinator, None),
            ("supporter's list of cases", ["/cases/"], supporter, None),
            ("directory", ["/directory/"], supporter, None),
            ("intake API (POST, a new request each)", ["/api/v1/requests"], api, body),
        ]
        for name, paths, headers, post in plan:
            results.append((name, load(wrk, PORT, name, paths, headers, post)))
            drain(PORT)
        # The trivial view once more at the end: the machine did not drift during the run.
        results.append(
            ("trivial view, again at the end", load(wrk, PORT, "trivial again", ["/healthz/"], {}))
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def timed_jobs() -> list[tuple[str, float, str]]:
    from django.test import Client

    from bench.run import timed
    from peersupport.cases.models import Case
    from peersupport.cases.reminders import sweep
    from peersupport.people.hr_import import import_csv
    from peersupport.people.models import Employee, Role, User

    jobs = []
    open_cases = Case.objects.open().count()
    took, _best, created = timed(sweep, repeat=1)
    jobs.append(
        (
            "deadline sweep, first run",
            took / 1000,
            f"{open_cases:,} open cases; {created:,} reminders and warnings queued",
        )
    )
    took, _best, again = timed(sweep, repeat=1)
    jobs.append(
        ("deadline sweep, next run", took / 1000, f"{again:,} new (each reminder is queued once)")
    )

    board = User.objects.create_user("board-bench", password=PASSWORD)
    board.roles.create(role=Role.BOARD)
    client = Client()
    client.force_login(board)
    year = timezone.localdate().year - 1
    from peersupport.reports.annual import publish
    from peersupport.reports.models import Fact

    facts = Fact.objects.filter(year__in=[year, year - 1]).count()
    # The board reads published years only: publish them (count, protect, audit).
    start = time.perf_counter()
    publish(year)
    jobs.append(("annual report: publish (with audit)", time.perf_counter() - start, f"{year}"))
    publish(year - 1)
    for label, url in (
        ("annual report page", f"/reports/{year}/"),
        ("annual report PDF", f"/reports/{year}.pdf"),
    ):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code
        jobs.append(
            (label, time.perf_counter() - start, f"{year} beside {year - 1}: {facts:,} facts")
        )

    # The HR export of everyone, 1% with a changed name and 0.5% gone.
    lines = [
        "personeelsnummer;naam;e-mail;telefoon;afdelingscode;afdeling;functiecode;functie;leidinggevende"
    ]
    rows = (
        Employee.objects.values_list(
            "id", "staff_number", "name", "email", "department__code", "function__code"
        )
        .order_by("id")
        .iterator(chunk_size=20000)
    )
    for pk, number, name, email, department, function in rows:
        if pk % 200 == 7:
            continue
        if pk % 100 == 3:
            name += " (gewijzigd)"
        lines.append(f"{number};{name};{email};;{department};;{function};;")
    data = ("\r\n".join(lines) + "\r\n").encode()
    start = time.perf_counter()
    report = import_csv(data)
    took = time.perf_counter() - start
    assert report.ok, report.errors[:3]
    jobs.append(
        (
            "HR import of the whole file",
            took,
            f"{len(lines) - 1:,} lines: {len(report.updated):,} updated, {len(report.deactivated):,} left",
        )
    )
    return jobs


def run() -> str:
    from peersupport.cases.models import Case, CaseTransition
    from peersupport.reports.models import Fact

    print("  generating the national data set …", flush=True)
    generation = generate()
    counts = {
        "cases": Case.objects.count(),
        "open": Case.objects.open().count(),
        "transitions": CaseTransition.objects.count(),
        "facts": Fact.objects.count(),
    }
    people = personas()
    results = http_load(people)
    jobs = timed_jobs()
    trivial = results[0][1]
    rows = []
    for name, r in results:
        rows.append(
            f"| {name} | {r['p50'] / 1000:.1f} ms | {r['p95'] / 1000:.1f} ms | {r['rps']:.0f}/s "
            f"| {r['p50'] / trivial['p50']:.1f}× | {r['p95'] / trivial['p95']:.1f}× "
            f"| {trivial['rps'] / r['rps']:.1f}× | {r['errors'] + r['bad_status']} |"
        )
    slowest = max(results[1:-1], key=lambda item: item[1]["p50"])
    return (
        "## National scale: 100 hospitals in one database\n\n"
        f"Generated in PostgreSQL: {EMPLOYEES:,} employees in {DEPARTMENTS:,} departments, "
        f"{SUPPORTERS:,} supporters,\n{counts['cases']:,} cases over ten years "
        f"({counts['open']:,} open: those of the last {OPEN_DAYS} days), "
        f"{counts['transitions']:,} history rows, {counts['facts']:,} report facts\n"
        f"(generation: {sum(generation.values()):.0f} s). Retention would delete ended cases "
        "after six months; they are kept here, which makes every table far larger than in use.\n\n"
        f"Served by gunicorn ({WORKERS} sync workers, DEBUG=false, every middleware on: sessions,\n"
        "CSP, the access log), loaded by `wrk` from a second process on loopback, "
        f"{CONNECTIONS} connections, {DURATION} each.\nSigned-in pages use real sessions "
        "(second factor passed); the case page writes an access-log row per view.\n"
        "Ratios are against the trivial view in the same run (latency: how many times slower;\n"
        "throughput: how many times fewer requests per second).\n\n"
        "| what | p50 | p95 | throughput | p50 ratio | p95 ratio | throughput ratio | errors |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"Slowest page: **{slowest[0]}**, p50 {slowest[1]['p50'] / trivial['p50']:.1f}× the trivial view.\n\n"
        "| job | time | what |\n|---|---:|---|\n"
        + "\n".join(f"| {name} | {took:.1f} s | {what} |" for name, took, what in jobs)
        + "\n"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run through bench/run.py: .venv/bin/python bench/run.py national")
