"""The scheduler: sweeps the deadlines for reminders and warnings, deletes what
retention says must go, and writes the access log's daily anchor. Run exactly one.
(Two would still send nothing twice, but would do the work twice.)

In a loop it survives the database going away (a sweep is safe to repeat: each
reminder has its key) and stops cleanly on SIGTERM or SIGINT (operations.loop).
Each completed sweep is recorded in its heartbeat, which the watchdog reads."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from peersupport.audit.anchor import anchor_if_due
from peersupport.cases.reminders import sweep
from peersupport.cases.retention import purge
from peersupport.operations.loop import Loop
from peersupport.operations.models import ProcessKind, beat, forget_old


class Command(BaseCommand):
    help = "Sweep deadlines and store the reminders that are due (once, or every --interval s)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument(
            "--backoff-cap",
            type=float,
            default=30.0,
            help="Longest wait (s) between attempts while the database is unavailable.",
        )

    def handle(
        self, *args: object, loop: bool, interval: float, backoff_cap: float, **options: object
    ) -> None:
        if not loop:
            created = sweep()
            purged = purge()
            anchor_if_due()
            forget_old(timezone.now() - timedelta(days=7))  # processes long gone
            beat(ProcessKind.SCHEDULER, interval, swept=True)
            self.stdout.write(
                f"{created} reminders stored; {purged.cases} ended cases deleted, "
                f"{purged.requests_carried_out} deletion requests carried out."
            )
            return
        scheduler = Loop(ProcessKind.SCHEDULER, interval, backoff_cap)
        scheduler.install_signals()

        def work(_loop: Loop) -> bool:
            sweep()
            purge()
            anchor_if_due()
            forget_old(timezone.now() - timedelta(days=7))  # processes long gone
            return False

        scheduler.run(work, swept=True)
