"""Every form page, sent empty or wrong: the error summary lists each problem,
each link leads to a form control on the page, and the control shows the
same message beside it."""

import re

import pytest
from django.core import mail

from accounts.models import RoleName
from accounts.tests.factories import PASSWORD, UserFactory
from assessments.tests.conftest import world  # noqa: F401 (a fixture)
from assessments.tests.factories import domain
from core.tests.markup import Page
from frameworks.models import Domain
from learning import services as learning
from learning.tests.conftest import (  # noqa: F401 (fixtures)
    content,
    measures,
    moderator,
    person,
    published,
    trust,
    writer,
)
from organisations.tests.factories import IcbFactory

pytestmark = pytest.mark.django_db

CONTROLS = ("input", "select", "textarea")


def empty(*names):
    """What a browser sends for a form left empty: its text fields, blank."""
    return dict.fromkeys(names, "")


def errors_lead_to_their_fields(response, *expected, shown_inline=True):
    """The summary's links, each checked to lead to a control that shows its
    message (a hidden field's cannot be shown beside it)."""
    assert response.status_code in (200, 400, 409), response.status_code
    page = Page(response.content.decode())
    targets = page.error_targets()
    assert targets, "the page has no error summary"
    for text, href, element in targets:
        assert element is not None, f"{text!r} links to {href}, which is not on the page"
        assert element.tag in CONTROLS, f"{text!r} links to a {element.tag}, not a form control"
        shown = [e.text for e in page.elements if "nhsuk-error-message" in e.classes]
        assert not shown_inline or any(text in message for message in shown), (
            f"{text!r} is not shown at its field"
        )
    assert [href for _, href, _ in targets] == list(expected)


# Accounts


def test_signing_in_with_nothing(client):
    response = client.post("/accounts/sign-in/", {})
    errors_lead_to_their_fields(response, "#id_username", "#id_password")


def test_signing_in_with_a_wrong_password(client):
    user = UserFactory()
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": "wrong"})
    errors_lead_to_their_fields(response, "#id_username")


def test_asking_for_a_reset_with_nothing(client):
    errors_lead_to_their_fields(client.post("/accounts/password-reset/", {}), "#id_email")


def test_choosing_a_new_password_with_nothing(client):
    user = UserFactory()
    client.post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {})
    errors_lead_to_their_fields(response, "#id_new_password1", "#id_new_password2")


def test_changing_password_with_nothing(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/account/password/", {})
    errors_lead_to_their_fields(
        response, "#id_old_password", "#id_new_password1", "#id_new_password2"
    )


def test_creating_a_token_with_nothing(client):
    client.force_login(person(RoleName.NATIONAL_ANALYST))
    response = client.post("/accounts/account/tokens/", empty("name"))
    errors_lead_to_their_fields(response, "#id_name", "#id_scope")


# Assessments


def test_opening_a_round_with_nothing(client, world):  # noqa: F811
    client.force_login(world.admin)
    response = client.post("/assessments/rounds/new/", empty("name", "opens_on", "closes_on"))
    errors_lead_to_their_fields(
        response,
        "#id_name",
        "#id_framework_version",
        "#id_opens_on",
        "#id_closes_on",
        "#id_organisation_types",
    )


def test_opening_a_round_from_a_previous_round_that_is_not_there(client, world):  # noqa: F811
    """The "carry answers forward from" select shows its own error."""
    client.force_login(world.admin)
    response = client.post(
        "/assessments/rounds/new/",
        {
            "name": "2027/28",
            "framework_version": world.version.pk,
            "opens_on": "2027-04-01",
            "closes_on": "2027-06-30",
            "organisation_types": ["acute"],
            "previous": "999999",
        },
    )
    errors_lead_to_their_fields(response, "#id_previous")
    assert Page(response.content.decode()).by_id("id_previous-error")


def assessment_page(world, name, *extra):  # noqa: F811
    a = world.assessment()
    return f"/assessments/{a.round.slug}/{a.organisation.ods_code}/{a.care_setting}/" + "/".join(
        (name, *extra)
    )


def test_adding_evidence_with_nothing(client, world):  # noqa: F811
    client.force_login(world.contributor)
    a = world.assessment()
    response = client.post(
        f"/assessments/{a.round.slug}/{a.organisation.ods_code}/evidence/",
        empty("title", "note", "url"),
    )
    errors_lead_to_their_fields(response, "#id_title")


def test_answering_with_nothing(client, world):  # noqa: F811
    """The answer's version is hidden: its error leads to the first element's tick-box."""
    client.force_login(world.contributor)
    first = domain(world, "epr").elements.order_by("key").first()
    response = client.post(
        assessment_page(world, "domains", "epr") + "/", empty("comment", "version")
    )
    errors_lead_to_their_fields(response, f"#element-{first.key}", shown_inline=False)


def test_not_applicable_without_a_reason(client, world):  # noqa: F811
    Domain.objects.filter(key="epr").update(allows_not_applicable=True)
    client.force_login(world.contributor)
    response = client.post(
        assessment_page(world, "domains", "epr") + "/", {"not_applicable": "on", "version": "0"}
    )
    errors_lead_to_their_fields(response, "#id_not_applicable_reason")


def test_asking_for_a_moment_that_is_not_a_date(client, world):  # noqa: F811
    client.force_login(world.contributor)
    response = client.get(assessment_page(world, ""), {"at": "yesterday"})
    errors_lead_to_their_fields(response, "#id_at")


# Learning


def test_writing_an_entry_with_nothing(client, measures, writer):  # noqa: F811
    client.force_login(writer)
    response = client.post("/learning/new/", empty("title", "summary"))
    errors_lead_to_their_fields(response, "#id_kind", "#id_title")


def test_updates_perspectives_and_attachments_with_nothing(
    client,
    measures,  # noqa: F811
    trust,  # noqa: F811
    writer,  # noqa: F811
):
    entry = published(writer, trust, kind="blueprint", anonymous=False)
    client.force_login(writer)
    base = f"/learning/entries/{entry.reference}/"
    errors_lead_to_their_fields(
        client.post(base + "updates/new/", empty("title", "body")), "#id_title", "#id_body"
    )
    errors_lead_to_their_fields(client.post(base + "attachments/", empty("title")), "#id_file")
    errors_lead_to_their_fields(
        client.post(base + "perspectives/new/", empty("body")), "#id_role", "#id_body"
    )
    errors_lead_to_their_fields(client.get(base + "compare/", {"to": "9"}), "#id_to")


def test_returning_an_entry_without_a_reason(client, measures, trust, writer, moderator):  # noqa: F811
    entry = learning.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    learning.publish(entry=entry, by=writer)
    client.force_login(moderator)
    response = client.post(
        f"/learning/moderation/entries/{entry.reference}/", {"decision": "return"}
    )
    errors_lead_to_their_fields(response, "#id_reason")


def test_searching_the_library_for_too_much(client, measures):  # noqa: F811
    errors_lead_to_their_fields(client.get("/learning/", {"q": "x" * 201}), "#id_q")


# Organisations and frameworks


def test_organisations_filtered_by_a_type_that_is_not_there(client):
    errors_lead_to_their_fields(client.get("/organisations/", {"type": "castle"}), "#id_type")


def test_ics_members_on_a_date_that_is_not_one(client):
    icb = IcbFactory()
    response = client.get(f"/organisations/ics/{icb.ods_code}/", {"on": "31/03/2026"})
    errors_lead_to_their_fields(response, "#id_on")


def test_framework_domains_for_a_care_setting_that_is_not_there(client, world):  # noqa: F811
    response = client.get(
        f"/frameworks/{world.version.framework.slug}/{world.version.version}/",
        {"care_setting": "castle"},
    )
    errors_lead_to_their_fields(response, "#id_care_setting")


def test_signing_in_keeps_the_email_typed(client):
    response = client.post(
        "/accounts/sign-in/", {"username": "someone@nhs.example", "password": PASSWORD}
    )
    assert Page(response.content.decode()).by_id("id_username").attrs["value"] == (
        "someone@nhs.example"
    )
