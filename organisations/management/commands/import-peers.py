from django.core.management.base import BaseCommand
from django.db import transaction

from core.tables import ImportRejected
from organisations import services
from organisations.management.reporting import rejected


class Command(BaseCommand):
    help = (
        "Load published lists of similar trusts (columns ods_code, peer_ods_code; optional "
        "source), replacing those loaded before. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--source", default="", help="where the lists were published")

    def handle(self, *args, path, source, **options):
        try:
            with transaction.atomic():
                result = services.import_peers(path=path, source=source)
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Similar trusts: {result}; the peer figures of every published round are being recomputed"
            )
        )
