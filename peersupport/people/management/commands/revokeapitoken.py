from django.core.management.base import BaseCommand, CommandError, CommandParser

from peersupport.people.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an integration's token; requests with it are refused from now on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: object, name: str, **options: object) -> None:
        token = ApiToken.objects.filter(name=name).first()
        if token is None:
            raise CommandError(f"No integration named {name!r}.")
        token.revoke()
        self.stdout.write(f"Revoked the token of {name}.")
