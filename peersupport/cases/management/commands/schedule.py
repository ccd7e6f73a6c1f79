"""The scheduler: sweeps the deadlines for reminders and warnings, deletes what
retention says must go, and writes the access log's daily anchor. Run exactly one.
(Two would still send nothing twice, but would do the work twice.)"""

import signal
import time

from django.core.management.base import BaseCommand, CommandParser

from peersupport.audit.anchor import anchor_if_due
from peersupport.cases.reminders import sweep
from peersupport.cases.retention import purge


class Command(BaseCommand):
    help = "Sweep deadlines and store the reminders that are due (once, or every --interval s)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args: object, loop: bool, interval: float, **options: object) -> None:
        stopping = False

        def stop(*_args: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            created = sweep()
            purged = purge()
            anchor_if_due()
            if not loop:
                self.stdout.write(
                    f"{created} reminders stored; {purged.cases} ended cases deleted, "
                    f"{purged.requests_carried_out} deletion requests carried out."
                )
                return
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if stopping:
                return
