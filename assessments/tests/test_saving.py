"""Saving as you go: the autosave endpoint, and nothing lost when a session ends."""

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from assessments.models import Answer, KeptInput
from assessments.tests.factories import answer

pytestmark = pytest.mark.django_db


def url(world, name, domain="epr"):
    a = world.assessment()
    return reverse(
        f"assessments:{name}", args=[a.round.slug, a.organisation.ods_code, a.care_setting, domain]
    )


def test_autosave_saves_and_returns_the_new_version_and_level(client, world):
    client.force_login(world.contributor)
    response = client.post(url(world, "autosave"), {"elements": ["1a", "1b"], "version": "0"})
    assert response.status_code == 200
    assert response.json() | {"at": None} == {
        "saved": True,
        "version": 1,
        "level": 1,
        "level_text": "Level 1",
        "next_level": "For level 2, 2a, 2b must be met too.",
        "at": None,
    }
    again = client.post(url(world, "autosave"), {"elements": ["1a", "1b", "2a"], "version": "1"})
    assert again.json()["version"] == 2


def test_autosave_stale_version_is_409_with_both_values(client, world):
    answer(world, "epr", ["1a", "1b"], by=world.contributor)
    client.force_login(world.contributor)
    response = client.post(url(world, "autosave"), {"elements": ["1a"], "version": "0"})
    assert response.status_code == 409
    body = response.json()
    assert body["changed_by"] == "Casey Contributor" and body["version"] == 1
    assert "Elements met: 1a, 1b" in body["theirs"] and "Elements met: 1a" in body["yours"]
    assert Answer.objects.get().version == 1


def test_autosave_bad_input_names_the_field(client, world):
    client.force_login(world.contributor)
    response = client.post(url(world, "autosave"), {"elements": ["9z"], "version": "0"})
    assert response.status_code == 400
    assert response.json()["field"] == "elements"


def test_autosave_signed_out_is_401_and_says_what_to_do(client, world):
    response = client.post(url(world, "autosave"), {"elements": ["1a"], "version": "0"})
    assert response.status_code == 401
    assert "Save and continue" in response.json()["detail"]


def test_a_session_that_ended_keeps_the_input_until_sign_in(client, world):
    form_url = url(world, "domain")
    client.force_login(world.contributor)
    client.get(form_url)
    client.logout()  # the session ends while the person is typing
    sent = {"elements": ["1a", "1b", "2a"], "comment": "Typed before the timeout", "version": "0"}
    response = client.post(form_url, sent)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Answer.objects.exists()
    kept = KeptInput.objects.get()
    assert kept.data["comment"] == ["Typed before the timeout"]
    signed_in = client.post(
        response["Location"],
        {"username": world.contributor.email, "password": PASSWORD},
    )
    assert signed_in.status_code == 302
    back = client.get(signed_in["Location"])
    html = back.content.decode()
    assert "We kept what you entered" in html
    assert "Typed before the timeout" in html
    assert 'value="2a" checked' in html
    assert not KeptInput.objects.exists()  # one time only
    assert client.post(form_url, sent).status_code == 302
    assert Answer.objects.get().comment == "Typed before the timeout"


def test_kept_input_is_only_returned_at_its_own_address(client, world):
    client.post(url(world, "domain"), {"comment": "Secret", "version": "0"})
    token = KeptInput.objects.get().token
    client.force_login(world.contributor)
    other = client.get(url(world, "domain", "well-led-core"), {"kept": token})
    assert "Secret" not in other.content.decode()
    assert KeptInput.objects.exists()


def test_input_is_kept_only_for_a_real_question(client, world):
    response = client.post(
        "/assessments/2026-27/RTEST/acute/domains/no-such-domain/", {"comment": "x"}
    )
    assert response.status_code == 302
    assert not KeptInput.objects.exists()
