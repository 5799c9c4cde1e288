from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.tables import ImportRejected
from organisations import services


class Command(BaseCommand):
    help = (
        "Load published size profiles (columns ods_code, year, annual_expenditure in £ million, "
        "staff, source), used to find similar organisations. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            result = services.import_profiles(path=path)
        except ImportRejected as rejected:
            raise CommandError("\n".join(rejected.messages) + "\nNothing was loaded.") from rejected
        self.stdout.write(self.style.SUCCESS(str(result)))
