import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts import services
from accounts.models import RoleName
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "asha.patel@nhs.example"
PASSWORD = "a long and unusual test passphrase"
NEW_PASSWORD = "another long and unusual passphrase"


@pytest.fixture
def contributor():
    trust = Organisation.objects.create(
        ods_code="RR8", name="Leeds Teaching Hospitals", org_type=OrganisationType.ACUTE
    )
    return services.create_user(
        email=EMAIL,
        full_name="Asha Patel",
        password=PASSWORD,
        roles=[(RoleName.CONTRIBUTOR, trust)],
    )


def test_contributor_creates_a_token_sees_it_once_and_revokes_it(
    live_server, page, contributor, sign_in, assert_accessible
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert_accessible(page)
    sign_in(page, EMAIL, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Asha Patel")
    expect(
        page.get_by_role("heading", name="Contributor at Leeds Teaching Hospitals")
    ).to_be_visible()

    page.get_by_role("link", name="Asha Patel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("cell", name="Leeds Teaching Hospitals (RR8)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Create token").click()
    assert (
        page.get_by_role("alert")
        .get_by_role("link", name="Enter a name for the token")
        .is_visible()
    )
    assert_accessible(page)

    page.get_by_label("Token name").fill("Board report script")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_text(
        "Copy this token now. You will not be able to see it again."
    ).is_visible()
    secret = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"ns_[\w-]{40,}", secret)
    assert_accessible(page)

    page.get_by_role("link", name="Back to your account").click()
    row = page.get_by_role("row", name=re.compile("Board report script"))
    assert "Active" in row.inner_text()
    assert secret not in page.content()

    row.get_by_role("button", name="Revoke the token Board report script").click()
    expect(page.get_by_text("The token “Board report script” has been revoked.")).to_be_visible()
    assert "Revoked" in page.get_by_role("row", name=re.compile("Board report script")).inner_text()
    expect(page.get_by_role("button", name=re.compile("Revoke"))).to_have_count(0)
    assert_accessible(page)


def test_sign_in_error_keeps_the_email_and_is_accessible(
    live_server, page, contributor, sign_in, assert_accessible
):
    sign_in(page, EMAIL, "not my password")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary.get_by_role("link", name="Enter a correct email address and password").click()
    expect(page.get_by_label("Email address")).to_have_value(EMAIL)
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_forgotten_password_is_reset_by_email(live_server, page, contributor, assert_accessible):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)

    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("alert").get_by_text("Enter your email address")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"http://\S+/accounts/password-reset/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Enter your new password again").fill("something else entirely")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("alert").get_by_text("The passwords do not match")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Enter your new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert_accessible(page)


def test_sign_in_and_out_work_without_javascript(live_server, no_js_page, contributor, sign_in):
    page = no_js_page
    sign_in(page, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Asha Patel")
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out of Northstar")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
