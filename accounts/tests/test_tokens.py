import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import tokens
from accounts.models import ApiToken, RoleName
from accounts.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_token_secret_starts_with_the_prefix_and_is_not_stored():
    api_token, secret = tokens.create(user=UserFactory(), name=" Script ", scope="read")
    assert secret.startswith("ns_") and len(secret) > 40
    assert api_token.name == "Script"
    assert api_token.prefix == secret[:8]
    assert not ApiToken.objects.filter(token_hash__contains=secret[3:]).exists()


@pytest.mark.parametrize(
    ("name", "scope", "field"),
    [("", "read", "name"), ("x" * 101, "read", "name"), ("Script", "admin", "scope")],
)
def test_create_token_bad_name_or_scope_is_refused(name, scope, field):
    with pytest.raises(ValidationError) as raised:
        tokens.create(user=UserFactory(), name=name, scope=scope)
    assert field in raised.value.message_dict
    assert not ApiToken.objects.exists()


def test_authenticate_unknown_garbage_or_empty_secret_is_none():
    tokens.create(user=UserFactory(), name="Script", scope="read")
    for secret in ("", None, "garbage", "ns_garbage"):
        assert tokens.authenticate(secret) is None


def test_authenticate_records_when_a_token_was_last_used():
    api_token, secret = tokens.create(user=UserFactory(), name="Script", scope="read")
    assert api_token.last_used_at is None
    tokens.authenticate(secret)
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def test_authenticate_deactivated_person_token_is_none():
    api_token, secret = tokens.create(
        user=UserFactory(is_active=False), name="Script", scope="read"
    )
    assert tokens.authenticate(secret) is None


def test_revoke_token_twice_keeps_the_first_time():
    api_token, secret = tokens.create(user=UserFactory(), name="Script", scope="read")
    first = tokens.revoke(api_token=api_token, by=api_token.user).revoked_at
    assert tokens.revoke(api_token=api_token, by=api_token.user).revoked_at == first
    assert tokens.authenticate(secret) is None


def test_revoke_token_of_someone_else_is_refused():
    api_token, secret = tokens.create(user=UserFactory(), name="Script", scope="read")
    with pytest.raises(PermissionDenied):
        tokens.revoke(api_token=api_token, by=UserFactory())
    assert tokens.authenticate(secret) == api_token


def test_revoke_token_by_a_platform_admin_is_allowed():
    api_token, secret = tokens.create(user=UserFactory(), name="Leaked", scope="write")
    tokens.revoke(api_token=api_token, by=RoleFactory(name=RoleName.PLATFORM_ADMIN).user)
    assert tokens.authenticate(secret) is None
