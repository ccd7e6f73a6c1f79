"""The scheduler: sweeps the deadlines for reminders and warnings. Run exactly one.
(Two would still send nothing twice, but would do the work twice.)"""

import signal
import time

from django.core.management.base import BaseCommand, CommandParser

from peersupport.cases.reminders import sweep


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
            if not loop:
                self.stdout.write(f"{created} reminders stored.")
                return
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if stopping:
                return
