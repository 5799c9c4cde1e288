"""A Word document or Excel workbook rebuilt for publication: a new zip
holding only the parts a document needs to show its content (an allow-list),
with the people named inside those parts replaced and empty document
properties. Everything else is left behind: custom XML, people lists, threaded
comments, embedded files and fonts, macros, external links, attached
templates, printer settings, pivot caches, the path the file was saved at."""

import html
import io
import posixpath
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

_KEPT_PARTS = re.compile(
    r"""^(?:
      \[Content_Types\]\.xml | _rels/\.rels | docProps/(?:core|app)\.xml
    | word/(?:document|styles|stylesWithEffects|numbering|fontTable|settings|footnotes|endnotes|comments)\.xml
    | word/(?:header|footer)\d+\.xml
    | word/_rels/(?:document|footnotes|endnotes|comments|header\d+|footer\d+)\.xml\.rels
    | xl/(?:workbook|sharedStrings|styles|metadata)\.xml
    | xl/(?:worksheets|chartsheets)/sheet\d+\.xml
    | xl/comments\d+\.xml | xl/comments/comment\d+\.xml
    | xl/drawings/(?:drawing\d+\.xml|vmlDrawing\d+\.vml)
    | xl/tables/table\d+\.xml
    | xl/_rels/workbook\.xml\.rels
    | xl/(?:worksheets|chartsheets|drawings)/_rels/[^/]+\.rels
    | (?:word|xl)/theme/theme\d+\.xml
    | (?:word|xl)/charts/(?:chart|style|colors)\d+\.xml
    | (?:word|xl)/charts/_rels/chart\d+\.xml\.rels
    | (?:word|xl)/media/[^/]+\.(?:png|jpe?g)
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_IMAGES = re.compile(r"\.(png|jpe?g)$", re.IGNORECASE)

_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EMPTY_PROPERTIES = {
    "docprops/core.xml": _XML_DECLARATION
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>',
    "docprops/app.xml": _XML_DECLARATION
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"/>',
}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_PREFIX = rb"(?:[\w.-]+:)?"
# Who wrote a comment or a tracked change, who last refreshed a table, who may edit a range.
_PEOPLE = re.compile(
    rb"(\s"
    + _PREFIX
    + rb"(?:author|initials|userId|providerId|refreshedBy|lastModifiedBy|ed)\s*=\s*)"
    + rb"(?:\"[^\"]*\"|'[^']*')"
)
_AUTHOR_ELEMENT = re.compile(rb"(<" + _PREFIX + rb"author>)[^<]*")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
# Of Word's settings, only what changes how the document looks.
_WORD_SETTINGS_KEPT = (
    "evenAndOddHeaders",
    "mirrorMargins",
    "gutterAtTop",
    "defaultTabStop",
    "autoHyphenation",
    "hyphenationZone",
    "characterSpacingControl",
    "footnotePr",
    "endnotePr",
    "compat",
    "themeFontLang",
    "clrSchemeMapping",
    "decimalSymbol",
    "listSeparator",
)
# Elements that point at parts left behind, or hold where the file was saved.
_DROPPED_ELEMENTS = {
    "xl/workbook.xml": (
        "AlternateContent",
        "fileSharing",
        "externalReferences",
        "pivotCaches",
        "extLst",
    ),
    "word/fonttable.xml": ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"),
    "chart": ("externalData", "userShapes"),
}


class NotAnOfficeFile(Exception):
    """The file's XML cannot be read."""


def _element(names):
    alternatives = b"|".join(re.escape(name.encode()) for name in names)
    return re.compile(
        rb"<(?P<tag>" + _PREFIX + rb"(?:" + alternatives + rb"))(?=[\s/>])"
        rb"[^>]*?(?:/>|>.*?</(?P=tag)\s*>)",
        re.DOTALL,
    )


_SETTINGS_KEPT = _element(_WORD_SETTINGS_KEPT)
_DROPPED = {part: _element(names) for part, names in _DROPPED_ELEMENTS.items()}
_SETTINGS_ROOT = re.compile(rb"<(" + _PREFIX + rb"settings)\b[^>]*>")


def segments(chunks, limit=4 * 1024 * 1024):
    """The chunks of an XML part re-cut to end just before a ``<``, so that
    no tag is split between two pieces (an attribute value cannot hold ``<``)."""
    waiting = b""
    for chunk in chunks:
        waiting += chunk
        cut = waiting.rfind(b"<")
        if cut <= 0 and len(waiting) < limit:
            continue
        cut = cut if cut > 0 else len(waiting)
        yield waiting[:cut]
        waiting = waiting[cut:]
    if waiting:
        yield waiting


def _checked(piece):
    # Office writes its XML in UTF-8 without a DTD; anything else could hide
    # names from the patterns here, so it is not accepted.
    if b"\x00" in piece or _DOCTYPE.search(piece):
        raise NotAnOfficeFile("XML that is not plain UTF-8")
    return piece


def _without_people(piece):
    return _AUTHOR_ELEMENT.sub(rb"\1Author", _PEOPLE.sub(rb'\1"Author"', _checked(piece)))


def _word_settings(xml):
    root = _SETTINGS_ROOT.search(xml)
    if root is None:
        raise NotAnOfficeFile("word/settings.xml")
    kept = b"".join(match.group(0) for match in _SETTINGS_KEPT.finditer(xml))
    return _XML_DECLARATION.encode() + root.group(0) + kept + b"</" + root.group(1) + b">"


def _parse(xml):
    try:
        return ElementTree.fromstring(_checked(xml))  # noqa: S314 (no DTD: _checked refuses one)
    except ElementTree.ParseError as error:
        raise NotAnOfficeFile(str(error)) from error


def _source_folder(rels_name):
    folder, _, name = rels_name.rpartition("_rels/")
    return posixpath.dirname(folder + name[: -len(".rels")]) if folder else ""


def _relationships(xml, rels_name, kept):
    """Only the relationships to parts that are kept, and links to web pages."""
    folder = _source_folder(rels_name)
    lines = []
    for item in _parse(xml).iter(f"{{{_RELATIONSHIPS}}}Relationship"):
        target = item.get("Target", "")
        if item.get("TargetMode") == "External":
            if not item.get("Type", "").endswith("/hyperlink"):
                continue
        else:
            path = unquote(target)
            path = path[1:] if path.startswith("/") else posixpath.join(folder, path)
            if posixpath.normpath(path).lower() not in kept:
                continue
        attributes = " ".join(
            f"{name}={quoteattr(item.get(name))}"
            for name in ("Id", "Type", "Target", "TargetMode")
            if item.get(name) is not None
        )
        lines.append(f"<Relationship {attributes}/>")
    return (
        f'{_XML_DECLARATION}<Relationships xmlns="{_RELATIONSHIPS}">{"".join(lines)}'
        "</Relationships>"
    ).encode()


def _content_types(xml, kept):
    lines = []
    for item in _parse(xml):
        if item.tag == f"{{{_CONTENT_TYPES}}}Default":
            lines.append(
                f"<Default Extension={quoteattr(item.get('Extension', ''))} "
                f"ContentType={quoteattr(item.get('ContentType', ''))}/>"
            )
        elif item.tag == f"{{{_CONTENT_TYPES}}}Override":
            part = unquote(item.get("PartName", "")).lstrip("/").lower()
            if part in kept:
                lines.append(
                    f"<Override PartName={quoteattr(item.get('PartName'))} "
                    f"ContentType={quoteattr(item.get('ContentType', ''))}/>"
                )
    return f'{_XML_DECLARATION}<Types xmlns="{_CONTENT_TYPES}">{"".join(lines)}</Types>'.encode()


def _whole(source, part, kept):
    """The new content of a small part that is rewritten as a whole."""
    name = part.filename.lower()
    if name in _EMPTY_PROPERTIES:
        return _EMPTY_PROPERTIES[name].encode()
    xml = source.read(part)
    if name == "[content_types].xml":
        return _content_types(xml, kept)
    if name.endswith(".rels"):
        return _relationships(xml, part.filename, kept)
    if name == "word/settings.xml":
        return _word_settings(_checked(xml))
    dropped = _DROPPED.get(name) or _DROPPED["chart"]
    return _without_people(dropped.sub(b"", xml))


def _is_whole(name):
    name = name.lower()
    return (
        name in _EMPTY_PROPERTIES
        or name in _DROPPED
        or name in ("[content_types].xml", "word/settings.xml")
        or name.endswith(".rels")
        or "/charts/chart" in name
    )


def clean(source, clean_image):
    """Write a cleaned copy of ``source`` (a ``core.files.SafeZip``) to a new
    zip, compressed, and return its bytes; ``clean_image(data, name)`` gives
    an image back without its metadata."""
    kept_parts = [part for part in source.parts if _KEPT_PARTS.match(part.filename)]
    kept = {part.filename.lower() for part in kept_parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for part in kept_parts:
            info = zipfile.ZipInfo(part.filename, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            if _IMAGES.search(part.filename):
                target.writestr(info, clean_image(source.read(part), part.filename))
            elif _is_whole(part.filename):
                target.writestr(info, _whole(source, part, kept))
            else:
                with target.open(info, "w") as stream:
                    for piece in segments(source.chunks(part)):
                        stream.write(_without_people(piece))
    return out.getvalue()


_TAG = re.compile(rb"</?(?:[\w.-]+:)?([\w.-]*)[^>]*>")
_ATTRIBUTE_VALUE = re.compile(rb"=\s*(?:\"([^\"]*)\"|'([^']*)')")
# Tags that end a paragraph, cell or string: words either side are apart.
_BREAKS = {b"p", b"tc", b"tr", b"si", b"c", b"row", b"br", b"tab", b"cr", b"pt", b"v", b"comment"}


def text(source):
    """The words of a cleaned document's XML parts, one piece at a time: the
    text (a word split across runs kept whole), then the values of attributes
    (link targets, picture descriptions)."""
    for part in source.parts:
        if _IMAGES.search(part.filename):
            continue
        for piece in segments(source.chunks(part)):
            values = b"\n".join(a or b for a, b in _ATTRIBUTE_VALUE.findall(piece))
            words = _TAG.sub(lambda tag: b"\n" if tag.group(1) in _BREAKS else b"", piece)
            yield html.unescape((words + b"\n" + values).decode("utf-8", "replace"))
