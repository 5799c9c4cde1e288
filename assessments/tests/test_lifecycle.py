"""The lifecycle in one place: the same change gets the same answer whichever
way it comes (the answer page, autosave, the API, an import), and a frozen
assessment refuses every one of them, changing nothing."""

import ast
import csv
import html
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts import tokens
from accounts.policy import Step
from assessments import signals, workflow
from assessments.exchange import COLUMNS, import_answers
from assessments.models import Answer, AnswerRevision
from assessments.tests.factories import answer, answer_everything, domain
from assessments.workflow import AnswerValue, Change
from core.tables import ImportRejected

pytestmark = pytest.mark.django_db

FROZEN = (
    "The acute assessment of Test Hospitals NHS Trust in round 2026/27 is submitted, so its "
    "answers are frozen: an approver at Test Hospitals NHS Trust can send it back to draft "
    "to change them"
)


def address(world, name):
    a = world.assessment()
    return reverse(
        f"assessments:{name}", args=[a.round.slug, a.organisation.ods_code, a.care_setting, "epr"]
    )


def through_the_page(client, world, elements, **extra):
    client.force_login(world.contributor)
    response = client.post(
        address(world, "domain"), {"elements": elements, "version": "0", **extra}
    )
    assert response.status_code == 400
    return html.unescape(response.content.decode())


def through_autosave(client, world, elements, **extra):
    client.force_login(world.contributor)
    response = client.post(
        address(world, "autosave"), {"elements": elements, "version": "0", **extra}
    )
    assert response.status_code == 400
    return response.json()["detail"]


def through_the_api(client, world, elements, **extra):
    _, secret = tokens.create(user=world.contributor, name="test", scope="write")
    response = client.put(
        "/api/v1/assessments/2026-27/RTEST/acute/answers/epr",
        {"version": 0, "elements_met": elements, **extra},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    return response.json()["detail"]


def through_an_import(tmp_path, rows):
    path = tmp_path / "answers.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for values in rows:
            writer.writerow([values.get(c, "") for c in COLUMNS])
    with pytest.raises(ImportRejected) as refused:
        import_answers(path=path)
    return refused.value.messages


def row(domain="epr", elements="", **extra):
    return {
        "ods_code": "RTEST",
        "round": "2026/27",
        "care_setting": "acute",
        "domain_id": domain,
        "elements_met": elements,
        "not_applicable": "no",
        **extra,
    }


@pytest.mark.parametrize(
    ("page", "api", "row_values", "column", "message"),
    [
        (
            {"elements": ["1a", "9z"]},
            {"elements_met": ["1a", "9z"]},
            {"elements": "1a;9z"},
            "elements_met",
            "9z is not an element of Epr: its elements are 1a, 1b, 2a, 2b, 3a, 3b, 4a, 4b, 5a, 5b",
        ),
        (
            {"elements": [], "not_applicable": "on", "not_applicable_reason": "No beds"},
            {"elements_met": [], "not_applicable": True, "not_applicable_reason": "No beds"},
            {"not_applicable": "yes", "not_applicable_reason": "No beds"},
            "not_applicable",
            "Epr cannot be answered as not applicable: tick the elements that are met",
        ),
    ],
)
def test_a_bad_value_gets_the_same_message_every_way_it_comes(
    client, world, tmp_path, page, api, row_values, column, message
):
    elements = page.pop("elements")
    assert message in through_the_page(client, world, elements, **page)
    assert through_autosave(client, world, elements, **page) == message
    api_elements = api.pop("elements_met")
    assert through_the_api(client, world, api_elements, **api) == message
    assert through_an_import(tmp_path, [row(**row_values)]) == [
        f"answers.csv: row 2, column {column}: {message}"
    ]
    assert not Answer.objects.exists()


def test_a_frozen_assessment_refuses_every_way_and_changes_nothing(client, world, tmp_path):
    answer_everything(world)
    workflow.take_step(assessment=world.assessment(), step=Step.SUBMIT, by=world.contributor)
    before = list(Answer.objects.order_by("pk").values_list("pk", "version"))
    revisions = AnswerRevision.objects.count()

    assert FROZEN in through_the_page(client, world, ["1a"])
    assert through_autosave(client, world, ["1a"]) == FROZEN
    assert through_the_api(client, world, ["1a"]) == FROZEN
    # Told once for the assessment, not once for each of its rows.
    assert through_an_import(tmp_path, [row(elements="1a"), row("well-led-core", "1a")]) == [
        f"answers.csv: 2 rows from row 2: {FROZEN}"
    ]
    with pytest.raises(workflow.AssessmentError, match=FROZEN):
        workflow.confirm_measure(
            assessment=world.assessment(),
            measure=world.version.measures.first(),
            by=world.contributor,
        )
    assert list(Answer.objects.order_by("pk").values_list("pk", "version")) == before
    assert AnswerRevision.objects.count() == revisions


def test_the_refusal_names_who_can_send_it_back_at_each_step(world):
    answer_everything(world)
    assessment = world.assessment()
    for step, by, who in [
        (Step.SUBMIT, world.contributor, "an approver at Test Hospitals NHS Trust"),
        (Step.APPROVE, world.approver, "the ICS lead of NHS Test Integrated Care Board"),
        (Step.VALIDATE, world.ics_lead, "a platform administrator"),
    ]:
        assessment = workflow.take_step(assessment=assessment, step=step, by=by)
        refused = workflow.change_refusal(assessment, world.contributor)
        assert f"{who} can send it back to draft" in refused.message
    assessment = workflow.take_step(assessment=assessment, step=Step.PUBLISH, by=world.admin)
    assert workflow.change_refusal(assessment, world.contributor).message == (
        "The acute assessment of Test Hospitals NHS Trust in round 2026/27 is published, so its "
        "answers are final: a published assessment cannot be sent back to draft"
    )


def test_a_closed_round_is_told_once_for_each_assessment_in_an_import(world, tmp_path):
    workflow.close_round(round=world.round, by=world.admin)
    messages = through_an_import(
        tmp_path,
        [
            row(elements="1a"),
            row("well-led-core", "1a"),
            row("ics-well-led", "1a", ods_code="QTEST", care_setting="ics"),
        ],
    )
    assert messages == [
        "answers.csv: 2 rows from row 2: The acute assessment of Test Hospitals NHS Trust in "
        "round 2026/27 takes no answers: round 2026/27 is closed, and answers can be changed "
        "only while it is open",
        "answers.csv: row 4: The integrated care system assessment of NHS Test Integrated Care "
        "Board in round 2026/27 takes no answers: round 2026/27 is closed, and answers can be "
        "changed only while it is open",
    ]


def test_answers_changed_is_sent_once_per_write_with_the_assessments_touched(world):
    heard = []

    def listener(sender, assessment_ids, **kwargs):
        heard.append(assessment_ids)

    signals.answers_changed.connect(listener)
    try:
        answer_everything(world)
    finally:
        signals.answers_changed.disconnect(listener)
    assert heard == [[world.assessment().id]]


def test_publishing_and_closing_tell_the_apps_above(world):
    heard = []

    def listener(sender, round_id, assessment_ids, **kwargs):
        heard.append((round_id, assessment_ids))

    answer_everything(world)
    assessment = world.assessment()
    for step, by in [
        (Step.SUBMIT, world.contributor),
        (Step.APPROVE, world.approver),
        (Step.VALIDATE, world.ics_lead),
    ]:
        workflow.take_step(assessment=assessment, step=step, by=by)
    signals.publication_changed.connect(listener)
    try:
        workflow.close_round(round=world.round, by=world.admin)
    finally:
        signals.publication_changed.disconnect(listener)
    assert heard == [(world.round.id, [assessment.id])]


def test_assessments_imports_none_of_the_apps_above_it():
    above = {"scoring", "benchmarking", "learning", "northstar"}
    app = Path(settings.BASE_DIR) / "assessments"
    found = []
    for path in app.rglob("*.py"):
        if "tests" in path.relative_to(app).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in above]
    assert found == []


def test_an_import_recorded_against_someone_is_held_to_their_roles(world, tmp_path):
    path = tmp_path / "answers.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for values in (row(elements="1a"), row("well-led-core", "1a")):
            writer.writerow([values.get(c, "") for c in COLUMNS])
    with pytest.raises(ImportRejected) as refused:
        import_answers(path=path, by=world.approver)
    assert refused.value.messages == [
        "answers.csv: 2 rows from row 2: Your roles do not let you change this assessment's "
        "answers and evidence. If you think they should, ask your organisation's Northstar "
        "administrator."
    ]
    summary = import_answers(path=path, by=world.contributor)
    assert summary.created == 2
    assert set(AnswerRevision.objects.values_list("by", flat=True)) == {world.contributor.id}


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_version_at_once_keep_one_and_refuse_the_other(world):
    """Each writer locks the assessment and its answers, so the second save
    based on version 1 sees version 2 and is refused, whatever the timing."""
    answer(world, "epr", ["1a", "1b"])
    start = threading.Barrier(2, timeout=60)
    outcomes = []

    def save(elements):
        try:
            start.wait()
            change = Change(world.assessment(), domain(world, "epr"), AnswerValue(elements), 1)
            workflow.apply_answers(changes=[change], by=world.contributor)
            outcomes.append("saved")
        except workflow.StaleAnswer:
            outcomes.append("refused as stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(e,)) for e in (("1a",), ("1a", "1b", "2a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused as stale", "saved"]
    saved = Answer.objects.get(domain__key="epr")
    assert saved.version == 2
    assert list(saved.revisions.values_list("version", flat=True)) == [1, 2]


STATUS_WORDS = "draft|submitted|approved|validated|published|upcoming|open|closed"
STATUS_LITERAL = re.compile(
    rf"(?:\b(?:round|assessment)s?(?:__|\.)status\w*|\bstatus)\s*(?:==|!=|=)\s*[\"']({STATUS_WORDS})[\"']"
)


def test_no_assessment_or_round_status_is_written_as_a_string_outside_the_workflow():
    """The lifecycle's statuses are named once, in assessments/workflow.py; the
    framework's and the library's own statuses (draft, published) are theirs."""
    root = Path(settings.BASE_DIR)
    found = []
    for path in sorted([*root.glob("*/**/*.py"), *root.glob("*/**/*.jinja")]):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "node_modules", "frameworks", "learning"}:
            continue
        if "migrations" in relative.parts or relative == Path("assessments/workflow.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if STATUS_LITERAL.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "Status strings outside the workflow:\n" + "\n".join(found)
