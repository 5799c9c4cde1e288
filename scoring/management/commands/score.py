from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.tables import ImportRejected
from scoring import checking


class Command(BaseCommand):
    help = (
        "Recompute scores from an export of answers and scores (northstar export scores), "
        "without the database, and report every difference from the scores in the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            result = checking.check(path)
        except ImportRejected as rejected:
            raise CommandError("\n".join(rejected.messages)) from rejected
        if result.differences:
            raise CommandError(str(result))
        self.stdout.write(self.style.SUCCESS(str(result)))
