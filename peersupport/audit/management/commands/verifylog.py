from django.core.management.base import BaseCommand, CommandError

from peersupport.audit.models import verify_chain


class Command(BaseCommand):
    help = "Check the access log's hash chain; name the first row that was changed or removed."

    def handle(self, *args: object, **options: object) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"The access log is broken at row {broken} (after {checked} good rows)."
            )
        self.stdout.write(f"The access log is intact: {checked} rows.")
