from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core import tasks


def _when(moment):
    return timezone.localtime(moment).strftime("%d %b %H:%M") if moment else "–"


class Command(BaseCommand):
    help = (
        "List the background tasks most recently queued: queued, scheduled, running, "
        "failed and finished, with the error of each failed one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="(default: %(default)s)")
        parser.add_argument(
            "--status",
            choices=tasks.STATES,
            help="only tasks in this state",
        )

    def handle(self, *args, limit, status, **options):
        if not tasks.holds_tasks():
            self.stdout.write(
                f"The {settings.TASKS_BACKEND} tasks backend runs each task as it is queued "
                "and keeps no list."
            )
            return
        rows = tasks.task_rows(limit, status)
        if not rows:
            which = f"{status} tasks" if status else "tasks"
            self.stdout.write(f"No {which} on the {settings.TASKS_BACKEND} backend.")
            return
        for row in rows:
            when = (
                f"runs {_when(row.run_after)}"
                if row.status == "scheduled"
                else f"queued {_when(row.enqueued_at)}"
            )
            if row.finished_at:
                when += f", ended {_when(row.finished_at)}"
            arguments = ", ".join(str(argument) for argument in row.arguments)
            self.stdout.write(f"{row.status:<9}  {row.name}({arguments})  {when}  [{row.id}]")
            if row.error:
                self.stdout.write(f"           error: {row.error}")
