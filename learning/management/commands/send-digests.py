from django.conf import settings
from django.core.management.base import BaseCommand

from learning import services


class Command(BaseCommand):
    help = (
        "Email each person a digest of their learning library notifications not yet "
        "emailed: new entries, journey updates and perspectives on what they follow. "
        "The worker also sends them daily (see TASKS_DAILY in the settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="The address links in the emails start with (default: %(default)s).",
        )

    def handle(self, *args, site_url, **options):
        sent = services.send_digests(site_url=site_url.rstrip("/"))
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
