import pytest

from accounts import services, tokens
from accounts.admin_site import NorthstarAdminSite
from accounts.models import ApiToken, RoleName, User
from accounts.tests.factories import RoleFactory, UserFactory
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        services.create_user(
            email="admin@nhs.net", full_name="Admin", roles=[(RoleName.PLATFORM_ADMIN, None)]
        )
    )
    return client


@pytest.mark.parametrize(
    "name", [RoleName.CONTRIBUTOR, RoleName.ICS_LEAD, RoleName.NATIONAL_ANALYST]
)
def test_admin_is_closed_to_everyone_but_platform_admins(client, name):
    client.force_login(RoleFactory(name=name).user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_admin_is_open_to_platform_admins(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Accounts and roles" in response.text


def test_admin_lists_people_and_edits_them_with_their_roles(admin_client):
    user = RoleFactory(name=RoleName.APPROVER).user
    assert user.email in admin_client.get("/admin/accounts/user/").text
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    assert "roles-TOTAL_FORMS" in page.text
    assert "Staff and superuser status come with the platform admin role." in page.text


def _user_form(user, **roles):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    data.update({f"roles-0-{key}": value for key, value in roles.items()})
    return data


def test_admin_giving_the_platform_admin_role_opens_the_admin(admin_client):
    user = UserFactory()
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/", _user_form(user, name="platform_admin")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser


def test_admin_cannot_make_someone_staff_without_the_role(admin_client):
    user = UserFactory()
    data = _user_form(user) | {"is_staff": "on", "is_superuser": "on", "roles-TOTAL_FORMS": "0"}
    admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_admin_ics_lead_at_a_trust_is_refused_with_the_reason(admin_client):
    trust = Organisation.objects.create(
        ods_code="RR8", name="Leeds", org_type=OrganisationType.ACUTE
    )
    user = UserFactory()
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        _user_form(user, name="ics_lead", organisation=trust.pk),
    )
    assert response.status_code == 200
    assert "An ICS digital lead role must be at an integrated care board" in response.text
    assert not user.roles.exists()


def test_admin_removing_the_platform_admin_role_closes_the_admin(admin_client):
    role = RoleFactory(name=RoleName.PLATFORM_ADMIN)
    services.sync_admin_access(user=role.user)
    admin_client.post(f"/admin/accounts/role/{role.pk}/delete/", {"post": "yes"})
    role.user.refresh_from_db()
    assert not role.user.is_staff


def test_admin_adds_a_person_signing_in_with_their_email(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@NHS.net",
            "full_name": "New Person",
            "usable_password": "false",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.text
    user = User.objects.get(full_name="New Person")
    assert user.email == user.username == "new.person@nhs.net"


def test_admin_shows_tokens_without_secrets_and_cannot_create_them(admin_client):
    api_token, secret = tokens.create(user=UserFactory(), name="Script", scope="read")
    listing = admin_client.get("/admin/accounts/apitoken/").text
    assert "Script" in listing and secret not in listing
    detail = admin_client.get(f"/admin/accounts/apitoken/{api_token.pk}/change/")
    assert detail.status_code == 200
    assert secret not in detail.text
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_admin_revokes_selected_tokens(admin_client):
    api_token, secret = tokens.create(user=UserFactory(), name="Leaked", scope="write")
    admin_client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [api_token.pk]}
    )
    assert tokens.authenticate(secret) is None
    assert ApiToken.objects.get().revoked_at is not None


def test_admin_site_opens_only_to_staff_holding_the_platform_admin_role(rf):
    site = NorthstarAdminSite()
    request = rf.get("/admin/")
    request.user = services.create_user(
        email="admin@nhs.net", full_name="Admin", roles=[(RoleName.PLATFORM_ADMIN, None)]
    )
    assert site.has_permission(request)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not site.has_permission(request)
    request.user = RoleFactory(name=RoleName.NATIONAL_ANALYST).user
    assert not site.has_permission(request)
