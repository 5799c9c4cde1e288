from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from assessments.models import Round
from scoring import services


class Command(BaseCommand):
    help = "Recompute stored scores and benchmarks, for one round or every round, from the answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--round", dest="round_name", help='a round name, e.g. "2026/27"; default: every round'
        )

    def handle(self, *args, round_name=None, **options):
        rounds = Round.objects.order_by("opens_on")
        if round_name:
            rounds = rounds.filter(name=round_name)
            if not rounds:
                known = ", ".join(Round.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No round is called {round_name!r}. Rounds: {known}.")
        with Progress(transient=True) as progress:
            task = progress.add_task("Recomputing scores and benchmarks", total=len(rounds))
            for round_ in rounds:
                progress.update(task, description=f"Recomputing {round_}")
                services.recompute_round(round_=round_)
                progress.advance(task)
        self.stdout.write(
            self.style.SUCCESS(f"Recomputed {len(rounds)} round{'s' if len(rounds) != 1 else ''}.")
        )
