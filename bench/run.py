"""`make bench`: benchmarks, kept apart from the tests (speed is measured, not asserted).

Runs against a PostgreSQL database of its own (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/peersupport_bench), which it drops and creates
fresh, and writes its figures to BENCHMARKS.md.

    .venv/bin/python bench/run.py [NAME ...]      # all benchmarks, or the named ones
"""

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peersupport_bench"
)


def fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
        # The planner's cost of a random read on SSD storage (the README's deployment
        # advice); the default (4) is for spinning disks and picks whole-table scans.
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def timed(func: Callable[[], object], repeat: int = 5) -> tuple[float, float, object]:
    """Median and best wall time in milliseconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), result


def main(names: list[str]) -> None:
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    fresh_database(BENCH_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import hr_import, matching, national, report

    benches = {
        "matching": matching.run,
        "hr_import": hr_import.run,
        "report": report.run,
        "national": national.run,
    }
    chosen = names or list(benches)
    sections = previous_sections()
    for name in chosen:
        print(f"== {name}", flush=True)
        call_command("flush", interactive=False, verbosity=0)  # each starts from an empty database
        sections[name] = benches[name]()
    write_report({name: sections[name] for name in benches if name in sections})


MARK = "<!-- bench: {} -->\n"


def previous_sections() -> dict[str, str]:
    """The figures of benchmarks not run this time stay in BENCHMARKS.md as they were."""
    path = ROOT / "BENCHMARKS.md"
    if not path.exists():
        return {}
    found = {}
    for part in path.read_text(encoding="utf-8").split("<!-- bench: ")[1:]:
        name, _sep, text = part.partition(" -->\n")
        found[name] = text
    return found


def write_report(sections: dict[str, str]) -> None:
    header = (
        "# Benchmarks\n\n"
        "Measured by `make bench` (`bench/run.py`) on a fresh PostgreSQL database; speed is\n"
        "measured here, never asserted in tests. Reproduce with `make bench`, or one part\n"
        "with `.venv/bin/python bench/run.py NAME`.\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}.\n"
    )
    text = header + "\n" + "\n".join(MARK.format(name) + text for name, text in sections.items())
    (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
