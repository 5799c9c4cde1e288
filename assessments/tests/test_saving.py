"""Saving as you go: the autosave endpoint. (Nothing lost when a session ends:
test_kept_input.py.)"""

import pytest
from django.urls import reverse

from assessments.models import Answer
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
