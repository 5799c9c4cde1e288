import pytest

pytestmark = pytest.mark.django_db


def test_home_page_for_a_visitor_invites_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.text
    assert "Measure, compare and improve" in response.text
