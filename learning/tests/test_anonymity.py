"""The anonymity guarantee. An anonymous redprint is written at an organisation
whose name, ODS code, ICS and people are distinctive words, with attachments
carrying them in their hidden metadata. Then every page (found by walking the
URL configuration), every API endpoint (found by walking the OpenAPI
description), the exports, feeds, notifications and emails are fetched as every
role, and:

- a response about the library (its pages, API, feeds, exports, files,
  notifications, emails) contains none of those words;
- any other response that contains them (an organisation's own page, say)
  contains no trace of the entry: it never links the two.

The only exceptions are the editing views, for the authoring organisation's
own people."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse

from accounts import tokens
from accounts.models import RoleName
from learning import services
from learning.models import EntryStatus, PerspectiveRole
from learning.tests import files
from learning.tests.conftest import content, person
from organisations.tests.factories import IcbFactory, TrustFactory
from tests.browser.test_every_page import SAMPLES, _walk

pytestmark = pytest.mark.django_db

ORG_NAME = "Quibblesworth Marshfen NHS Foundation Trust"
ORG_SHORT = "Quibblesworth Marshfen"
ORG_CODE = "RZQ9X"
ICS_NAME = "NHS Frobisher Wold Integrated Care Board"
ICS_CODE = "QZW7K"
AUTHOR = "Barnaby Quixotefen"
COLLEAGUE = "Ottoline Wrexgrove"
PATIENT_LEADER = "Pemberley Snarkwood"
EMAILS = ["barnaby.q@quibblesworth.example", "ottoline.w@quibblesworth.example"]

TITLE = "Plinthgrove: alert fatigue paused our rollout"
UPDATE_TITLE = "Month 3: Snorkelwick go-live moved"

# Views in which the authoring organisation's own people edit their entry
# (its history shows them their drafts too).
EDITING_VIEWS = {
    "learning:edit",
    "learning:publish",
    "learning:mine",
    "learning:attachments",
    "learning:history",
    "learning:compare",
}
# Responses about the library itself: none may contain an identifying word.
# (Elsewhere, say on the organisation's own page, the words may appear, but
# never beside the entry.) A search for the words, and the list of what a
# person follows, echo what that person typed or chose, so the rule for
# them is the second one.
ECHOES = {"learning:search", "learning:following"}


def secrets_for(user):
    """The identifying words, less the viewer's own name and email (shown in
    the header of every page they see)."""
    words = [ORG_NAME, ORG_SHORT, ORG_CODE, ICS_NAME, ICS_CODE, AUTHOR, COLLEAGUE, PATIENT_LEADER]
    words += EMAILS
    if user is not None:
        words = [w for w in words if w not in (user.full_name, user.email)]
    return words


def found(body, words):
    lowered = body.lower()
    variants = []
    for word in words:
        variants += [word.lower(), json.dumps(word)[1:-1].lower(), word.replace(" ", "+").lower()]
    return [v for v in variants if v in lowered]


@pytest.fixture
def world(measures):
    ics = IcbFactory(name=ICS_NAME, ods_code=ICS_CODE)
    trust = TrustFactory(name=ORG_NAME, ods_code=ORG_CODE, membership__ics=ics)
    neighbour = TrustFactory(membership__ics=ics)
    author = person(organisation=trust, full_name=AUTHOR, email=EMAILS[0])
    colleague = person(RoleName.APPROVER, trust, full_name=COLLEAGUE, email=EMAILS[1])
    leader = person(RoleName.PATIENT_LEADER, trust, full_name=PATIENT_LEADER)
    moderator = person(RoleName.PLATFORM_ADMIN)
    viewers = {
        "anonymous visitor": None,
        "contributor at the same organisation": colleague,
        "contributor at another organisation in the same ICS": person(organisation=neighbour),
        "ICS digital lead": person(RoleName.ICS_LEAD, ics),
        "national analyst": person(RoleName.NATIONAL_ANALYST),
        "patient leader at the same organisation": leader,
        "platform admin (moderator)": moderator,
    }
    for user in viewers.values():
        if user is not None:
            services.follow(by=user, kind="topic", value="e-prescribing")
            services.follow(by=user, kind="measure", value="safe_practice")
            services.follow(by=user, kind="organisation", value=ORG_CODE)

    entry = services.create_entry(
        by=author,
        organisation=trust,
        content=content(
            title=TITLE,
            anonymous=True,
            topics=["e-prescribing"],
            measures=["safe_practice"],
            # a first draft that names the trust: it must not survive in any history
            context=f"At {ORG_SHORT} we switched on every alert.",
        ),
    )
    for name, data in [
        (f"{ORG_SHORT} board paper.pdf", files.pdf_with(AUTHOR, ORG_NAME)),
        (f"{AUTHOR} notes.docx", files.docx_with(AUTHOR, ORG_NAME)),
        (f"{ORG_CODE}.jpg", files.jpeg_with(AUTHOR, ORG_NAME)),
    ]:
        services.add_attachment(entry=entry, by=author, name=name, data=data)
    services.edit_entry(
        entry=entry,
        by=author,
        content=content(
            title=TITLE,
            anonymous=True,
            topics=["e-prescribing"],
            measures=["safe_practice"],
            context="We switched on every alert.",
        ),
    )
    services.publish(entry=entry, by=author)
    services.approve_entry(entry=entry, by=moderator)
    services.post_update(
        entry=entry, by=author, title=UPDATE_TITLE, body="Alerts cut by two thirds."
    )
    perspective = services.add_perspective(
        entry=entry, by=leader, role=PerspectiveRole.PATIENT_CARER, body="Carers were not told."
    )
    services.review_perspective(perspective=perspective, by=moderator, approve=True)
    services.edit_entry(
        entry=entry,
        by=colleague,
        content=content(
            title=TITLE,
            anonymous=True,
            topics=["e-prescribing"],
            measures=["safe_practice"],
            context="We switched on every alert at once.",
        ),
    )
    services.send_digests(site_url="https://northstar.example")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    return {"entry": entry, "viewers": viewers, "author": author}


def _pages(entry):
    samples = {
        **SAMPLES,
        "entry": entry.reference,
        "ods_code": ORG_CODE,
        "topic": "e-prescribing",
        "measure": "safe_practice",
    }
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or name == "accounts:logout":
            continue
        path = route
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            parameter = path[start + 1 : end].split(":")[-1]
            path = path[:start] + samples.get(parameter, "1") + path[end + 1 :]
        yield name, "/" + path
    # Every attachment, each search a reader might make, and a comparison of
    # every public revision.
    for number in (1, 2, 3):
        yield "learning:attachment", reverse("learning:attachment", args=[entry.reference, number])
        yield (
            "learning:attachment",
            reverse("learning:attachment", args=[entry.reference, number]) + "?download",
        )
    for name, path in [
        ("learning:topic", "/learning/topics/e-prescribing/"),
        ("learning:measure", "/learning/measures/safe_practice/"),
    ]:
        yield name, path + "?format=atom"
    yield "learning:export", "/learning/export/?format=csv"
    for query in ["alert", "Snorkelwick", "Carers"]:
        yield "learning:index", f"/learning/?q={query}"
    for query in [ORG_SHORT, ORG_CODE, AUTHOR]:
        yield "learning:search", f"/learning/?q={query}"
    yield "learning:compare", f"/learning/entries/{entry.reference}/compare/?from=1&to=9"
    yield "learning:compare", f"/learning/entries/{entry.reference}/compare/?from=2&to=3"


def _api_paths(client, headers, entry):
    description = client.get("/api/v1/openapi.json", **headers).json()
    for path, operations in description["paths"].items():
        if "get" not in operations:
            continue
        filled = re.sub(r"\{reference\}", entry.reference, path)
        filled = re.sub(r"\{ods_code\}", ORG_CODE, filled)
        filled = re.sub(r"\{[^}]+\}", "1", filled)
        yield filled
        if filled.endswith("/entries"):
            for query in ["alert", "Snorkelwick"]:
                yield f"{filled}?q={query}"


def _body(response):
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body.decode("latin-1")


def test_nothing_anywhere_links_an_anonymous_redprint_to_its_organisation(world):
    entry = world["entry"]
    markers = [TITLE, UPDATE_TITLE, "Plinthgrove", "Snorkelwick", entry.reference]
    own = {world["viewers"]["contributor at the same organisation"]}
    leaks, checked = [], 0

    def check(role, user, where, name, body):
        nonlocal checked
        checked += 1
        hits = found(body, secrets_for(user))
        if not hits:
            return
        if user in own and name in EDITING_VIEWS:
            return
        about_library = name.startswith(("learning", "api-learning")) and name not in ECHOES
        if about_library or found(body, markers):
            leaks.append(f"{role} at {where}: {hits}")

    for role, user in world["viewers"].items():
        client = Client(raise_request_exception=False)
        headers = {}
        if user is not None:
            client.force_login(user)
            _, secret = tokens.create(user=user, name="anonymity test", scope="read")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        for name, path in _pages(entry):
            response = client.get(path)
            if name.startswith("learning"):
                assert response.status_code < 500, f"{role}: {path} answered {response.status_code}"
            check(role, user, path, name, _body(response))
        if user is not None:
            for path in _api_paths(client, headers, entry):
                response = client.get(path, **headers)
                assert response.status_code < 500, f"{role}: {path} answered {response.status_code}"
                check(
                    role,
                    user,
                    path,
                    "api-learning" if "/learning" in path else "api",
                    _body(response),
                )

    people = [*world["viewers"].values(), world["author"]]
    recipients = {user.email: user for user in people if user is not None}
    for message in mail.outbox:
        [to] = message.to
        check(
            "email",
            recipients.get(to),
            f"email to {to}",
            "learning:email",
            message.subject + message.body,
        )
    assert any(TITLE in message.body for message in mail.outbox)
    assert checked > 500
    assert not leaks, "\n".join(leaks)


def test_the_authors_see_their_own_organisation_only_in_editing_views(world, client):
    entry = world["entry"]
    client.force_login(world["viewers"]["contributor at the same organisation"])

    page = client.get(f"/learning/entries/{entry.reference}/")
    assert ORG_NAME not in page.content.decode()
    assert "An NHS organisation" in page.content.decode()
    history = client.get(f"/learning/entries/{entry.reference}/history/").content.decode()
    assert "The authors" in history and AUTHOR not in history


def test_readers_see_the_published_history_only(world, client):
    entry = world["entry"]

    history = client.get(f"/learning/entries/{entry.reference}/history/").content.decode()
    assert "(draft)" not in history
    assert ">1<" not in history  # the first draft, which named the trust, is not shown
    assert (
        client.get(f"/learning/entries/{entry.reference}/compare/?from=1&to=3").status_code == 400
    )


def test_dates_of_an_anonymous_entry_are_shown_to_the_month(world, client):
    entry = world["entry"]

    page = client.get(f"/learning/entries/{entry.reference}/").content.decode()
    month = f"{entry.published_at:%B %Y}"
    assert month in page
    assert f"{entry.published_at.day} {month}" not in page


def test_every_attachment_is_served_to_readers_stripped(world, client):
    entry = world["entry"]
    for number in (1, 2, 3):
        response = client.get(f"/learning/entries/{entry.reference}/attachments/{number}/?download")
        assert response.status_code == 200
        body = _body(response)
        assert len(body) > 100
        assert not found(body, secrets_for(None))
