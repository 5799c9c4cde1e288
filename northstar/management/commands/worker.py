from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import tasks


class Command(BaseCommand):
    help = (
        "Run the background worker for the configured tasks backend (NORTHSTAR_TASKS_BACKEND): "
        "the database by default, or RQ on Redis. It first queues the daily tasks' next runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Run every task that is due now, then stop (instead of running for ever).",
        )

    def handle(self, *args, burst, verbosity, **options):
        self.stdout.write(
            f"Northstar worker on the {settings.TASKS_BACKEND} backend"
            + (" (until nothing is due)" if burst else "")
        )
        try:
            tasks.work(burst=burst, stdout=self.stdout, verbosity=verbosity)
        except tasks.NoWorker as refusal:
            raise CommandError(str(refusal)) from refusal
