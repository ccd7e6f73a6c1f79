import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peersupport.audit.models import verify_chain


def anchor(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{0,64})", value.strip())
    if match is None:
        raise ValueError(value)
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Check the access log's keyed hash chain from the latest retention checkpoint, "
        "against the stored anchors and the latest anchor from outside the database; "
        "name the first row that was changed or removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            type=anchor,
            help="POSITION:HASH from the latest anchor e-mail or system log line",
        )

    def handle(self, *args: object, anchor: tuple[int, str] | None, **options: object) -> None:
        verdict = verify_chain(anchor)
        if not verdict.intact:
            raise CommandError(
                f"The access log is broken at position {verdict.broken}: {verdict.problem} "
                f"(after {verdict.checked} good rows)."
            )
        self.stdout.write(f"The access log is intact: {verdict.checked} rows.")
