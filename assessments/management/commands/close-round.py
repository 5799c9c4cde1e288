from django.core.management.base import BaseCommand, CommandError

from assessments import workflow
from assessments.models import Round


class Command(BaseCommand):
    help = (
        "Close a round (for example when its closing date has passed): it takes no more "
        "answers, and every validated assessment in it is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's name, e.g. 2026/27")

    def handle(self, *args, round, **options):
        found = Round.objects.filter(name=round).first()
        if found is None:
            raise CommandError(f"There is no round called {round}")
        try:
            published = workflow.close_round(round=found, by=None)
        except workflow.AssessmentError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Round {round} closed; {published} validated assessments published."
            )
        )
