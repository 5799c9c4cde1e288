"""Attachments of anonymous redprints carry nothing that names their author,
and a file built to overwhelm the server is refused before it is opened."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from accounts.models import RoleName
from core.tests.bombs import docx_bomb
from learning import attachments, services
from learning.models import Attachment
from learning.tests import planted
from learning.tests.conftest import content, person
from organisations.tests.factories import IcbFactory, TrustFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(db):
    return TrustFactory(
        name="Wexcombe Vale Hospitals NHS Trust", ods_code="RQX7Z", membership__ics=IcbFactory()
    )


@pytest.fixture
def writer(trust):
    return person(organisation=trust, full_name="Pemberly Quist")


@pytest.fixture
def words(trust, writer):
    return (writer.full_name, trust.name, trust.ods_code)


def upload(client, entry, name, data):
    return client.post(
        f"/learning/entries/{entry.reference}/attachments/",
        {"file": SimpleUploadedFile(name, data), "title": "Our notes"},
    )


def download(client, entry, number=1):
    response = client.get(f"/learning/entries/{entry.reference}/attachments/{number}/?download")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _opens(name, data):
    """What a reader of the downloaded file sees, to show it still works."""
    if name.endswith(".pdf"):
        reader = PdfReader(io.BytesIO(data))
        links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
        return reader.pages[0].extract_text(), links
    if name.endswith((".docx", ".xlsx")):
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert all(part.compress_type == zipfile.ZIP_DEFLATED for part in archive.infolist())
        text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(("ml", ".rels")))
        return b"Lessons learnt" in text, b"https://example.org/guide" in text
    return Image.open(io.BytesIO(data)).size


@pytest.mark.parametrize(
    ("name", "make", "seen"),
    [
        ("notes.pdf", planted.pdf, ("Lessons learnt", ["https://example.org/guide"])),
        ("notes.docx", planted.docx, (True, True)),
        ("figures.xlsx", planted.xlsx, (True, True)),
        ("chart.png", planted.png, (16, 16)),
        ("photo.jpg", planted.jpeg, (16, 16)),
    ],
)
def test_no_hidden_place_in_a_downloaded_attachment_names_its_author(
    client, measures, trust, writer, words, name, make, seen
):
    original = make(words)
    assert planted.found(original, words) == sorted(words)
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    client.force_login(writer)

    assert upload(client, entry, name, original).status_code == 302
    services.publish(entry=entry, by=writer)  # the check before publication finds nothing
    services.approve_entry(entry=entry, by=person(RoleName.PLATFORM_ADMIN))
    downloaded = download(Client(), entry)

    assert planted.found(downloaded, words) == []
    assert _opens(name, downloaded) == seen


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        (
            "minutes.docx",
            lambda words: planted.docx(
                ("someone", "somewhere", "nothing"),
                body="<w:r><w:t>Signed off by Pember</w:t></w:r><w:r><w:t>ly Quist</w:t></w:r>",
            ),
            "Pemberly Quist",
        ),
        (
            "figures.xlsx",
            lambda words: planted.xlsx(("someone", "somewhere", "nothing"), cell="Code RQX7Z"),
            "RQX7Z",
        ),
        (
            "minutes.pdf",
            lambda words: planted.pdf(
                ("someone", "somewhere", "nothing"), text="Signed off at Wexcombe Vale"
            ),
            "Wexcombe Vale",
        ),
    ],
)
def test_the_check_before_publication_reads_the_cleaned_file(
    measures, trust, writer, words, name, data, found
):
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    services.add_attachment(entry=entry, by=writer, name=name, data=data(words), title="Minutes")

    hits = services.identifying_hits(entry=entry, by=writer)

    assert [(hit.field_label, hit.found) for hit in hits] == [("The file “Minutes”", found)]
    with pytest.raises(Exception, match="words that could identify your organisation"):
        services.publish(entry=entry, by=writer)


def test_a_stored_file_that_cannot_be_read_blocks_anonymous_publication(
    measures, trust, writer, words
):
    """A file the check cannot read is not taken to be free of names."""
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    attachment = services.add_attachment(
        entry=entry, by=writer, name="minutes.pdf", data=planted.pdf(words), title="Minutes"
    )
    attachments.path_of(attachment).write_bytes(b"%PDF-1.7 damaged on disk")

    hits = services.identifying_hits(entry=entry, by=writer)

    assert [(hit.field_label, hit.found) for hit in hits] == [("The file “Minutes”", "Minutes")]
    assert "could not read" in hits[0].term.what
    with pytest.raises(Exception, match="words that could identify your organisation"):
        services.publish(entry=entry, by=writer)


def test_a_zip_bomb_is_refused_at_once_naming_the_limit(client, measures, trust, writer):
    entry = services.create_entry(by=writer, organisation=trust, content=content())
    client.force_login(writer)
    client.get(f"/learning/entries/{entry.reference}/attachments/")  # pages compiled
    bomb = docx_bomb(512)

    started = time.monotonic()
    response = upload(client, entry, "plan.docx", bomb)
    took = time.monotonic() - started
    tracemalloc.start()
    upload(client, entry, "plan.docx", bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert response.status_code == 400
    assert "it would expand to more than 100 MB when opened" in response.content.decode()
    assert not Attachment.objects.exists()
    assert took < 10  # generous for a busy machine: it takes about a quarter of a second
    assert peak < 64 * 1024 * 1024  # the upload itself is half a megabyte


def test_a_zip_bomb_that_lies_about_its_size_is_stopped_while_it_is_read(measures, trust, writer):
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    tracemalloc.start()
    with pytest.raises(Exception, match="its parts are larger than its directory says"):
        services.add_attachment(
            entry=entry, by=writer, name="plan.docx", data=docx_bomb(512, declared=2000)
        )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert peak < 64 * 1024 * 1024
    assert not Attachment.objects.exists()


def _png_claiming(width, height):
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [8_000, 12_000, 30_000])
def test_an_image_too_large_to_open_is_refused_naming_the_limit(measures, trust, writer, side):
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    with pytest.raises(Exception, match="more than 50 megapixels"):
        services.add_attachment(
            entry=entry, by=writer, name="chart.png", data=_png_claiming(side, side)
        )


def test_authors_are_replaced_throughout_a_long_document(measures, trust, writer, words):
    change = f'<w:ins w:id="1" w:author="{writer.full_name}"><w:r><w:t>more</w:t></w:r></w:ins>'
    long_body = "<w:r><w:t>Lessons learnt</w:t></w:r>" + change * 20_000
    data = planted.docx(words, body=long_body)
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    attachment = services.add_attachment(entry=entry, by=writer, name="long.docx", data=data)

    stored = attachments.path_of(attachment).read_bytes()
    assert planted.found(stored, words) == []
    document = zipfile.ZipFile(io.BytesIO(stored)).read("word/document.xml")
    assert document.count(b'w:author="Author"') == 20_000 + 2  # and the planted ins and del
    assert attachment.size < len(document) / 10  # stored compressed


def test_a_workbook_still_opens_with_its_values_and_comments(measures, trust, writer, words):
    from openpyxl import Workbook, load_workbook
    from openpyxl.comments import Comment

    book = Workbook()
    book.active["A1"] = "Lessons learnt"
    book.active["B2"] = 42
    book.active["A1"].comment = Comment("Please check", writer.full_name)
    book.properties.creator = writer.full_name
    out = io.BytesIO()
    book.save(out)
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    attachment = services.add_attachment(
        entry=entry, by=writer, name="book.xlsx", data=out.getvalue()
    )

    stored = attachments.path_of(attachment).read_bytes()
    assert planted.found(out.getvalue(), words) == [writer.full_name]
    assert planted.found(stored, words) == []
    cleaned = load_workbook(io.BytesIO(stored)).active
    assert (cleaned["A1"].value, cleaned["B2"].value) == ("Lessons learnt", 42)
    assert cleaned["A1"].comment.text.strip() == "Please check"
