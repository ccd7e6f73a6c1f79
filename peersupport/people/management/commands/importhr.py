from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peersupport.people.hr_import import Report, import_csv


class Command(BaseCommand):
    help = "Import departments, functions and employees from the HR system's CSV export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        report = import_csv(data, dry_run=dry_run)
        if not report.ok:
            for line, message in report.errors:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(f"{len(report.errors)} errors; nothing was changed.")
        self.stdout.write(summary(report))


def summary(report: Report) -> str:
    prefix = "Dry run, nothing changed. Would have: " if report.dry_run else ""
    return (
        f"{prefix}{len(report.created)} added, {len(report.updated)} updated, "
        f"{len(report.deactivated)} deactivated (leavers); "
        f"{len(report.departments_created)} new departments, "
        f"{len(report.functions_created)} new functions."
    )
