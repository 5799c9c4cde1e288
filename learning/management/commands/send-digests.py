from django.core.management.base import BaseCommand

from learning import services


class Command(BaseCommand):
    help = (
        "Email each person a digest of their learning library notifications not yet "
        "emailed: new entries, journey updates and perspectives on what they follow."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="The address links in the emails start with (default: %(default)s).",
        )

    def handle(self, *args, site_url, **options):
        sent = services.send_digests(site_url=site_url.rstrip("/"))
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
