from django.core.management.base import BaseCommand, CommandError

from frameworks import services


class Command(BaseCommand):
    help = (
        "Check a framework file (or an ICS's local domains file) and load it in one "
        "transaction. A published version cannot change: publish a new version instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the YAML file")
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")

    def handle(self, *args, path, check, **options):
        try:
            result = services.load(path=path, check_only=check)
        except services.FrameworkFileInvalid as error:
            count = len(error.messages)
            raise CommandError(
                "\n".join(error.messages)
                + f"\n{count} problem{'s' if count != 1 else ''}; nothing was loaded."
            ) from error
        self.stdout.write(self.style.SUCCESS(str(result)))
