from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.tables import ImportRejected
from scoring import published


class Command(BaseCommand):
    help = (
        "Load scores NHS England published (the DMA data report's pillar scores) as "
        "published rounds with measure-level results, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="CSV or XLSX, like data/published/dma2025_pillar_scores.csv"
        )

    def handle(self, *args, path, **options):
        try:
            summary = published.import_published_scores(path=path)
        except ImportRejected as rejected:
            count = rejected.count
            raise CommandError(
                "\n".join(rejected.messages)
                + f"\n{count} problem{'s' if count != 1 else ''}; nothing was loaded."
            ) from rejected
        self.stdout.write(self.style.SUCCESS(str(summary)))
