from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from northstar import demo


class Command(BaseCommand):
    help = (
        "Set up a local demo: migrate, load the WGLL framework, import the real NHS "
        "organisations and create one demo account per role. Safe to run again."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "northstar demo refuses to run in production mode (NORTHSTAR_ENV=production)."
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        demo.load_reference_data(self.stdout.write)
        demo.create_demo_content(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo accounts (synthetic people; password for all: {demo.DEMO_PASSWORD})"
            )
        )
        for account in demo.DEMO_ACCOUNTS:
            where = f" at {account.organisation_code}" if account.organisation_code else ""
            self.stdout.write(f"  {account.role.label + where:<40} {account.email}")
        self.stdout.write("\nSign in at http://127.0.0.1:8000/accounts/sign-in/")
