import os
import shutil

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve Northstar: Django's development server locally, gunicorn in production mode "
        "(NORTHSTAR_ENV=production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", default=os.environ.get("NORTHSTAR_SERVE_ADDRESS", "127.0.0.1:8000")
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("NORTHSTAR_WORKERS", "3"))
        )

    def handle(self, *args, address, workers, **options):
        if not settings.PRODUCTION:
            call_command("runserver", address, use_reloader=False)
            return
        gunicorn = shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment.")
        call_command("check", deploy=True, fail_level="WARNING")
        os.execv(
            gunicorn,
            [
                gunicorn,
                "northstar.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
        )
