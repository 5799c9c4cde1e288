import importlib.util
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve Northstar: Django's development server locally, with the background worker "
        "beside it as a child process; gunicorn in production mode (NORTHSTAR_ENV=production), "
        "where `northstar worker` runs as a service of its own."
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
            worker = self._start_worker()
            # Stopped by a signal, stop the worker too (as on Ctrl+C).
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                call_command("runserver", address, use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()
                    worker.wait(timeout=30)
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

    def _start_worker(self):
        if settings.TASKS_BACKEND == "immediate":
            return None
        self.stdout.write(f"Starting the background worker ({settings.TASKS_BACKEND} backend).")
        return subprocess.Popen([sys.executable, "-m", "northstar.cli", "worker"])
