"""Attachments: the type is read from the content, not the name; the file's
embedded metadata (PDF document information and XMP, Office document
properties and comment authors, image EXIF and text chunks) is removed; and it
is stored outside the web root under a random name. Its own name is not kept."""

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

MAX_SIZE = 20 * 1024 * 1024
MAX_SIZE_WORDS = "20 MB"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    words: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document (DOCX)",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel spreadsheet (XLSX)",
)
PNG = FileType("png", "image/png", "PNG image")
JPEG = FileType("jpg", "image/jpeg", "JPEG image")
TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
EXTENSIONS = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "png": PNG, "jpg": JPEG, "jpeg": JPEG}
ALLOWED_WORDS = "a PDF, Word document (DOCX), Excel spreadsheet (XLSX), PNG or JPEG"


def _detect(data):
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def check(name, data):
    """The file's type, or ``ValidationError`` saying what is wrong with it."""
    if not data:
        raise ValidationError("The selected file is empty. Choose a file with something in it.")
    if len(data) > MAX_SIZE:
        raise ValidationError(f"The selected file must be smaller than {MAX_SIZE_WORDS}.")
    file_type = _detect(data)
    if file_type is None:
        raise ValidationError(f"The selected file must be {ALLOWED_WORDS}.")
    extension = Path(name or "").suffix.lower().lstrip(".")
    if EXTENSIONS.get(extension) != file_type:
        raise ValidationError(
            f"The selected file is a {file_type.words}, but its name ends “.{extension}”. "
            f"Rename it to end “.{file_type.extension}” if it really is a {file_type.words}."
        )
    return file_type


# --- Removing metadata ------------------------------------------------------


def _strip_pdf(data):
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, KeyError) as error:
        raise ValidationError("The selected PDF could not be read. Check it opens.") from error
    writer.metadata = None
    writer._root_object.pop(NameObject("/Metadata"), None)
    for page in writer.pages:
        page.pop(NameObject("/Metadata"), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_image(data, file_type):
    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("The selected image could not be read. Check it opens.") from error
    if file_type == JPEG and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format="PNG" if file_type == PNG else "JPEG", quality=90)
    return out.getvalue()


_EMPTY_PARTS = {
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"/>'
    ),
    "docProps/custom.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties"/>'
    ),
}
# Who wrote comments and tracked changes, inside the document's own parts.
_PERSON_ATTRIBUTES = re.compile(
    rb'\b(w:author|w:initials|w15:author|w15:userId|w15:providerId|author|userId)="[^"]*"'
)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _strip_office(data):
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename in _EMPTY_PARTS:
                    content = _EMPTY_PARTS[item.filename].encode()
                elif item.filename.endswith((".xml", ".rels")):
                    content = _PERSON_ATTRIBUTES.sub(rb'\1=""', content)
                target.writestr(zipfile.ZipInfo(item.filename, _FIXED_TIME), content)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError("The selected document could not be read. Check it opens.") from error
    return out.getvalue()


def strip_metadata(data, file_type):
    if file_type == PDF:
        return _strip_pdf(data)
    if file_type in (PNG, JPEG):
        return _strip_image(data, file_type)
    return _strip_office(data)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    file_type: FileType
    size: int
    sha256: str


def folder():
    return Path(settings.MEDIA_ROOT) / "learning"


def store(name, data):
    """Check, strip and save an uploaded file; ``ValidationError`` if it is refused."""
    file_type = check(name, data)
    clean = strip_metadata(data, file_type)
    stored_name = f"{secrets.token_hex(16)}.{file_type.extension}"
    folder().mkdir(parents=True, exist_ok=True)
    (folder() / stored_name).write_bytes(clean)
    return StoredFile(stored_name, file_type, len(clean), hashlib.sha256(clean).hexdigest())


def path_of(attachment):
    return folder() / attachment.stored_name


_TAGS = re.compile(r"<[^>]+>")
_TEXT_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)|xl/sharedStrings|xl/worksheets/sheet\d+)\.xml$"
)
MAX_TEXT_PAGES = 200


def text_of(attachment):
    """The words in a stored file, so the check before anonymous publication
    can look in them too; images have none."""
    path = path_of(attachment)
    if not path.exists():
        return ""
    try:
        if attachment.file_type == PDF.extension:
            reader = PdfReader(path)
            return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_TEXT_PAGES])
        if attachment.file_type in (DOCX.extension, XLSX.extension):
            with zipfile.ZipFile(path) as document:
                parts = [name for name in document.namelist() if _TEXT_PARTS.match(name)]
                return "\n".join(
                    _TAGS.sub(" ", document.read(name).decode("utf-8", "replace")) for name in parts
                )
    except (PdfReadError, zipfile.BadZipFile, ValueError, KeyError):
        return ""
    return ""
