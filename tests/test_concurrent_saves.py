"""Simultaneous saves through a live server, with real threads and real HTTP:
writers queue rather than fail. Every save of one answer, through the API, the
answer form or autosave, is either saved or refused as "changed by NAME at
TIME" (409); never a server error, and never two saves from the same version
(a lost update). Runs on SQLite and PostgreSQL alike."""

import http.client
import json
import secrets
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client

from accounts import tokens
from accounts.models import RoleName
from assessments.models import Answer, AnswerRevision, Evidence
from assessments.tests.factories import build_world, person

pytestmark = pytest.mark.django_db(transaction=True)

ASSESSMENT = "/assessments/2026-27/RTEST/acute"
API_ANSWER = "/api/v1/assessments/2026-27/RTEST/acute/answers/epr"
FORM = f"{ASSESSMENT}/domains/epr/"
AUTOSAVE = f"{ASSESSMENT}/domains/epr/autosave/"
EVIDENCE = "/assessments/2026-27/RTEST/evidence/"
CONFLICT = "was changed by"

WRITERS = 20
RUN_FOR = 8  # seconds; each writer also stops after MAX_WRITES
MAX_WRITES = 25


def send(url, *, data=None, headers=None, method="GET"):
    """``(status, body text)``; a redirect is answered as itself, not followed."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    try:
        connection.request(method, address.path, body=data, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@dataclass
class Writer:
    """One person writing the answer through one path: "api", "form" or
    "autosave". Reads the current version through the API."""

    base: str
    name: str
    path: str
    token: str
    cookies: str

    def current_version(self):
        status, body = send(self.base + API_ANSWER, headers=self._bearer())
        assert status == 200, body
        return json.loads(body)["version"]

    def save(self, version, comment):
        """``(status, body)`` of one save from ``version``."""
        if self.path == "api":
            payload = {"version": version, "elements_met": ["1a", "1b"], "comment": comment}
            return send(
                self.base + API_ANSWER,
                data=json.dumps(payload).encode(),
                headers={**self._bearer(), "Content-Type": "application/json"},
                method="PUT",
            )
        fields = {"version": version, "elements": ["1a", "1b"], "comment": comment}
        address = FORM if self.path == "form" else AUTOSAVE
        return self.post(address, fields)

    def post(self, address, fields):
        return send(
            self.base + address,
            data=urllib.parse.urlencode(fields, doseq=True).encode(),
            headers={
                "Cookie": self.cookies,
                "X-CSRFToken": self.cookies.split("csrftoken=")[1],
                "Content-Type": "application/x-www-form-urlencoded",
            },
            method="POST",
        )

    def _bearer(self):
        return {"Authorization": f"Bearer {self.token}"}


def saved(path, status):
    return status == (302 if path == "form" else 200)


def writer(base, world, number, path):
    """A contributor of the trust, signed in and holding an API token."""
    name = f"Writer {number}"
    user = person(RoleName.CONTRIBUTOR, world.trust, name)
    _, token = tokens.create(user=user, name="concurrency", scope="write")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return Writer(base=base, name=name, path=path, token=token, cookies=cookies)


class _Server(ThreadedWSGIServer):
    # As a production server's would, the backlog holds every simultaneous
    # writer's connection until it is accepted (Django's test server holds 10).
    request_queue_size = 64


@pytest.fixture
def server(transactional_db):
    """A live server: a thread per request, each with its own database connection."""
    httpd = _Server(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=60)


@pytest.fixture
def world():
    return build_world()


def test_twenty_writers_at_once_each_save_or_hear_who_changed_it_first(server, world):
    paths = ["api", "form", "autosave"]
    writers = [writer(server, world, i, paths[i % 3]) for i in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    deadline = time.monotonic() + RUN_FOR

    def write(w):
        outcomes = []
        start.wait()
        for n in range(MAX_WRITES):
            if time.monotonic() > deadline:
                break
            status, body = w.save(w.current_version(), f"{w.name}, save {n}")
            outcomes.append((w.path, status, body))
        return outcomes

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = [o for found in pool.map(write, writers) for o in found]

    refused = [o for o in outcomes if not saved(o[0], o[1])]
    unexpected = [o[:2] + (o[2][:300],) for o in refused if o[1] != 409 or CONFLICT not in o[2]]
    assert unexpected == []
    saves = len(outcomes) - len(refused)
    answer = Answer.objects.get()
    assert saves > 0
    assert answer.version == saves
    assert AnswerRevision.objects.filter(answer=answer).count() == saves


@pytest.mark.parametrize(
    ("first", "second"),
    [("api", "api"), ("form", "autosave"), ("autosave", "api"), ("api", "form")],
)
def test_two_saves_from_the_same_version_one_is_saved_the_other_is_told(
    server, world, first, second
):
    pair = [writer(server, world, 1, first), writer(server, world, 2, second)]
    start = threading.Barrier(2)

    def write(w, version):
        start.wait()
        return w.save(version, f"{w.name} at version {version}")

    with ThreadPoolExecutor(2) as pool:
        for version in range(5):
            results = list(pool.map(write, pair, [version, version]))
            by_outcome = {
                saved(w.path, status): (w, body)
                for w, (status, body) in zip(pair, results, strict=True)
            }
            assert set(by_outcome) == {True, False}, [(s, b[:300]) for s, b in results]
            winner, _ = by_outcome[True]
            _, refusal = by_outcome[False]
            assert f"{CONFLICT} {winner.name}" in refusal
            assert Answer.objects.get().version == version + 1


def test_simultaneous_evidence_additions_all_succeed(server, world):
    people = [writer(server, world, i, "form") for i in range(4)]
    start = threading.Barrier(24)

    def add(number):
        start.wait()
        fields = {"title": f"Evidence from request {number}", "note": "Minutes of the board"}
        return people[number % 4].post(EVIDENCE, fields)

    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(add, range(24)))

    assert [(s, b[:300]) for s, b in results if s != 302] == []
    numbers = sorted(Evidence.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 25))
