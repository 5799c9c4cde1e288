import pytest
from django.urls import reverse

from accounts.policy import Step
from assessments import workflow
from assessments.models import Answer
from assessments.tests.factories import ALL, answer, answer_everything, person
from assessments.workflow import AssessmentStatus, RoundStatus

pytestmark = pytest.mark.django_db


def page(world, name, *extra, assessment=None):
    a = assessment or world.assessment()
    return reverse(
        f"assessments:{name}", args=[a.round.slug, a.organisation.ods_code, a.care_setting, *extra]
    )


@pytest.fixture
def contributor(client, world):
    client.force_login(world.contributor)
    return client


def test_assessment_page_shows_progress_and_measures(contributor, world):
    answer(world, "epr", ["1a", "1b"])
    response = contributor.get(page(world, "assessment"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 9 answered" in html
    assert "Ensure smart foundations" in html
    assert "Epr has not been answered" not in html
    assert "Well led core has not been answered" in html


def test_assessment_page_hidden_from_other_organisations(client, world):
    from accounts.models import RoleName
    from organisations.tests.factories import OrganisationFactory

    client.force_login(person(RoleName.CONTRIBUTOR, OrganisationFactory()))
    assert client.get(page(world, "assessment")).status_code == 404


def test_ics_lead_sees_members_assessment(client, world):
    client.force_login(world.ics_lead)
    assert client.get(page(world, "assessment")).status_code == 200


def test_domain_page_shows_every_level_and_saves_with_a_plain_post(contributor, world):
    url = page(world, "domain", "epr")
    response = contributor.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for level in range(1, 6):
        assert f"Level {level}:" in html
    assert "epr level 5 element b" in html
    assert "What to consider." in html
    assert "For level 1, 1a, 1b must be met too." in html
    response = contributor.post(
        url, {"elements": ["1a", "1b", "2a"], "comment": "On track", "version": "0"}
    )
    assert response.status_code == 302
    saved = Answer.objects.get(domain__key="epr")
    assert saved.level == 1 and saved.comment == "On track"
    # Save and continue goes to the next question in the framework.
    assert response["Location"].endswith("/domains/smart-foundations-core/")


def test_domain_page_error_summary_names_the_field(contributor, world):
    response = contributor.post(page(world, "domain", "epr"), {"elements": ["9z"], "version": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "9z is not an element of Epr" in html
    assert not Answer.objects.exists()


def test_domain_page_version_not_a_number(contributor, world):
    response = contributor.post(page(world, "domain", "epr"), {"version": "two"})
    assert response.status_code == 400
    assert "version must be a whole number" in response.content.decode()


def test_domain_page_stale_version_shows_both_answers(contributor, world):
    answer(world, "epr", ["1a", "1b"], by=world.contributor)
    answer(world, "epr", ["1a", "1b", "2a", "2b"], version=1)
    response = contributor.post(page(world, "domain", "epr"), {"elements": ["1a"], "version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by Casey Contributor" in html
    assert "Their answer (saved)" in html and "Your answer (not saved)" in html
    assert "Elements met: 1a, 1b, 2a, 2b" in html and "Elements met: 1a" in html
    assert 'name="version" value="2"' in html
    assert Answer.objects.get().version == 2


def test_history_page_lists_every_change(contributor, world):
    answer(world, "epr", ["1a", "1b"], comment="First")
    answer(world, "epr", ["1a", "1b", "2a", "2b"], version=1, comment="Second")
    html = contributor.get(page(world, "history", "epr")).content.decode()
    assert "Ticked 2a, 2b" in html
    assert "Level 1 → Level 2" in html
    assert "Comment changed from “First” to “Second”" in html


def test_assessment_as_it_stood(contributor, world):
    from django.utils import timezone

    answer(world, "epr", ["1a", "1b"])
    moment = timezone.localtime().replace(microsecond=0) + timezone.timedelta(minutes=1)
    saved = answer(world, "epr", ALL, version=1)
    saved.revisions.filter(version=2).update(at=moment + timezone.timedelta(minutes=5))
    response = contributor.get(
        page(world, "assessment"), {"at": moment.strftime("%Y-%m-%dT%H:%M:%S")}
    )
    html = response.content.decode()
    assert "As it stood at" in html and "Level 1" in html
    bad = contributor.get(page(world, "assessment"), {"at": "yesterday"})
    assert "Enter a date and time like" in bad.content.decode()


def test_submit_refused_lists_problems_linking_to_domains(contributor, world):
    response = contributor.post(page(world, "step"), {"step": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Epr has not been answered" in html
    assert page(world, "domain", "epr") in html


def test_workflow_steps_through_pages(client, world):
    answer_everything(world)
    client.force_login(world.contributor)
    assert client.post(page(world, "step"), {"step": "submit"}).status_code == 302
    client.force_login(world.approver)
    assert client.post(page(world, "step"), {"step": "approve"}).status_code == 302
    client.force_login(world.ics_lead)
    refused = client.post(page(world, "step"), {"step": "send_back"})
    assert "Say why it is being sent back" in refused.content.decode()
    assert (
        client.post(page(world, "step"), {"step": "send_back", "comment": "Check EPR"}).status_code
        == 302
    )
    html = client.get(page(world, "assessment")).content.decode()
    assert "Sent back to draft from approved" in html and "Check EPR" in html
    assert world.assessment().status == AssessmentStatus.DRAFT


def test_wrong_role_step_is_refused(client, world):
    answer_everything(world)
    workflow.take_step(assessment=world.assessment(), step=Step.SUBMIT, by=world.contributor)
    client.force_login(world.contributor)
    response = client.post(page(world, "step"), {"step": "approve"})
    assert response.status_code == 403
    assert "Your roles do not let you approve" in response.content.decode()


def test_every_page_renders_for_the_contributor(contributor, world):
    answer(world, "epr", ["1a"])
    for url in [
        reverse("assessments:index"),
        reverse("assessments:round", args=[world.round.slug]),
        reverse("assessments:round_download", args=[world.round.slug]),
        page(world, "assessment"),
        page(world, "measure", "smart_foundations"),
        page(world, "domain", "epr"),
        page(world, "history", "epr"),
        page(world, "download"),
        reverse("assessments:evidence", args=[world.round.slug, "RTEST"]),
    ]:
        response = contributor.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_admin_opens_a_round_from_the_page(client, world):
    client.force_login(world.admin)
    url = reverse("assessments:open_round")
    bad = client.post(url, {"name": "next year", "framework_version": world.version.pk})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Enter the round&#39;s name as two years" in html
    assert "Enter the date the round opens" in html
    response = client.post(
        url,
        {
            "name": "2027/28",
            "framework_version": world.version.pk,
            "opens_on": "2027-04-01",
            "closes_on": "2027-06-30",
            "organisation_types": ["acute", "icb"],
            "previous": world.round.pk,
        },
    )
    assert response.status_code == 302
    from assessments.models import Round

    new = Round.objects.get(name="2027/28")
    assert new.previous == world.round and new.assessments.exists()


def test_opening_a_round_is_for_platform_admins(contributor):
    assert contributor.get(reverse("assessments:open_round")).status_code == 403


def test_admin_closes_a_round_and_validated_ones_are_published(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("assessments:close_round", args=[world.round.slug]))
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.CLOSED


def test_confirm_a_measure_from_the_page(client, world):
    import datetime

    from assessments.tests.factories import open_test_round

    answer_everything(world)
    today = datetime.date.today()
    type(world.round).objects.filter(pk=world.round.pk).update(
        opens_on=today - datetime.timedelta(days=200), closes_on=today - datetime.timedelta(days=1)
    )
    new = open_test_round(world, name="2027/28", previous=world.round)
    client.force_login(world.contributor)
    overview = client.get(page(world, "assessment", assessment=world.assessment(round=new)))
    assert "Confirm unchanged" in overview.content.decode()
    response = client.post(
        page(world, "measure", "smart_foundations", assessment=world.assessment(round=new))
    )
    assert response.status_code == 302
    assert world.assessment(round=new).answers.filter(carried_forward=False).count() == 2


def test_downloads_are_csv_and_xlsx(contributor, world):
    answer(world, "epr", ["1a", "1b"])
    csv = contributor.get(page(world, "download"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "RTEST,2026/27,acute,epr,1a;1b,no,," in csv.content.decode("utf-8-sig")
    xlsx = contributor.get(page(world, "download"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    bad = contributor.get(page(world, "download"), {"format": "pdf"})
    assert bad.status_code == 400 and "Choose CSV or XLSX" in bad.content.decode()


def test_not_applicable_with_a_reason_where_the_framework_allows_it(contributor, world):
    from frameworks.models import Domain

    url = page(world, "domain", "epr")
    assert "This domain does not apply to us" not in contributor.get(url).content.decode()
    Domain.objects.filter(key="epr").update(allows_not_applicable=True)
    assert "This domain does not apply to us" in contributor.get(url).content.decode()
    missing = contributor.post(url, {"not_applicable": "on", "version": "0"})
    assert missing.status_code == 400
    assert 'href="#id_not_applicable_reason"' in missing.content.decode()
    saved = contributor.post(
        url, {"not_applicable": "on", "not_applicable_reason": "No inpatient beds", "version": "0"}
    )
    assert saved.status_code == 302
    answer = Answer.objects.get()
    assert answer.not_applicable and answer.level is None
