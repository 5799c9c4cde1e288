import importlib.util
import os
import sys

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
        # This interpreter's own gunicorn: the one installed beside Northstar,
        # whether or not the virtualenv's bin folder is on PATH.
        if importlib.util.find_spec("gunicorn") is None:
            raise CommandError(
                f"gunicorn is not installed for {sys.executable}: "
                "install Northstar with `make install`."
            )
        call_command("check", deploy=True, fail_level="WARNING")
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "northstar.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
        )
