"""Nothing typed is lost when a session ends, and no one else's post fills a form.

What someone sends after their session has ended is kept only when the request
carries their own signed cookie, for an hour at most, and is shown only to
them once they have signed in again.
"""

import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleName
from accounts.tests.factories import PASSWORD
from assessments.models import Answer, KeptInput
from assessments.services import KEPT_AT_MOST
from assessments.tests.factories import person
from assessments.views import ANSWERING_AS

pytestmark = pytest.mark.django_db

TYPED = {"elements": ["1a", "1b", "2a"], "comment": "Typed before the timeout", "version": "0"}


def url(world, domain="epr"):
    a = world.assessment()
    return reverse(
        "assessments:domain",
        args=[a.round.slug, a.organisation.ods_code, a.care_setting, domain],
    )


def session_ends():
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def answering_then_timed_out(client, who, form_url):
    """``who`` opens the question, then their session ends while they type."""
    client.force_login(who)
    assert client.get(form_url).status_code == 200
    session_ends()


def kept_token(response):
    """The ``kept`` token in the address the sign-in page will go back to."""
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    return parse_qs(urlsplit(next_url).query)["kept"][0]


def page_words(response):
    return response.content.decode()


# --- The person whose session ended gets their input back ---------------------


def test_a_session_that_ended_keeps_the_input_until_that_person_signs_in(client, world):
    form_url = url(world)
    answering_then_timed_out(client, world.contributor, form_url)
    response = client.post(form_url, TYPED)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Answer.objects.exists()
    kept = KeptInput.objects.get()
    assert kept.user == world.contributor
    assert kept.data["comment"] == ["Typed before the timeout"]

    signed_in = client.post(
        response["Location"], {"username": world.contributor.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    html = page_words(client.get(signed_in["Location"]))
    assert "We kept what you entered" in html
    assert "Typed before the timeout" in html
    assert 'value="2a" checked' in html
    assert not KeptInput.objects.exists()  # one time only

    assert client.post(form_url, TYPED).status_code == 302
    assert Answer.objects.get().comment == "Typed before the timeout"


def test_kept_input_is_only_returned_at_its_own_address(client, world):
    answering_then_timed_out(client, world.contributor, url(world))
    token = kept_token(client.post(url(world), {"comment": "Secret", "version": "0"}))
    client.force_login(world.contributor)
    other = client.get(url(world, "well-led-core"), {"kept": token})
    assert "Secret" not in page_words(other)
    assert KeptInput.objects.exists()


def test_input_is_kept_only_for_a_real_question(client, world):
    answering_then_timed_out(client, world.contributor, url(world))
    response = client.post(
        "/assessments/2026-27/RTEST/acute/domains/no-such-domain/", {"comment": "x"}
    )
    assert response.status_code == 302
    assert not KeptInput.objects.exists()


def test_input_is_kept_for_an_hour(client, world):
    answering_then_timed_out(client, world.contributor, url(world))
    token = kept_token(client.post(url(world), TYPED))
    KeptInput.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    client.force_login(world.contributor)
    late = client.get(url(world), {"kept": token})
    assert "Typed before the timeout" not in page_words(late)

    session_ends()
    kept_token(client.post(url(world), {"comment": "Later", "version": "0"}))
    assert [k.data["comment"] for k in KeptInput.objects.all()] == [["Later"]]  # old ones purged


def test_too_much_input_is_refused_politely_and_nothing_is_kept(client, world):
    answering_then_timed_out(client, world.contributor, url(world))
    response = client.post(
        url(world), {"comment": "x" * (KEPT_AT_MOST + 1), "version": "0"}, follow=True
    )
    assert response.status_code == 200
    html = page_words(response)
    assert "too long to keep" in html and "at most 64 KB" in html
    assert not KeptInput.objects.exists()
    assert not Answer.objects.exists()


# --- Anyone else's post keeps nothing and fills no one's form -----------------


def test_an_anonymous_post_keeps_nothing_and_is_sent_to_sign_in(world):
    attacker = Client()
    response = attacker.post(url(world), {"comment": "Attacker's answer", "version": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(world)}"
    assert not KeptInput.objects.exists()
    assert "nothing was saved" in page_words(attacker.get(response["Location"]))


@pytest.mark.parametrize(
    "forged",
    [
        "{victim}",  # the id alone, unsigned
        "{victim}:{signature_of_another_key}",
    ],
)
def test_a_forged_cookie_naming_someone_keeps_nothing(world, forged):
    attacker = Client()
    another_key = signing.get_cookie_signer(salt=ANSWERING_AS + ANSWERING_AS)
    another_key.key = "not-the-service-key-" * 3
    attacker.cookies[ANSWERING_AS] = forged.format(
        victim=world.contributor.pk,
        signature_of_another_key=another_key.sign(str(world.contributor.pk)).split(":", 1)[1],
    )
    attacker.post(url(world), {"comment": "Attacker's answer", "version": "0"})
    assert not KeptInput.objects.exists()


def test_a_cookie_from_longer_ago_than_a_session_lasts_keeps_nothing(
    client, world, settings, monkeypatch
):
    long_ago = time.time() - settings.SESSION_COOKIE_AGE - 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: long_ago))
    client.force_login(world.contributor)
    client.get(url(world))  # the cookie is signed "long ago"
    monkeypatch.undo()
    session_ends()
    client.post(url(world), TYPED)
    assert not KeptInput.objects.exists()


def test_a_kept_token_never_fills_another_persons_form(client, world):
    answering_then_timed_out(client, world.contributor, url(world))
    token = kept_token(client.post(url(world), {"comment": "Casey's words", "version": "0"}))

    colleague = person(RoleName.CONTRIBUTOR, world.trust, "Sam Second")
    other = Client()
    other.force_login(colleague)
    page = page_words(other.get(url(world), {"kept": token}))
    assert "Casey&#39;s words" not in page and "Casey's words" not in page
    assert "We kept what you entered" not in page
    assert KeptInput.objects.filter(user=world.contributor).exists()  # still Casey's to take


def test_signing_out_forgets_who_was_answering(client, world):
    """On a shared computer, what the next person posts is not kept for the last one."""
    client.force_login(world.contributor)
    client.get(url(world))
    assert client.cookies[ANSWERING_AS].value
    client.post(reverse("accounts:logout"))
    assert client.cookies[ANSWERING_AS].value == ""
    client.post(url(world), TYPED)
    assert not KeptInput.objects.exists()
