import re

import pytest
from django.contrib.auth import get_user
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_sign_in_page_has_labelled_fields_and_a_reset_link(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert 'for="id_username"' in response.text and 'for="id_password"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert 'href="/accounts/password-reset/"' in response.text
    assert "There is a problem" not in response.text


def test_sign_in_with_the_right_password_goes_home(client):
    user = UserFactory()
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert get_user(client).pk == user.pk


def test_sign_in_email_is_not_case_sensitive(client):
    user = UserFactory(email="asha@nhs.net")
    sign_in(client, "  Asha@NHS.net", PASSWORD)
    assert get_user(client).pk == user.pk


def test_sign_in_follows_next_to_a_page_on_this_site_only(client):
    user = UserFactory()
    response = client.post(
        SIGN_IN, {"username": user.email, "password": PASSWORD, "next": "/accounts/account/"}
    )
    assert response.url == "/accounts/account/"
    client.logout()
    response = client.post(
        SIGN_IN, {"username": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_sign_in_wrong_password_shows_error_summary_and_keeps_the_email(client):
    user = UserFactory()
    response = sign_in(client, user.email, "wrong password")
    assert response.status_code == 200
    assert response.text.count("Enter a correct email address and password") == 2
    assert "<title>Error: Sign in – Northstar</title>" in response.text
    assert 'href="#id_username"' in response.text
    assert 'id="id_username-error"' in response.text
    assert f'value="{user.email}"' in response.text
    assert "wrong password" not in response.text
    assert not get_user(client).is_authenticated


def test_sign_in_unknown_email_gets_the_same_error_as_a_wrong_password(client):
    UserFactory(email="asha@nhs.net")

    def page(email, password):
        text = sign_in(client, email, password).text.replace(email, "EMAIL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page("nobody@nhs.net", PASSWORD) == page("asha@nhs.net", "wrong password")


def test_sign_in_empty_fields_say_what_to_enter(client):
    response = sign_in(client, "", "")
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text
    assert 'href="#id_password"' in response.text


def test_sign_in_deactivated_person_cannot_sign_in(client):
    user = UserFactory(is_active=False)
    response = sign_in(client, user.email, PASSWORD)
    assert "Enter a correct email address and password" in response.text


def test_sign_in_fifth_failure_locks_out_and_sixth_attempt_is_refused_even_with_the_right_password(
    client,
):
    user = UserFactory()
    for _ in range(4):
        assert sign_in(client, user.email, "wrong password").status_code == 200
    assert sign_in(client, user.email, "wrong password").status_code == 429
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.text
    assert "after 5 failed attempts" in response.text
    assert 'href="/accounts/password-reset/"' in response.text
    assert not get_user(client).is_authenticated


def test_sign_in_success_resets_the_count_of_failures(client):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.email, "wrong password")
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, user.email, "wrong password")
    assert sign_in(client, user.email, PASSWORD).status_code == 302


def test_sign_out_get_asks_to_confirm_and_post_signs_out(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/accounts/sign-out/")
    assert response.status_code == 200
    assert 'method="post"' in response.text and "csrfmiddlewaretoken" in response.text
    assert get_user(client).is_authenticated
    response = client.post("/accounts/sign-out/", follow=True)
    assert not get_user(client).is_authenticated
    assert "You have signed out." in response.text


def test_sign_out_without_signing_in_goes_home(client):
    assert client.get("/accounts/sign-out/").url == "/"


def test_sign_out_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post("/accounts/sign-out/").status_code == 403
    assert get_user(client).is_authenticated
