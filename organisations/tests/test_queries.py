import datetime

import pytest
from django.http import Http404

from organisations import queries
from organisations.models import OrganisationType
from organisations.tests.factories import (
    IcbFactory,
    MembershipFactory,
    OrganisationFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

MARCH_2026 = datetime.date(2026, 3, 31)
APRIL_2026 = datetime.date(2026, 4, 1)


@pytest.fixture
def moved_trust():
    """A trust that moved from an old ICS to a new one on 1 April 2026."""
    old, new = IcbFactory(ods_code="QOL", closed_on=MARCH_2026), IcbFactory(ods_code="QNW")
    trust = TrustFactory(membership__ics=old, membership__valid_to=MARCH_2026)
    MembershipFactory(organisation=trust, ics=new, valid_from=APRIL_2026)
    return trust, old, new


def test_ics_of_follows_the_dated_membership(moved_trust):
    trust, old, new = moved_trust

    assert queries.ics_of(trust, on=MARCH_2026) == old
    assert queries.ics_of(trust, on=APRIL_2026) == new
    assert queries.ics_of(trust) == new
    assert queries.ics_of(trust, on=datetime.date(2022, 6, 30)) is None


def test_ics_of_an_ics_is_itself():
    icb = IcbFactory()

    assert queries.ics_of(icb) == icb


def test_members_of_an_ics_on_a_date(moved_trust):
    trust, old, new = moved_trust

    assert list(queries.members_of(old, on=MARCH_2026)) == [trust]
    assert list(queries.members_of(old, on=APRIL_2026)) == []
    [member] = queries.members_of(new, on=APRIL_2026)
    assert (member, member.member_since) == (trust, APRIL_2026)


def test_members_of_are_ordered_by_type_then_name():
    icb = IcbFactory()
    for name, org_type in [
        ("B ambulance", OrganisationType.AMBULANCE),
        ("Z acute", OrganisationType.ACUTE),
        ("A acute", OrganisationType.ACUTE),
    ]:
        TrustFactory(name=name, org_type=org_type, membership__ics=icb)

    assert [o.name for o in queries.members_of(icb)] == ["A acute", "Z acute", "B ambulance"]


def test_organisations_search_matches_name_or_code_in_any_case():
    OrganisationFactory(ods_code="RGT", name="Cambridge University Hospitals")
    OrganisationFactory(ods_code="RAJ", name="Mid and South Essex")

    assert [o.ods_code for o in queries.organisations(q="cambridge")] == ["RGT"]
    assert [o.ods_code for o in queries.organisations(q="raj")] == ["RAJ"]
    assert len(queries.organisations(q="nowhere")) == 0


def test_organisations_filter_by_type_ics_and_region():
    icb = IcbFactory(ods_code="QAA", region="North West")
    mental = TrustFactory(org_type=OrganisationType.MENTAL_HEALTH, membership__ics=icb)
    TrustFactory(region="North West", membership__ics=icb)
    TrustFactory()

    assert list(queries.organisations(org_type="mental_health")) == [mental]
    assert {o.ods_code for o in queries.organisations(ics="qaa")} == {
        "QAA", mental.ods_code, *queries.members_of(icb).values_list("ods_code", flat=True)
    }  # fmt: skip
    assert {o.ods_code for o in queries.organisations(region="North West")} == {
        "QAA", *queries.members_of(icb).exclude(pk=mental.pk).values_list("ods_code", flat=True)
    }  # fmt: skip


def test_organisations_are_open_ones_unless_closed_are_included(moved_trust):
    trust, old, new = moved_trust
    closed = OrganisationFactory(closed_on=datetime.date(2025, 1, 1))
    not_yet_open = OrganisationFactory(
        opened_on=datetime.date.today() + datetime.timedelta(days=30)
    )

    assert set(queries.organisations()) == {trust, new}
    assert set(queries.organisations(include_closed=True)) == {
        trust, old, new, closed, not_yet_open
    }  # fmt: skip


def test_organisations_show_each_ones_ics_today_or_when_it_closed(moved_trust):
    trust, old, new = moved_trust
    closed = TrustFactory(
        closed_on=MARCH_2026, membership__ics=old, membership__valid_to=MARCH_2026
    )

    found = {o.ods_code: o for o in queries.organisations(include_closed=True)}

    assert found[trust.ods_code].ics_code == "QNW"
    assert found[closed.ods_code].ics_code == "QOL"
    assert (found["QNW"].ics_code, found["QNW"].ics_name) == ("QNW", new.name)


def test_organisation_by_code_is_404_for_an_unknown_code():
    with pytest.raises(Http404, match="No organisation with ODS code XYZ"):
        queries.organisation_by_code("XYZ")


def test_ics_by_code_is_404_for_a_trust():
    trust = OrganisationFactory()

    with pytest.raises(Http404):
        queries.ics_by_code(trust.ods_code)
