"""Evidence rules that need no database: what a file really is, judged from
its first bytes rather than its name, and notes rendered from Markdown with
no raw HTML and links to http and https only."""

from pathlib import PurePath
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from core.files import UnsafeZip, open_safe_zip

MAX_FILE_SIZE = 20 * 1024 * 1024

# What each accepted type is called, and the names a file of it may have.
FILE_TYPES = {
    "application/pdf": ("a PDF", {".pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "a Word document (DOCX)",
        {".docx"},
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "an Excel workbook (XLSX)",
        {".xlsx"},
    ),
    "image/png": ("a PNG image", {".png"}),
    "image/jpeg": ("a JPEG image", {".jpg", ".jpeg"}),
}
ACCEPTED = "PDF, DOCX, XLSX, PNG or JPEG"


class EvidenceFileError(ValueError):
    pass


def sniff(head, opened):
    """The content type of a file from its bytes, or None. ``head`` is its
    first bytes; ``opened`` a seekable binary file, for the zip-based types,
    each part of which is read through once, so that a file built to
    overwhelm whoever opens it raises ``UnsafeZip``."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            archive = open_safe_zip(opened)
            archive.check_every_part()
            names = set(archive.names)
        finally:
            opened.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if "xl/workbook.xml" in names:
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_file(*, name, size, opened):
    """The content type of an upload, or ``EvidenceFileError`` saying why not."""
    if size > MAX_FILE_SIZE:
        raise EvidenceFileError(
            f"{name} is {size / 1024 / 1024:.1f} MB: choose a file of 20 MB or less"
        )
    if size == 0:
        raise EvidenceFileError(f"{name} is empty: choose a file with something in it")
    head = opened.read(16)
    opened.seek(0)
    try:
        content_type = sniff(head, opened)
    except UnsafeZip as error:
        raise EvidenceFileError(f"{name} cannot be accepted: {error}") from error
    if content_type is None:
        raise EvidenceFileError(f"{name} is not a {ACCEPTED} file: choose one of those")
    words, suffixes = FILE_TYPES[content_type]
    if PurePath(name).suffix.lower() not in suffixes:
        raise EvidenceFileError(
            f"{name} is really {words}, but its name says otherwise: "
            f"rename it to end {' or '.join(sorted(suffixes))} and upload it again"
        )
    return content_type


def check_link(url):
    """A link must be http or https, with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("Enter a link that starts with https:// or http://")
    return url.strip()


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_note(text):
    """Markdown to HTML that is safe to show: raw HTML is not rendered, nh3
    keeps only harmless tags and http/https links, and headings start at h2
    so that the page keeps one h1."""
    html = _markdown.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    safe = nh3.clean(html, url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow")
    return Markup(safe)  # noqa: S704 (sanitised by nh3 on the line above)
