from django.core.management.base import BaseCommand, CommandError, CommandParser

from peersupport.people.models import ApiToken, Scope


class Command(BaseCommand):
    help = "Create a bearer token for an integration. The token is printed once and stored hashed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The integration, e.g. incident-reporting")
        parser.add_argument(
            "--scope", choices=Scope.values, default=Scope.SUBMIT_REQUESTS, help="What it may do"
        )

    def handle(self, *args: object, name: str, scope: str, **options: object) -> None:
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f"An integration named {name!r} already has a token.")
        _token, plaintext = ApiToken.issue(name, Scope(scope))
        self.stdout.write(plaintext)
        self.stderr.write("Store it now: it is not shown again.")
