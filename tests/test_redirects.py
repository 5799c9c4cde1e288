"""An address to go back to, taken from the request, never leads off the site."""

from urllib.parse import urlencode

import pytest
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Evidence
from assessments.tests.factories import build_world
from core.redirects import safe_next
from learning.models import Follow

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/phish",
    "javascript:alert(1)",
    "///evil.example",
]


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("back", HOSTILE)
def test_adding_evidence_saves_it_and_goes_back_only_within_the_site(client, world, back):
    client.force_login(world.contributor)
    url = reverse("assessments:evidence", args=[world.round.slug, "RTEST"])
    response = client.post(
        f"{url}?{urlencode({'back': back})}", {"title": "Minutes", "note": "Met."}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert Evidence.objects.get().title == "Minutes"


def test_adding_evidence_goes_back_to_a_page_of_the_site(client, world):
    client.force_login(world.contributor)
    url = reverse("assessments:evidence", args=[world.round.slug, "RTEST"])
    page = reverse("assessments:assessment", args=[world.round.slug, "RTEST", "acute"])
    response = client.post(
        f"{url}?{urlencode({'back': page})}", {"title": "Minutes", "note": "Met."}
    )
    assert response["Location"] == page


@pytest.mark.parametrize("back", HOSTILE)
def test_following_and_unfollowing_go_back_only_within_the_site(client, world, back):
    client.force_login(world.contributor)
    following = reverse("learning:following")
    followed = client.post(
        reverse("learning:follow"), {"kind": "topic", "value": "epr", "next": back}
    )
    assert followed["Location"] == following
    assert Follow.objects.filter(user=world.contributor, value="epr").exists()
    unfollowed = client.post(
        reverse("learning:unfollow"), {"kind": "topic", "value": "epr", "next": back}
    )
    assert unfollowed["Location"] == following
    assert not Follow.objects.filter(user=world.contributor).exists()


def test_following_goes_back_to_the_page_it_was_asked_from(client, world):
    client.force_login(world.contributor)
    response = client.post(
        reverse("learning:follow"), {"kind": "topic", "value": "epr", "next": "/learning/"}
    )
    assert response["Location"] == "/learning/"


def test_over_https_an_address_of_the_site_by_plain_http_is_refused():
    secure = RequestFactory().get("/", secure=True)
    assert safe_next(secure, "http://testserver/learning/", "/") == "/"
    assert safe_next(secure, "https://testserver/learning/", "/") == "https://testserver/learning/"
