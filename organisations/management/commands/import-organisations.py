import argparse

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.tables import ImportRejected, parse_date
from organisations import services
from organisations.management.reporting import progress_bar, rejected


def iso_date(value):
    day = parse_date(value)
    if day is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD")
    return day


class Command(BaseCommand):
    help = (
        "Import organisations and their ICS membership from a CSV or XLSX file "
        "(columns ods_code, name, org_type, icb_code, region; optionally care_settings, "
        "opened_on, closed_on). The whole file is checked first: any problem and nothing "
        "is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument(
            "--effective-from",
            type=iso_date,
            help="the date this structure took effect, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args, path, effective_from, **options):
        effective_from = effective_from or timezone.localdate()
        try:
            with progress_bar(f"Importing {path}") as progress:
                result = services.import_organisations(
                    path=path, effective_from=effective_from, progress=progress
                )
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(
            self.style.SUCCESS(f"Organisations effective from {effective_from}: {result}")
        )
