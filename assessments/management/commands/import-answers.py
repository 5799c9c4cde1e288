from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.exchange import import_answers
from core.tables import ImportRejected
from organisations.management.reporting import progress_bar, rejected


class Command(BaseCommand):
    help = (
        "Import answers from a CSV or XLSX file (columns ods_code, round, care_setting, "
        "domain_id; optionally elements_met such as 1a;1b;2a, not_applicable, "
        "not_applicable_reason, comment). The whole file is checked first: any problem and "
        "nothing is imported. Each changed answer keeps its history."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument(
            "--by",
            help="the email address of the person the changes are recorded against; "
            "their roles must let them change those answers",
        )

    def handle(self, *args, path, by, **options):
        person = None
        if by:
            person = get_user_model().objects.filter(email__iexact=by).first()
            if person is None:
                raise CommandError(f"--by: nobody has the email address {by}")
        try:
            with progress_bar(f"Importing {path}") as progress:
                summary = import_answers(path=path, by=person, progress=progress)
        except ImportRejected as error:
            raise rejected(path, error) from error
        self.stdout.write(self.style.SUCCESS(f"Answers from {path}: {summary}"))
