import re

import pytest
from django.test import Client

from accounts import tokens
from accounts.models import ApiToken, RoleName
from accounts.tests.factories import RoleFactory, UserFactory
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

ACCOUNT = "/accounts/account/"
CREATE = "/accounts/account/tokens/"


@pytest.fixture
def user(client):
    trust = Organisation.objects.create(
        ods_code="RR8", name="Leeds Teaching Hospitals", org_type=OrganisationType.ACUTE
    )
    role = RoleFactory(name=RoleName.APPROVER, organisation=trust, user__full_name="Asha Patel")
    RoleFactory(name=RoleName.NATIONAL_ANALYST, user=role.user)
    client.force_login(role.user)
    return role.user


def test_account_page_needs_signing_in(client):
    assert client.get(ACCOUNT).url == "/accounts/sign-in/?next=/accounts/account/"


def test_account_page_shows_name_email_and_roles_with_organisations(client, user):
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    for text in (
        "Asha Patel",
        user.email,
        "Approver",
        "Leeds Teaching Hospitals (RR8)",
        "National analyst",
        "Every organisation (a national role)",
        "You have no tokens.",
    ):
        assert text in response.text
    assert 'href="/accounts/account/password/"' in response.text


def test_account_page_person_without_roles_is_told_whom_to_ask(client):
    client.force_login(UserFactory())
    assert "Ask your organisation's Northstar administrator" in client.get(ACCOUNT).text


def test_create_token_shows_the_secret_once_and_stores_only_its_hash(client, user):
    response = client.post(CREATE, {"name": "Board report script", "scope": "read"})
    assert response.status_code == 200
    assert "Copy this token now. You will not be able to see it again." in response.text
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(ns_[^"]+)"', response.text).group(1)
    api_token = ApiToken.objects.get()
    assert (api_token.user, api_token.name, api_token.scope) == (
        user,
        "Board report script",
        "read",
    )
    assert secret not in api_token.token_hash
    assert tokens.authenticate(secret) == api_token
    account = client.get(ACCOUNT).text
    assert secret not in account
    assert api_token.prefix in account
    assert "Board report script" in account


def test_create_token_read_and_write(client, user):
    client.post(CREATE, {"name": "Importer", "scope": "write"})
    assert ApiToken.objects.get().scope == ApiToken.Scope.WRITE


@pytest.mark.parametrize(
    ("data", "message", "href"),
    [
        ({"name": "", "scope": "read"}, "Enter a name for the token", "#id_name"),
        ({"name": "   ", "scope": "read"}, "Enter a name for the token", "#id_name"),
        (
            {"name": "x" * 101, "scope": "read"},
            "Token name must be 100 characters or fewer",
            "#id_name",
        ),
        ({"name": "Script"}, "Select what the token can do", "#id_scope"),
        ({"name": "Script", "scope": "admin"}, "Select read only or read and write", "#id_scope"),
    ],
)
def test_create_token_bad_input_is_explained_and_creates_nothing(client, user, data, message, href):
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.text.count(message) == 2
    assert f'href="{href}"' in response.text
    assert not ApiToken.objects.exists()


def test_create_token_keeps_what_was_typed_after_an_error(client, user):
    response = client.post(CREATE, {"name": "My <script>", "scope": ""})
    assert 'value="My &lt;script&gt;"' in response.text
    assert "My <script>" not in response.text


def test_create_token_only_by_post(client, user):
    assert client.get(CREATE).status_code == 405


def test_revoke_token_stops_it_working(client, user):
    api_token, secret = tokens.create(user=user, name="Old script", scope="read")
    response = client.post(f"/accounts/account/tokens/{api_token.id}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == ACCOUNT
    assert "The token “Old script” has been revoked." in response.text
    assert "Revoked" in response.text
    assert tokens.authenticate(secret) is None


def test_revoke_token_of_someone_else_is_not_found(client, user):
    theirs, secret = tokens.create(user=UserFactory(), name="Theirs", scope="read")
    response = client.post(f"/accounts/account/tokens/{theirs.id}/revoke/")
    assert response.status_code == 404
    assert tokens.authenticate(secret) == theirs


def test_revoke_token_needs_post_and_the_csrf_token(user):
    api_token, _ = tokens.create(user=user, name="Script", scope="read")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(f"/accounts/account/tokens/{api_token.id}/revoke/").status_code == 405
    assert client.post(f"/accounts/account/tokens/{api_token.id}/revoke/").status_code == 403
    api_token.refresh_from_db()
    assert api_token.is_active


def test_account_page_forms_carry_the_csrf_token(client, user):
    tokens.create(user=user, name="Script", scope="read")
    text = client.get(ACCOUNT).text
    assert text.count('method="post"') == text.count('name="csrfmiddlewaretoken"') == 2
