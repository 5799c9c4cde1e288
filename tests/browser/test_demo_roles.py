"""From the demo set-up, each role signs in and lands on its own home."""

import pytest
from playwright.sync_api import expect

from northstar import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data():
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()


@pytest.mark.parametrize("account", demo.DEMO_ACCOUNTS, ids=lambda a: a.role.value)
def test_each_demo_role_sees_its_own_home(
    live_server, demo_data, page, sign_in, assert_accessible, account
):
    sign_in(page, account.email, demo.DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    expect(page.get_by_role("heading", level=2, name=account.role.label)).to_have_count(1)
    assert_accessible(page)
