import pytest
from django.core.exceptions import ValidationError

from learning import attachments, services
from learning.models import Attachment
from learning.tests import files
from learning.tests.conftest import content, published

pytestmark = pytest.mark.django_db

SECRET = "Quillbury Snodgrass"


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("paper.pdf", files.pdf_with(SECRET, SECRET), "pdf"),
        ("paper.docx", files.docx_with(SECRET, SECRET), "docx"),
        ("photo.jpeg", files.jpeg_with(SECRET, SECRET), "jpg"),
        ("chart.png", files.png_with(SECRET), "png"),
    ],
)
def test_metadata_is_stripped_and_the_name_is_not_kept(
    measures, trust, writer, name, data, extension
):
    assert SECRET.encode() in data
    entry = published(writer, trust)

    attachment = services.add_attachment(entry=entry, by=writer, name=f"{SECRET} {name}", data=data)

    stored = attachments.path_of(attachment).read_bytes()
    assert SECRET.encode() not in stored
    assert SECRET.encode("utf-16-be") not in stored
    assert attachment.download_name == f"attachment-1.{extension}"
    assert SECRET not in attachment.stored_name and SECRET not in attachment.title


def test_the_stripped_pdf_still_opens(measures, trust, writer):
    from pypdf import PdfReader

    entry = published(writer, trust)
    attachment = services.add_attachment(
        entry=entry, by=writer, name="a.pdf", data=files.pdf_with(SECRET, SECRET)
    )

    reader = PdfReader(attachments.path_of(attachment))
    assert len(reader.pages) == 1
    assert not (reader.metadata or {}).get("/Author")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"just text", "must be a PDF"),
        ("photo.pdf", files.jpeg_with("a", "b"), "is a JPEG image, but its name ends “.pdf”"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-" + b"0" * (attachments.MAX_SIZE + 1), "smaller than 20 MB"),
    ],
)
def test_bad_files_are_refused_with_a_reason(measures, trust, writer, name, data, message):
    entry = published(writer, trust)

    with pytest.raises(ValidationError) as refused:
        services.add_attachment(entry=entry, by=writer, name=name, data=data)

    assert message in refused.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_upload_page_shows_the_reason_in_the_error_summary(client, measures, trust, writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry = services.create_entry(by=writer, organisation=trust, content=content())
    client.force_login(writer)

    response = client.post(
        f"/learning/entries/{entry.reference}/attachments/",
        {"file": SimpleUploadedFile("photo.pdf", files.jpeg_with("a", "b"))},
    )

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert 'href="#id_file"' in response.content.decode()
    ok = client.post(
        f"/learning/entries/{entry.reference}/attachments/",
        {"file": SimpleUploadedFile("paper.pdf", files.pdf_with("a", "b"))},
    )
    assert ok.status_code == 302
    assert (
        "Download the file"
        in client.get(f"/learning/entries/{entry.reference}/attachments/1/").content.decode()
    )
    download = client.get(f"/learning/entries/{entry.reference}/attachments/1/?download")
    assert download["Content-Disposition"] == 'attachment; filename="attachment-1.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_check_before_anonymous_publication_reads_attached_documents(measures, trust, writer):
    import io
    import zipfile

    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr(
            "word/document.xml", f"<w:document><w:t>Signed off at {trust.name}</w:t></w:document>"
        )
    services.add_attachment(
        entry=entry, by=writer, name="minutes.docx", data=out.getvalue(), title="Minutes"
    )

    [hit] = services.identifying_hits(entry=entry, by=writer)

    assert hit.field_label == "The file “Minutes”"
    assert hit.found == trust.name
