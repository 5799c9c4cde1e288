import io
import os
import time
import tracemalloc
import zipfile

import pytest

from core.files import MAX_PARTS, UnsafeZip, open_safe_zip
from core.tests.bombs import docx_bomb, zip_with_parts


def refusal(data, read_every_part=False):
    """The reason ``data`` is refused, how long that took and the most memory
    Python held meanwhile."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        archive = open_safe_zip(io.BytesIO(data))
        if read_every_part:
            archive.check_every_part()
    except UnsafeZip as error:
        reason = str(error)
    else:
        reason = None
    took = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return reason, took, peak


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated():
    bomb = docx_bomb(512)
    assert len(bomb) < 600_000

    reason, took, peak = refusal(bomb)

    assert reason == "it would expand to more than 100 MB when opened"
    assert took < 5  # generous: it takes about a millisecond
    assert peak < 8 * 1024 * 1024


def test_a_bomb_whose_directory_lies_is_stopped_as_soon_as_it_gives_more():
    liar = docx_bomb(512, declared=1000)

    reason, took, peak = refusal(liar, read_every_part=True)

    assert reason == (
        "its parts are larger than its directory says, as in a file built to overwhelm a server"
    )
    assert took < 5
    assert peak < 16 * 1024 * 1024


def test_a_part_compressed_more_than_100_to_1_is_refused():
    reason, _, _ = refusal(docx_bomb(50))

    assert reason == (
        "it has a compression ratio above 100:1, as a file built to overwhelm a server has"
    )


def test_more_than_1000_parts_are_refused_before_the_directory_is_read():
    assert refusal(zip_with_parts(MAX_PARTS))[0] == "it has more than 1,000 parts"
    assert refusal(zip_with_parts(MAX_PARTS - 10))[0] is None


def test_an_ordinary_document_reads_back_exactly():
    text = os.urandom(300_000) + b"<w:t>Lessons</w:t>" * 100_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", text)
        archive.writestr(zipfile.ZipInfo("word/stored.xml"), b"<x/>")

    archive = open_safe_zip(out)

    assert archive.names == ["word/document.xml", "word/stored.xml"]
    assert archive.read(archive.parts[0]) == text
    assert archive.read(archive.parts[1]) == b"<x/>"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:40] + bytes(200) + data[240:],
        lambda data: b"PK\x03\x04 not a zip at all",
    ],
)
def test_a_damaged_file_is_refused_in_words(damage):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", os.urandom(1000).hex())

    reason, _, _ = refusal(damage(out.getvalue()), read_every_part=True)

    assert reason == "it is damaged, and could not be read as a Word document or Excel workbook"
