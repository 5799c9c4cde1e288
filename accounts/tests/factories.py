import factory

from accounts.models import ApiToken, Role, RoleName, User
from organisations.models import Organisation, OrganisationType

PASSWORD = "a long and unusual test passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@nhs.example")
    username = factory.SelfAttribute("email")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


def _an_organisation(role):
    """A trust of its own for organisation roles (an ICB for ICS leads);
    none for national roles."""
    if role.name in (RoleName.NATIONAL_ANALYST, RoleName.PLATFORM_ADMIN):
        return None
    ics = role.name == RoleName.ICS_LEAD
    code = f"{'Q' if ics else 'R'}{Organisation.objects.count() + 1:03d}"
    return Organisation.objects.create(
        ods_code=code,
        name=f"Test {'ICB' if ics else 'trust'} {code}",
        org_type=OrganisationType.ICB if ics else OrganisationType.ACUTE,
    )


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    name = RoleName.CONTRIBUTOR
    organisation = factory.LazyAttribute(_an_organisation)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row without a usable secret; use ``accounts.tokens.create`` for one."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Token {n}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    prefix = "ns_test"
