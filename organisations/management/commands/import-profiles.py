from django.core.management.base import BaseCommand
from django.db import transaction

from core.tables import ImportRejected
from organisations import services
from organisations.management.reporting import rejected
from organisations.models import SizeMeasure


class Command(BaseCommand):
    help = (
        "Load published size figures (columns ods_code, year, then one column per size "
        f"measure: {', '.join(SizeMeasure.values)}; optional months and source), used to find "
        "similar organisations. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument(
            "--source", default="", help="where the figures were published, for every row"
        )

    def handle(self, *args, path, source, **options):
        try:
            with transaction.atomic():
                result = services.import_profiles(path=path, source=source)
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Size figures: {result}; the peer figures of every published round are being recomputed"
            )
        )
