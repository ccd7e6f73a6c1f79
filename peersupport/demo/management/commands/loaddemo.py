"""manage.py loaddemo [--if-empty] [--seed N]: the demo hospital (peersupport/demo/)."""

import random

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from peersupport.demo.data import ACCOUNTS, DEMO_PASSWORD
from peersupport.demo.hospital import Demo
from peersupport.people.models import (
    Employee,
)


class Command(BaseCommand):
    help = "Load the demo hospital (only into an empty database with --if-empty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there is data.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: object, **options: object) -> None:
        if options["if_empty"] and Employee.objects.exists():
            self.stdout.write("The database already has data; demo not loaded.")
        else:
            with transaction.atomic():
                Demo(random.Random(int(options["seed"]))).load()  # type: ignore[call-overload]
            self.stdout.write(self.style.SUCCESS("Demo hospital loaded."))
        self.stdout.write(
            "\nTwo-factor sign-in is off in the demo (TWO_FACTOR_REQUIRED=true turns it on).\n"
            f"Demo sign-in (password for all: {DEMO_PASSWORD}):\n"
            + "\n".join(f"  {username:<12} {what}" for username, what in ACCOUNTS)
            + "\n"
        )
