"""Attachments: the type is read from the content, not the name; the file is
rebuilt keeping only what shows its content (PDF pages, the parts of a Word
document or Excel workbook that hold its text, an image's pixels), so that
nothing hidden in it names its author; and it is stored outside the web root
under a random name. Its own name is not kept. A file built to overwhelm the
server is refused before it is opened."""

import hashlib
import io
import logging
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from core.files import UnsafeZip, open_safe_zip
from learning import office

MAX_SIZE = 20 * 1024 * 1024
MAX_SIZE_WORDS = "20 MB"

log = logging.getLogger(__name__)


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


MAX_PAGES = 2000
MAX_PDF_CONTENT = 100 * 1024 * 1024
MAX_PIXELS = 50_000_000


def _office_file(data):
    try:
        return open_safe_zip(io.BytesIO(data))
    except UnsafeZip as error:
        raise ValidationError(f"The selected file cannot be accepted: {error}.") from error


def _detect(data):
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        names = set(_office_file(data).names)
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


# --- Keeping only the content -------------------------------------------------

_PDF_UNREADABLE = "The selected PDF could not be read. Check it opens."
# What a page needs to be shown; its annotations, actions, thumbnails and
# private application data are left behind.
_PAGE_KEYS = {
    "/Type",
    "/Resources",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/Contents",
    "/UserUnit",
    "/Group",
}
# Any object a page uses may carry its own XMP metadata or application data.
_HIDDEN_KEYS = ("/Metadata", "/PieceInfo")


def _pdf_reader(data):
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValidationError(
            "The selected PDF is password-protected. Remove the password and try again."
        )
    if len(reader.pages) > MAX_PAGES:
        raise ValidationError(f"The selected PDF has more than {MAX_PAGES:,} pages.")
    return reader


def _check_pdf_content(page, so_far):
    contents = page.get_contents()
    so_far += len(contents.get_data()) if contents is not None else 0
    if so_far > MAX_PDF_CONTENT:
        raise ValidationError(
            "The selected PDF cannot be accepted: its pages would expand to more than "
            f"{MAX_PDF_CONTENT // 1024 // 1024} MB when opened."
        )
    return so_far


def _web_links(page):
    """A page's links to web pages, rebuilt from their address and place alone."""
    for annotation in page.get("/Annots") or ():
        annotation = annotation.get_object()
        action = annotation.get("/A")
        action = action.get_object() if action is not None else {}
        rect = annotation.get("/Rect")
        if (
            annotation.get("/Subtype") == "/Link"
            and action.get("/S") == "/URI"
            and isinstance(action.get("/URI"), str)
            and rect is not None
            and len(rect) == 4
        ):
            yield Link(rect=tuple(float(value) for value in rect), url=str(action["/URI"]))


def _strip_hidden(resources):
    waiting, seen = [resources], set()
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            for key in _HIDDEN_KEYS:
                item.pop(NameObject(key), None)
            waiting.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


def _strip_pdf(data):
    """A new PDF holding the pages alone: no document information or XMP, no
    annotations but links to web pages, no attached files, forms, outlines,
    JavaScript or actions."""
    try:
        reader = _pdf_reader(data)
        writer = PdfWriter()
        content = 0
        for number, page in enumerate(reader.pages):
            content = _check_pdf_content(page, content)
            links = list(_web_links(page))
            for key in set(page.keys()) - _PAGE_KEYS:
                del page[key]
            _strip_hidden(page.get("/Resources"))
            writer.add_page(page)
            for link in links:
                writer.add_annotation(number, link)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValidationError(_PDF_UNREADABLE) from error
    return out.getvalue()


def _open_image(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            image = None
    if image is None or image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            "The selected file cannot be accepted: it holds an image of more than "
            f"{MAX_PIXELS // 1_000_000} megapixels. Choose a smaller image."
        )
    return image


def _strip_image(data, image_format):
    """The image's pixels alone, in ``image_format`` ("PNG" or "JPEG"), turned
    the way its EXIF said; its text, EXIF, XMP and colour profile left behind."""
    try:
        image = ImageOps.exif_transpose(_open_image(data))
        image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
        if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        if image_format == "PNG" and image.mode not in (
            "1",
            "L",
            "LA",
            "I",
            "I;16",
            "P",
            "RGB",
            "RGBA",
        ):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format=image_format, quality=90)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError("The selected image could not be read. Check it opens.") from error
    return out.getvalue()


def _strip_picture_in_document(data, name):
    return _strip_image(data, "PNG" if name.lower().endswith(".png") else "JPEG")


def _strip_office(data):
    try:
        return office.clean(_office_file(data), _strip_picture_in_document)
    except UnsafeZip as error:
        raise ValidationError(f"The selected file cannot be accepted: {error}.") from error
    except (office.NotAnOfficeFile, zipfile.BadZipFile, ValueError) as error:
        raise ValidationError("The selected document could not be read. Check it opens.") from error


def strip_metadata(data, file_type):
    if file_type == PDF:
        return _strip_pdf(data)
    if file_type in (PNG, JPEG):
        return _strip_image(data, "PNG" if file_type == PNG else "JPEG")
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


def _pdf_text(path):
    reader = PdfReader(path)
    words = [str(value) for value in (reader.metadata or {}).values()]
    for page in reader.pages[:MAX_PAGES]:
        words.append(page.extract_text() or "")
        for annotation in page.get("/Annots") or ():
            action = annotation.get_object().get("/A")
            if action is not None:
                words.append(str(action.get_object().get("/URI", "")))
    return "\n".join(words)


def text_of(attachment):
    """The words in a stored file, as it will be downloaded: its text and
    whatever hidden detail was kept (link addresses, picture descriptions),
    so that the check before anonymous publication can look in them too.
    Images have none. None when the file cannot be read, so cannot be checked."""
    path = path_of(attachment)
    if not path.exists():
        return None
    try:
        if attachment.file_type == PDF.extension:
            return _pdf_text(path)
        if attachment.file_type in (DOCX.extension, XLSX.extension):
            with path.open("rb") as opened:
                return "\n".join(office.text(open_safe_zip(opened)))
    except Exception:  # noqa: BLE001 - whatever a damaged file raises, it is unchecked
        log.warning("Could not read attachment %s to check it", attachment.pk, exc_info=True)
        return None
    return ""
