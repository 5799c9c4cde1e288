from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from ninja.errors import HttpError

from accounts.models import RoleName
from accounts.policy import (
    PERMISSION_WORDS,
    Permission,
    has_permission,
    may_revoke_token,
    require_api_permission,
    require_permission,
)
from accounts.tests.factories import ApiTokenFactory, RoleFactory, UserFactory
from organisations.models import Membership, Organisation, OrganisationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def ics():
    return Organisation.objects.create(
        ods_code="QWO", name="West Yorkshire ICB", org_type=OrganisationType.ICB
    )


@pytest.fixture
def trust(ics):
    trust = Organisation.objects.create(
        ods_code="RR8", name="Leeds Teaching Hospitals", org_type=OrganisationType.ACUTE
    )
    Membership.objects.create(organisation=trust, ics=ics, valid_from=date(2022, 7, 1))
    return trust


@pytest.fixture
def elsewhere():
    other_ics = Organisation.objects.create(
        ods_code="QHM", name="North East and North Cumbria ICB", org_type=OrganisationType.ICB
    )
    trust = Organisation.objects.create(
        ods_code="RTD", name="Newcastle upon Tyne Hospitals", org_type=OrganisationType.ACUTE
    )
    Membership.objects.create(organisation=trust, ics=other_ics, valid_from=date(2022, 7, 1))
    return trust


def role_holder(name, organisation=None):
    return RoleFactory(name=name, organisation=organisation).user


@pytest.mark.parametrize("name", [RoleName.CONTRIBUTOR, RoleName.APPROVER])
def test_has_permission_organisation_roles_reach_only_their_own_organisation(
    name, trust, elsewhere, ics
):
    user = role_holder(name, trust)
    assert has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)
    assert has_permission(user, Permission.VIEW_LOCAL_DOMAINS, organisation=trust)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=elsewhere)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=ics)
    assert not has_permission(user, Permission.VIEW_NATIONAL_DATA)
    assert not has_permission(user, Permission.USE_ADMIN)


def test_has_permission_patient_leader_sees_local_domains_but_not_private_answers(trust):
    user = role_holder(RoleName.PATIENT_LEADER, trust)
    assert has_permission(user, Permission.VIEW_LOCAL_DOMAINS, organisation=trust)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)


def test_has_permission_ics_lead_reaches_the_ics_and_its_current_members(ics, trust, elsewhere):
    user = role_holder(RoleName.ICS_LEAD, ics)
    assert has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=ics)
    assert has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=elsewhere)
    assert not has_permission(user, Permission.MANAGE_ORGANISATIONS, organisation=trust)


def test_has_permission_ics_lead_loses_reach_when_a_membership_has_ended(ics, trust):
    Membership.objects.filter(organisation=trust).update(valid_to=date.today() - timedelta(days=1))
    user = role_holder(RoleName.ICS_LEAD, ics)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)


def test_has_permission_ics_lead_does_not_reach_a_future_member(ics):
    joining = Organisation.objects.create(
        ods_code="RXF", name="Mid Yorkshire", org_type=OrganisationType.ACUTE
    )
    Membership.objects.create(
        organisation=joining, ics=ics, valid_from=date.today() + timedelta(days=30)
    )
    user = role_holder(RoleName.ICS_LEAD, ics)
    assert not has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=joining)


def test_has_permission_national_analyst_reaches_every_organisation_but_manages_nothing(
    trust, elsewhere
):
    user = role_holder(RoleName.NATIONAL_ANALYST)
    assert has_permission(user, Permission.VIEW_NATIONAL_DATA)
    assert has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)
    assert has_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=elsewhere)
    assert not has_permission(user, Permission.MANAGE_USERS)
    assert not has_permission(user, Permission.USE_ADMIN)


def test_has_permission_platform_admin_holds_every_permission_everywhere(trust):
    user = role_holder(RoleName.PLATFORM_ADMIN)
    for permission in Permission:
        assert has_permission(user, permission)
        assert has_permission(user, permission, organisation=trust)


def test_has_permission_nobody_without_a_role_or_signed_out(trust):
    assert not has_permission(UserFactory(), Permission.VIEW_LOCAL_DOMAINS, organisation=trust)
    assert not has_permission(AnonymousUser(), Permission.VIEW_LOCAL_DOMAINS)


def test_has_permission_deactivated_person_has_none():
    user = role_holder(RoleName.PLATFORM_ADMIN)
    user.is_active = False
    assert not has_permission(user, Permission.USE_ADMIN)


def test_require_permission_refuses_with_permission_denied(trust, elsewhere):
    user = role_holder(RoleName.CONTRIBUTOR, trust)
    require_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=trust)
    with pytest.raises(PermissionDenied, match="Newcastle upon Tyne Hospitals"):
        require_permission(user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=elsewhere)


def test_require_api_permission_refuses_with_403_and_the_reason(trust):
    user = role_holder(RoleName.CONTRIBUTOR, trust)
    require_api_permission(user, Permission.VIEW_LOCAL_DOMAINS, organisation=trust)
    with pytest.raises(HttpError) as refused:
        require_api_permission(user, Permission.VIEW_NATIONAL_DATA)
    assert refused.value.status_code == 403
    assert str(refused.value).startswith("Your roles do not let you see national data.")


def test_permission_words_every_permission_can_be_refused_in_words():
    assert set(PERMISSION_WORDS) == set(Permission)


def test_may_revoke_token_owner_and_platform_admin_only(trust):
    api_token = ApiTokenFactory()
    assert may_revoke_token(api_token.user, api_token)
    assert may_revoke_token(role_holder(RoleName.PLATFORM_ADMIN), api_token)
    assert not may_revoke_token(role_holder(RoleName.CONTRIBUTOR, trust), api_token)
