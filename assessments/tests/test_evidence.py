import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import RoleName
from assessments import services, workflow
from assessments.evidence import MAX_FILE_SIZE, render_note
from assessments.models import Evidence
from assessments.tests.factories import answer, domain, person
from assessments.workflow import AnswerValue, AssessmentError, Change
from organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def office(part):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def add(world, **kwargs):
    return services.add_evidence(
        assessment=world.assessment(), by=world.contributor, **{"title": "Evidence", **kwargs}
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("board-minutes.pdf", PDF, "application/pdf"),
        ("screen.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        (
            "plan.docx",
            office("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            office("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_file_types_are_recognised_from_their_content(world, settings, name, content, content_type):
    evidence = add(world, upload=upload(name, content))
    assert evidence.content_type == content_type and evidence.number == 1
    stored = settings.MEDIA_ROOT / "evidence" / evidence.stored_name
    assert stored.read_bytes() == content
    assert name not in evidence.stored_name


def test_a_lying_extension_is_refused(world):
    with pytest.raises(
        AssessmentError, match="really a PNG image, but its name says otherwise"
    ) as refused:
        add(world, upload=upload("report.pdf", PNG))
    assert refused.value.field == "upload"
    assert not Evidence.objects.exists()


def test_a_program_named_pdf_is_refused(world):
    with pytest.raises(AssessmentError, match="is not a PDF, DOCX, XLSX, PNG or JPEG file"):
        add(world, upload=upload("report.pdf", b"MZ\x90\x00 a program"))


def test_a_zip_that_is_not_an_office_file_is_refused(world):
    with pytest.raises(AssessmentError, match="is not a PDF"):
        add(world, upload=upload("plan.docx", office("other.xml")))


def test_a_file_over_20_mb_is_refused(world):
    big = upload("big.pdf", PDF)
    big.size = MAX_FILE_SIZE + 1
    with pytest.raises(AssessmentError, match="choose a file of 20 MB or less"):
        add(world, upload=big)


def test_links_must_be_http_or_https(world):
    with pytest.raises(AssessmentError, match="starts with https://"):
        add(world, url="javascript:alert(1)")
    with pytest.raises(AssessmentError, match="starts with https://"):
        add(world, url="ftp://example.org/file")
    assert add(world, url="https://example.org/strategy").kind == "link"


def test_one_of_note_link_or_file(world):
    with pytest.raises(AssessmentError, match="Add one of a note, a link or a file"):
        add(world)
    with pytest.raises(AssessmentError, match="one at a time"):
        add(world, note="x", url="https://example.org")


def test_notes_render_markdown_without_raw_html():
    html = render_note(
        "# Board\n\n*approved* <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://nhs.uk)"
    )
    assert "<h2>Board</h2>" in html and "<em>approved</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://nhs.uk"' in html


def test_one_piece_supports_answers_in_several_care_settings(world):
    world.trust.care_settings = ["acute", "community"]
    world.trust.save()
    from assessments.tests.factories import open_test_round

    round = open_test_round(world, name="2027/28")
    acute = world.assessment(round=round)
    community = world.assessment(round=round, care_setting="community")
    evidence = services.add_evidence(
        assessment=acute, title="EPR go-live report", note="Live", by=world.contributor
    )
    value = AnswerValue(elements=("1a", "1b"), evidence_ids=(evidence.id,))
    workflow.apply_answers(
        changes=[
            Change(assessment, domain(world, "epr"), value, version=0)
            for assessment in (acute, community)
        ],
        by=world.contributor,
    )
    assert evidence.answers.count() == 2


def test_evidence_of_another_organisation_cannot_support_an_answer(world):
    other = OrganisationFactory()
    foreign = Evidence.objects.create(
        organisation=other, round=world.round, number=1, kind="note", title="Not ours"
    )
    with pytest.raises(AssessmentError, match="Choose evidence held by this organisation"):
        answer(world, "epr", ["1a"], evidence_ids=(foreign.id,))


def test_files_are_served_only_to_people_who_may_see_the_assessment(client, world):
    evidence = add(world, upload=upload("minutes.pdf", PDF))
    url = reverse("assessments:evidence_item", args=[world.round.slug, "RTEST", evidence.number])
    client.force_login(world.approver)
    response = client.get(url, {"download": "1"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    client.force_login(person(RoleName.CONTRIBUTOR, OrganisationFactory()))
    assert client.get(url, {"download": "1"}).status_code == 404
    client.logout()
    assert client.get(url, {"download": "1"}).status_code == 302


def test_evidence_page_adds_a_file_and_names_the_field_on_error(client, world):
    client.force_login(world.contributor)
    url = reverse("assessments:evidence", args=[world.round.slug, "RTEST"])
    bad = client.post(url, {"title": "Minutes", "upload": upload("minutes.pdf", PNG)})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "There is a problem" in html and 'href="#id_upload"' in html
    good = client.post(url, {"title": "Minutes", "upload": upload("minutes.pdf", PDF)})
    assert good.status_code == 302
    assert Evidence.objects.get().original_name == "minutes.pdf"


def test_a_zip_bomb_is_refused_as_evidence_naming_the_limit(world):
    from core.tests.bombs import docx_bomb

    with pytest.raises(AssessmentError) as refused:
        add(world, upload=upload("plan.docx", docx_bomb(512)))

    assert str(refused.value) == (
        "plan.docx cannot be accepted: it would expand to more than 100 MB when opened"
    )
    assert refused.value.field == "upload"
    assert not Evidence.objects.exists()


def test_a_zip_bomb_that_lies_about_its_size_is_refused_as_evidence(world):
    from core.tests.bombs import docx_bomb

    with pytest.raises(AssessmentError, match="its parts are larger than its directory says"):
        add(world, upload=upload("plan.docx", docx_bomb(512, declared=2000)))
    assert not Evidence.objects.exists()
