"""The worker: delivers the outbox. Run several in production, on any machines.

In a loop it survives the database going away and stops cleanly on SIGTERM or SIGINT
after the message in hand (operations.loop)."""

from django.core.management.base import BaseCommand, CommandParser

from peersupport.notices.delivery import deliver_due, release_held
from peersupport.operations.loop import Loop
from peersupport.operations.models import ProcessKind


class Command(BaseCommand):
    help = "Deliver due messages over SMTP (once, until none are due, or in a loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true", help="Keep delivering until stopped.")
        mode.add_argument("--until-empty", action="store_true", help="Stop when nothing is due.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds.")
        parser.add_argument(
            "--backoff-cap",
            type=float,
            default=30.0,
            help="Longest wait (s) between attempts while the database is unavailable.",
        )

    def handle(
        self,
        *args: object,
        loop: bool,
        until_empty: bool,
        interval: float,
        backoff_cap: float,
        **options: object,
    ) -> None:
        worker = Loop(ProcessKind.WORKER, interval, backoff_cap)
        worker.install_signals()
        total = 0

        def work(_loop: Loop) -> bool:
            nonlocal total
            release_held()
            sent = deliver_due(
                stopping=lambda: worker.stopping,
                pulse=worker.pulse if loop else lambda: None,
            )
            total += sent
            return sent > 0

        if loop:
            worker.run(work)
        else:  # once, or until nothing is due: a database error ends the run
            while work(worker) and until_empty and not worker.stopping:
                pass
        self.stdout.write(f"{total} messages sent.")
