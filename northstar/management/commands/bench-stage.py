import json

from django.core.management.base import BaseCommand

from northstar import bench


class Command(BaseCommand):
    help = "One stage of `northstar bench`, run in its own process against the bench database."

    def add_arguments(self, parser):
        parser.add_argument("stage", choices=["build", *bench.STAGES])
        parser.add_argument("--assessments", type=int, default=10_000)
        parser.add_argument("--domains", type=int, default=50)

    def handle(self, *args, stage, assessments, domains, **options):
        options = {"assessments": assessments, "domains": domains} if stage == "build" else {}
        self.stdout.write(json.dumps(bench.run_stage(stage, **options)))
