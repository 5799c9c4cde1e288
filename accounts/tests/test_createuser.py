import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return Organisation.objects.create(
        ods_code="RR8", name="Leeds Teaching Hospitals", org_type=OrganisationType.ACUTE
    )


@pytest.fixture
def no_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())


def createuser(*args):
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_createuser_with_role_at_an_organisation(trust):
    out = createuser(
        "--email",
        "a.b@nhs.net",
        "--name",
        "A B",
        "--role",
        "contributor",
        "--organisation",
        "rr8",
        "--password",
        PASSWORD,
    )
    user = User.objects.get()
    assert user.check_password(PASSWORD)
    assert [(r.name, r.organisation) for r in user.roles.all()] == [("contributor", trust)]
    assert "Added A B <a.b@nhs.net> with Contributor (Leeds Teaching Hospitals)." in out


def test_createuser_without_password_or_terminal_tells_how_to_set_one(no_terminal):
    out = createuser("--email", "a.b@nhs.net", "--name", "A B", "--role", "national_analyst")
    assert not User.objects.get().has_usable_password()
    assert "Forgotten your password?" in out


def test_createuser_at_a_terminal_asks_for_the_password_twice(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    createuser("--email", "a.b@nhs.net", "--name", "A B")
    assert User.objects.get().check_password(PASSWORD)


def test_createuser_at_a_terminal_refuses_passwords_that_differ(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, "something else"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="--password: the two passwords you typed do not match"):
        createuser("--email", "a.b@nhs.net", "--name", "A B")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--role", "contributor", "--organisation", "RXX"],
            "--organisation: no organisation has the ODS code 'RXX'",
        ),
        (["--role", "chief"], "--role: there is no role called 'chief'"),
        (["--organisation", "RR8"], "--organisation: give a --role"),
        (
            ["--role", "contributor"],
            "--organisation: Choose the organisation for the Contributor role.",
        ),
        (
            ["--role", "ics_lead", "--organisation", "RR8"],
            "--organisation: An ICS digital lead role must be at an integrated care board",
        ),
        (
            ["--role", "platform_admin", "--organisation", "RR8"],
            "--organisation: Platform admin is a national role",
        ),
        (["--password", "short"], "--password: This password is too short."),
    ],
)
def test_createuser_bad_option_is_named_and_nothing_is_created(trust, no_terminal, args, message):
    with pytest.raises(CommandError, match=message):
        createuser("--email", "a.b@nhs.net", "--name", "A B", *args)
    assert not User.objects.exists()


def test_createuser_bad_or_taken_email_is_named(no_terminal):
    UserFactory(email="taken@nhs.net")
    with pytest.raises(
        CommandError, match="--email: A person with the email address taken@nhs.net already exists"
    ):
        createuser("--email", "Taken@nhs.net", "--name", "A B")
    with pytest.raises(CommandError, match="--email: Enter an email address like name@example.com"):
        createuser("--email", "a.b", "--name", "A B")
