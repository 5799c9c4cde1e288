import re

import pytest
from django.contrib.auth import get_user
from django.core import mail

from accounts import services
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new and unusual passphrase"


def reset_link(message):
    return re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)


def ask_for_reset(client, email):
    return client.post("/accounts/password-reset/", {"email": email})


def test_password_reset_emails_a_link_that_names_the_service(client):
    user = UserFactory(email="asha@nhs.net", full_name="Asha O'Neill")
    response = ask_for_reset(client, "ASHA@nhs.net")
    assert response.url == "/accounts/password-reset/sent/"
    [message] = mail.outbox
    assert message.to == ["asha@nhs.net"]
    assert message.subject == "Reset your Northstar password"
    assert "Northstar is the NHS digital maturity self-assessment service" in message.body
    assert "Hello Asha O'Neill," in message.body
    assert user.email in message.body


def test_password_reset_unknown_address_looks_the_same_and_sends_nothing(client):
    UserFactory(email="asha@nhs.net")
    known = ask_for_reset(client, "asha@nhs.net")
    unknown = ask_for_reset(client, "nobody@nhs.net")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1
    page = client.get(unknown.url)
    assert "If that address belongs to a Northstar account" in page.text
    assert "nobody@nhs.net" not in page.text


def test_password_reset_deactivated_person_gets_no_email(client):
    UserFactory(email="gone@nhs.net", is_active=False)
    ask_for_reset(client, "gone@nhs.net")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not an email", "Enter an email address in the correct format"),
    ],
)
def test_password_reset_bad_email_is_explained(client, email, message):
    response = ask_for_reset(client, email)
    assert response.status_code == 200
    assert response.text.count(message) == 2
    assert 'href="#id_email"' in response.text


def test_password_reset_link_lets_you_choose_a_new_password_and_sign_in(client):
    user = UserFactory()
    ask_for_reset(client, user.email)
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    assert "Choose a new password" in form_page.text
    assert "at least 12 characters" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == "/accounts/password-reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "You can now sign in" in client.get(response.url).text


def test_password_reset_link_works_once(client):
    user = UserFactory()
    ask_for_reset(client, user.email)
    link = reset_link(mail.outbox[0])
    set_password = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert "This link has expired" in again.text
    assert 'href="/accounts/password-reset/"' in again.text


def test_password_reset_new_password_must_match_and_follow_the_rules(client):
    user = UserFactory()
    ask_for_reset(client, user.email)
    set_password = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )
    assert "The passwords do not match" in response.text
    assert 'href="#id_new_password2"' in response.text
    response = client.post(set_password, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "This password is too short" in response.text
    assert 'href="#id_new_password1"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_lets_someone_added_without_a_password_set_one(client):
    user = services.create_user(email="new@nhs.net", full_name="New Person")
    ask_for_reset(client, "new@nhs.net")
    set_password = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_ends_a_lockout(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": user.email, "password": "wrong"})
    ask_for_reset(client, user.email)
    set_password = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_password_change_needs_signing_in(client):
    response = client.get("/accounts/account/password/")
    assert response.url.startswith("/accounts/sign-in/?next=")


def test_password_change_with_the_current_password_keeps_you_signed_in(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/account/"
    assert "Your password has been changed." in response.text
    assert get_user(client).is_authenticated
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_wrong_current_password_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/account/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your current password is not right" in response.text
    assert 'href="#id_old_password"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_empty_form_says_what_to_enter(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/account/password/", {})
    for message in (
        "Enter your current password",
        "Enter a new password",
        "Enter your new password again",
    ):
        assert message in response.text
