from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import exchange
from assessments.models import Assessment, Round
from core.tables import write_table
from scoring import exports

# In scoring, not assessments, because it writes scores too: assessments
# knows nothing of scores.


class Command(BaseCommand):
    help = (
        "Export data as CSV or XLSX (by PATH's ending). "
        "`export answers --round 2026/27 [--organisation ODS] PATH` writes answers in the "
        "columns import-answers reads; `export scores --round 2026/27 PATH` writes every "
        "answer and every stored score, which `northstar score PATH` recomputes."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        answers = kinds.add_parser("answers", help="answers of a round, or one organisation's")
        answers.add_argument("path", help="the .csv or .xlsx file to write")
        answers.add_argument("--round", required=True, help="the round's name, e.g. 2026/27")
        answers.add_argument("--organisation", help="one organisation's ODS code")
        scores = kinds.add_parser("scores", help="every answer and every score of a round")
        scores.add_argument("path", help="the .csv or .xlsx file to write")
        scores.add_argument("--round", required=True, help="the round's name, e.g. 2026/27")

    def handle(self, *args, kind, path, round, **options):
        if not path.lower().endswith((".csv", ".xlsx")):
            raise CommandError(f"{path}: the file must end .csv or .xlsx")
        folder = Path(path).resolve().parent
        if not folder.is_dir():
            raise CommandError(f"{path}: there is no folder {folder} to write it in")
        found = Round.objects.filter(name=round).first()
        if found is None:
            raise CommandError(f"--round: there is no round called {round}")
        if kind == "scores":
            if found.kind == Round.Kind.PUBLISHED:
                raise CommandError(
                    f"--round: {round} holds the measure scores NHS England published, not "
                    "answers, so there is nothing to recompute; export an assessed round "
                    "(its benchmark pages download the published figures as CSV)"
                )
            count = write_table(path, exports.COLUMNS, exports.score_rows(found))
            self.stdout.write(
                self.style.SUCCESS(f"{count:,} rows of answers and scores written to {path}")
            )
            return
        assessments = Assessment.objects.filter(round=found)
        if options["organisation"]:
            assessments = assessments.filter(organisation__ods_code=options["organisation"].upper())
            if not assessments.exists():
                raise CommandError(
                    f"--organisation: {options['organisation']} has no assessment in round {round}"
                )
        count = write_table(path, exchange.COLUMNS, exchange.export_rows(assessments))
        self.stdout.write(self.style.SUCCESS(f"{count:,} answers written to {path}"))
