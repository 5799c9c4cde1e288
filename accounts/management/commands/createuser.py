import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import get_text_list

from accounts import services
from accounts.models import RoleName
from organisations.models import Organisation

# Which command line option each argument of services.create_user comes from.
OPTIONS = {
    "email": "--email",
    "full_name": "--name",
    "password": "--password",
    "role": "--role",
    "organisation": "--organisation",
}


class Command(BaseCommand):
    help = (
        "Add a person who can sign in to Northstar, optionally with a role. "
        'Example: northstar createuser --email a.b@nhs.net --name "A B" '
        "--role contributor --organisation RXX"
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="Their email address, used to sign in.")
        parser.add_argument("--name", required=True, help="Their full name.")
        parser.add_argument("--role", help=f"One of: {', '.join(RoleName.values)}.")
        parser.add_argument(
            "--organisation",
            metavar="ODS_CODE",
            help="The ODS code of the organisation where they hold the role "
            "(not for national_analyst or platform_admin).",
        )
        parser.add_argument(
            "--password",
            help="Their password. Asked for when left out and run at a terminal; otherwise "
            "they set one with 'Forgotten your password?' on the sign-in page.",
        )

    def handle(self, *args, email, name, role, organisation, password, **options):
        if organisation and not role:
            raise CommandError("--organisation: give a --role to hold at that organisation.")
        if role and role not in RoleName.values:
            raise CommandError(
                f"--role: there is no role called {role!r}. "
                f"Choose {get_text_list(list(RoleName.values), 'or')}."
            )
        at = self._organisation(organisation) if organisation else None
        if password is None and sys.stdin.isatty():
            password = self._ask_for_password()
        try:
            user = services.create_user(
                email=email,
                full_name=name,
                password=password,
                roles=[(role, at)] if role else [],
            )
        except ValidationError as error:
            raise CommandError(
                "\n".join(
                    f"{OPTIONS[key]}: {message}"
                    for key, messages in error.message_dict.items()
                    for message in messages
                )
            ) from None
        roles = ", ".join(str(r) for r in user.roles.select_related("organisation")) or "no role"
        self.stdout.write(
            self.style.SUCCESS(f"Added {user.full_name} <{user.email}> with {roles}.")
        )
        if not user.has_usable_password():
            self.stdout.write(
                "They have no password yet: they can set one with "
                "'Forgotten your password?' on the sign-in page."
            )

    def _organisation(self, ods_code):
        try:
            return Organisation.objects.get(ods_code=ods_code.strip().upper())
        except Organisation.DoesNotExist:
            raise CommandError(
                f"--organisation: no organisation has the ODS code {ods_code!r}. "
                "Check the code, or import the organisations first."
            ) from None

    def _ask_for_password(self):
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("--password: the two passwords you typed do not match.")
        return password
