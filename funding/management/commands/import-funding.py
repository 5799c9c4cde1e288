from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.tables import ImportRejected
from funding.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, import_funding
from organisations.management.reporting import rejected


class Command(BaseCommand):
    help = (
        f"Record IT spend and funding lines from a CSV or XLSX file (columns "
        f"{', '.join(IMPORT_REQUIRED)}; optionally {', '.join(IMPORT_OPTIONAL)}). One row per "
        "funding line; a year's totals on its first row. Amounts in pounds; years like 2025/26. "
        "Each organisation-year in the file is replaced whole. The whole file is checked first: "
        "any problem and nothing is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--by", help="the email address of the person recording it")

    def handle(self, *args, path, by, **options):
        person = None
        if by:
            person = get_user_model().objects.filter(email__iexact=by).first()
            if person is None:
                raise CommandError(f"--by: nobody has the email address {by}")
        try:
            result = import_funding(path=path, by=person)
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(self.style.SUCCESS(f"Funding from {path}: {result}"))
