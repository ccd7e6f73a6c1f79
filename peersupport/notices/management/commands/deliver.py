"""The worker: delivers the outbox. Run several in production, on any machines."""

import signal
import time

from django.core.management.base import BaseCommand, CommandParser

from peersupport.notices.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver due messages over SMTP (once, until none are due, or in a loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true", help="Keep delivering until stopped.")
        mode.add_argument("--until-empty", action="store_true", help="Stop when nothing is due.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds.")

    def handle(
        self, *args: object, loop: bool, until_empty: bool, interval: float, **options: object
    ) -> None:
        stopping = False

        def stop(*_args: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = 0
        while not stopping:
            sent = deliver_due()
            total += sent
            if not loop and (not until_empty or sent == 0):
                break
            if loop and sent == 0:
                time.sleep(interval)
        self.stdout.write(f"{total} messages sent.")
