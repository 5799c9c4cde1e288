from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from assessments import tasks
from assessments.models import Round
from core.tasks import error_line


class Command(BaseCommand):
    help = (
        "Close a round (for example when its closing date has passed): it takes no more "
        "answers, and every validated assessment in it is published. Queued as a background "
        "task: `northstar worker` runs it and `northstar tasks` shows how it went."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's name, e.g. 2026/27")

    def handle(self, *args, round, **options):
        found = Round.objects.filter(name=round).first()
        if found is None:
            raise CommandError(f"There is no round called {round}")
        if found.closed_at is not None:
            raise CommandError(f"Round {round} is already closed")
        result = tasks.close_round.enqueue(found.pk)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(self.style.SUCCESS(result.return_value))
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(
                f"Closing round {round} failed: {error_line(result.errors[-1].traceback)}"
            )
        else:
            self.stdout.write(
                f"Closing round {round} is queued (task {result.id}): `northstar worker` runs it, "
                "and `northstar tasks` shows how it went."
            )
