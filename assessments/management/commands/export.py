from django.core.management.base import BaseCommand, CommandError

from assessments import exchange
from assessments.models import Assessment, Round


class Command(BaseCommand):
    help = (
        "Export data. `export answers --round 2026/27 [--organisation ODS] PATH` writes "
        "answers as CSV or XLSX (by PATH's ending), in the columns import-answers reads."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        answers = kinds.add_parser("answers", help="answers of a round, or one organisation's")
        answers.add_argument("path", help="the .csv or .xlsx file to write")
        answers.add_argument("--round", required=True, help="the round's name, e.g. 2026/27")
        answers.add_argument("--organisation", help="one organisation's ODS code")

    def handle(self, *args, kind, path, round, organisation, **options):
        if not path.lower().endswith((".csv", ".xlsx")):
            raise CommandError(f"{path}: the file must end .csv or .xlsx")
        found = Round.objects.filter(name=round).first()
        if found is None:
            raise CommandError(f"--round: there is no round called {round}")
        assessments = Assessment.objects.filter(round=found)
        if organisation:
            assessments = assessments.filter(organisation__ods_code=organisation.upper())
            if not assessments.exists():
                raise CommandError(
                    f"--organisation: {organisation} has no assessment in round {round}"
                )
        rows = list(exchange.export_rows(assessments))
        exchange.write_file(rows, path)
        self.stdout.write(self.style.SUCCESS(f"{len(rows):,} answers written to {path}"))
