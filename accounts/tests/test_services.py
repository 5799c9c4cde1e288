import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role, RoleName, User
from accounts.tests.factories import PASSWORD, RoleFactory, UserFactory
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return Organisation.objects.create(
        ods_code="RR8", name="Leeds Teaching Hospitals", org_type=OrganisationType.ACUTE
    )


@pytest.fixture
def icb():
    return Organisation.objects.create(
        ods_code="QWO", name="West Yorkshire ICB", org_type=OrganisationType.ICB
    )


def errors_of(raised):
    return raised.value.message_dict


def test_create_user_with_a_role_and_password_can_sign_in(trust):
    user = services.create_user(
        email=" Asha.Patel@NHS.net ",
        full_name="Asha  Patel",
        password=PASSWORD,
        roles=[(RoleName.CONTRIBUTOR, trust)],
    )
    assert (user.email, user.username, user.full_name) == ("asha.patel@nhs.net",) * 2 + (
        "Asha Patel",
    )
    assert user.check_password(PASSWORD)
    assert [(r.name, r.organisation) for r in user.roles.all()] == [("contributor", trust)]
    assert not user.is_staff and not user.is_superuser


def test_create_user_without_a_password_cannot_sign_in_yet():
    user = services.create_user(email="new@nhs.net", full_name="New Person")
    assert not user.has_usable_password()


def test_create_user_platform_admin_may_use_the_django_admin():
    user = services.create_user(
        email="admin@nhs.net", full_name="Admin", roles=[(RoleName.PLATFORM_ADMIN, None)]
    )
    assert user.is_staff and user.is_superuser


@pytest.mark.parametrize("email", ["", "not-an-email", "two@@at.nhs.net"])
def test_create_user_bad_email_is_refused(email):
    with pytest.raises(ValidationError) as raised:
        services.create_user(email=email, full_name="A Person")
    assert "email" in errors_of(raised)
    assert not User.objects.exists()


def test_create_user_duplicate_email_is_refused_whatever_its_case():
    UserFactory(email="asha@nhs.net")
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="ASHA@nhs.net", full_name="Asha Again")
    assert errors_of(raised) == {
        "email": ["A person with the email address asha@nhs.net already exists."]
    }


def test_create_user_empty_or_too_long_name_is_refused():
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="  ")
    assert errors_of(raised) == {"full_name": ["Enter the person's full name."]}
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="x" * 151)
    assert errors_of(raised) == {"full_name": ["Full name must be 150 characters or fewer."]}


def test_create_user_weak_password_is_refused_with_the_rule_broken():
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="A Person", password="short")
    assert any("at least 12 characters" in m for m in errors_of(raised)["password"])
    assert not User.objects.exists()


def test_create_user_national_role_at_an_organisation_is_refused(trust):
    with pytest.raises(ValidationError) as raised:
        services.create_user(
            email="a@nhs.net", full_name="A", roles=[(RoleName.NATIONAL_ANALYST, trust)]
        )
    assert errors_of(raised) == {
        "organisation": ["National analyst is a national role: leave the organisation empty."]
    }


def test_create_user_ics_lead_only_at_an_integrated_care_board(trust, icb):
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="A", roles=[(RoleName.ICS_LEAD, trust)])
    assert "must be at an integrated care board" in errors_of(raised)["organisation"][0]
    assert "Leeds Teaching Hospitals (RR8)" in errors_of(raised)["organisation"][0]
    user = services.create_user(email="a@nhs.net", full_name="A", roles=[(RoleName.ICS_LEAD, icb)])
    assert user.roles.get().organisation == icb


@pytest.mark.parametrize(
    "name", [RoleName.CONTRIBUTOR, RoleName.APPROVER, RoleName.PATIENT_LEADER, RoleName.ICS_LEAD]
)
def test_create_user_organisation_role_without_an_organisation_is_refused(name):
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="A", roles=[(name, None)])
    assert errors_of(raised)["organisation"][0].startswith("Choose the organisation")


def test_create_user_unknown_role_is_refused():
    with pytest.raises(ValidationError) as raised:
        services.create_user(email="a@nhs.net", full_name="A", roles=[("chief", None)])
    assert errors_of(raised)["role"][0].startswith("There is no role called 'chief'.")


def test_create_user_repeated_role_is_held_once(trust):
    user = services.create_user(
        email="a@nhs.net", full_name="A", roles=[(RoleName.APPROVER, trust), ("approver", trust)]
    )
    assert user.roles.count() == 1


def test_ensure_user_twice_makes_one_person_with_the_same_roles(trust):
    for _ in range(2):
        user = services.ensure_user(
            email="demo@nhs.net",
            full_name="Demo",
            password=PASSWORD,
            roles=[(RoleName.CONTRIBUTOR, trust), (RoleName.NATIONAL_ANALYST, None)],
        )
    assert User.objects.count() == 1
    assert Role.objects.count() == 2
    assert user.check_password(PASSWORD)


def test_ensure_user_updates_name_password_and_roles_of_an_existing_person(trust):
    role = RoleFactory(name=RoleName.CONTRIBUTOR, organisation=trust)
    user = services.ensure_user(
        email=role.user.email.upper(),
        full_name="Renamed",
        password="another long passphrase",
        roles=[(RoleName.PLATFORM_ADMIN, None)],
    )
    assert user.pk == role.user.pk
    assert user.full_name == "Renamed"
    assert user.check_password("another long passphrase")
    assert [r.name for r in user.roles.all()] == ["platform_admin"]
    assert user.is_staff and user.is_superuser


def test_ensure_user_removing_platform_admin_takes_away_the_django_admin():
    user = services.ensure_user(
        email="a@nhs.net", full_name="A", roles=[(RoleName.PLATFORM_ADMIN, None)]
    )
    user = services.ensure_user(
        email="a@nhs.net", full_name="A", roles=[(RoleName.NATIONAL_ANALYST, None)]
    )
    assert not user.is_staff and not user.is_superuser


def test_ensure_user_bad_role_changes_nothing(trust):
    role = RoleFactory(name=RoleName.CONTRIBUTOR, organisation=trust)
    with pytest.raises(ValidationError):
        services.ensure_user(
            email=role.user.email, full_name="Changed", roles=[(RoleName.ICS_LEAD, trust)]
        )
    role.user.refresh_from_db()
    assert role.user.full_name != "Changed"
    assert list(role.user.roles.all()) == [role]
