from django.core.management.base import BaseCommand

from core.tables import ImportRejected
from organisations import services
from organisations.management.reporting import rejected


class Command(BaseCommand):
    help = (
        "Import successions between organisations from a CSV or XLSX file (columns "
        "predecessor_ods_code, successor_ods_code, succession_date, succession_type). "
        "Each predecessor closes the day before its succession. Import the organisations first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")

    def handle(self, *args, path, **options):
        try:
            result = services.import_successions(path=path)
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(self.style.SUCCESS(f"Successions: {result}"))
