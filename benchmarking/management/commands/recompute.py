from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from assessments.models import Round
from benchmarking import tasks


class Command(BaseCommand):
    help = (
        "Recompute stored scores and peer figures from the answers, for one round or every "
        "round: queued as one background task a round (the round's pages say its figures are "
        "updating until done), or with --now here, with a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--round", dest="round_name", help='a round name, e.g. "2026/27"; default: every round'
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="recompute in this process and wait, instead of queueing for the worker",
        )

    def handle(self, *args, round_name=None, now=False, **options):
        rounds = Round.objects.order_by("opens_on")
        if round_name:
            rounds = rounds.filter(name=round_name)
            if not rounds:
                known = ", ".join(Round.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No round is called {round_name!r}. Rounds: {known}.")
        rounds = list(rounds)
        count = f"{len(rounds)} round{'s' if len(rounds) != 1 else ''}"
        if not now:
            for round_ in rounds:
                tasks.queue_round_recompute(round_=round_)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Queued the recompute of {count}: `northstar worker` runs it, "
                    "and `northstar tasks` shows how it went."
                )
            )
            return
        with Progress(transient=True) as progress:
            bar = progress.add_task("Recomputing scores and peer figures", total=len(rounds))
            for round_ in rounds:
                progress.update(bar, description=f"Recomputing {round_}")
                tasks.recompute_round.call(round_.pk)
                progress.advance(bar)
        self.stdout.write(self.style.SUCCESS(f"Recomputed {count}."))
