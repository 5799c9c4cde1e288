"""Files of every accepted type with words planted in every hidden place we
know of, and a search that looks for them in raw bytes and in every part
that can be decompressed."""

import io
import re
import struct
import zipfile
import zlib

from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _xmp(words):
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<dc:creator><rdf:Seq><rdf:li>{words[0]}</rdf:li></rdf:Seq></dc:creator>"
        f"<pdf:Producer>{words[1]}</pdf:Producer><pdf:Keywords>{words[2]}</pdf:Keywords>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _compressed_stream(writer, data, **entries):
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject(key)] = value
    return writer._add_object(stream.flate_encode())


def pdf(words, text="Lessons learnt"):
    """A one-page PDF saying ``text``, with ``words`` in its document
    information, XMP (document and page), an annotation's author, an attached
    file, an outline, JavaScript, an open action and private page data."""
    author, organisation, ods_code = words
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    page[NameObject("/Contents")] = _compressed_stream(
        writer, f"BT /F1 12 Tf 20 150 Td ({text}) Tj ET".encode()
    )
    writer.add_metadata(
        {
            "/Author": author,
            "/Title": organisation,
            "/Subject": ods_code,
            "/Creator": organisation,
            "/Keywords": f"{organisation} {ods_code}",
        }
    )
    xmp = {"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")}
    writer._root_object[NameObject("/Metadata")] = _compressed_stream(writer, _xmp(words), **xmp)
    page[NameObject("/Metadata")] = _compressed_stream(
        writer, _xmp((organisation, ods_code, author)), **xmp
    )
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {
            NameObject("/Illustrator"): DictionaryObject(
                {NameObject("/Private"): TextStringObject(f"{author} {organisation}")}
            )
        }
    )
    note = Text(rect=(10, 10, 60, 60), text=f"Checked by {ods_code}")
    note[NameObject("/T")] = TextStringObject(author)
    writer.add_annotation(0, note)
    writer.add_annotation(0, Link(rect=(10, 200, 100, 220), url="https://example.org/guide"))
    writer.add_attachment(f"{organisation}.txt", f"{author} {ods_code}".encode())
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{organisation}');"),
        }
    )
    writer._root_object["/Names"][NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(script)])}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(f"app.alert('{author}')"),
            }
        )
    )
    writer.add_outline_item(title=f"{organisation} {ods_code}", page_number=0)
    page[NameObject("/Rotate")] = NumberObject(0)
    page[NameObject("/Group")] = DictionaryObject({NameObject("/S"): NameObject("/Transparency")})
    page[NameObject("/B")] = ArrayObject()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png(words):
    author, organisation, ods_code = words
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", author)
    info.add_text("Organisation", organisation, zip=True)
    info.add_itxt("Source", ods_code, lang="en", tkey=organisation, zip=True)
    info.add_itxt("Comment", author, zip=False)
    exif = Image.Exif()
    exif[0x013B] = author
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def jpeg(words):
    author, organisation, ods_code = words
    exif = Image.Exif()
    exif[0x013B] = author  # Artist
    exif[0x010E] = organisation  # ImageDescription
    exif[0x8298] = ods_code  # Copyright
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(
        out,
        format="JPEG",
        exif=exif,
        comment=f"{organisation} {ods_code}".encode(),
        xmp=_xmp(words),
    )
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _rels(*relationships):
    lines = "".join(
        f'<Relationship Id="rId{number}" Type="{_RELS}/{kind}" Target="{target}"{mode}/>'
        for number, (kind, target, mode) in enumerate(relationships, start=1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">{lines}</Relationships>'


def _types(*overrides):
    lines = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
        f"{lines}</Types>"
    )


def _properties(words):
    author, organisation, ods_code = words
    return {
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f"<dc:title>{organisation}</dc:title><cp:keywords>{ods_code}</cp:keywords></cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Company>{organisation}</Company><Manager>{author}</Manager></Properties>"
        ),
        "docProps/custom.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
            f'<property name="ODS"><vt:lpwstr xmlns:vt="x">{ods_code}</vt:lpwstr></property></Properties>'
        ),
        "customXml/item1.xml": f"<Data><Org>{organisation}</Org><Code>{ods_code}</Code></Data>",
        "customXml/itemProps1.xml": f'<ds:datastoreItem xmlns:ds="x" ds:itemID="{author}"/>',
        "customXml/_rels/item1.xml.rels": _rels(("customXmlProps", "itemProps1.xml", "")),
    }


def _zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx(words, body="<w:r><w:t>Lessons learnt</w:t></w:r>"):
    """A Word document saying ``body``, with ``words`` in every hidden place:
    properties, custom XML, comment and tracked-change authors, people, the
    attached template's path, document variables, editing permissions,
    embedded fonts, objects, macros and building blocks, and its pictures'
    metadata. ``body`` is the first paragraph's runs."""
    author, organisation, ods_code = words
    template = f"file:///\\\\fs01\\{organisation}\\Templates\\{ods_code}.dotm"
    return _zip(
        {
            "[Content_Types].xml": _types(
                (
                    "word/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                ),
                (
                    "word/settings.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
                ),
                (
                    "word/comments.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
                ),
                (
                    "word/people.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
                ),
                ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                (
                    "docProps/custom.xml",
                    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                ),
            ),
            "_rels/.rels": _rels(
                ("officeDocument", "word/document.xml", ""),
                ("metadata/core-properties", "docProps/core.xml", ""),
                ("extended-properties", "docProps/app.xml", ""),
                ("custom-properties", "docProps/custom.xml", ""),
            ),
            **_properties(words),
            "word/document.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W} {_R}><w:body>'
                f"<w:p>{body}</w:p>"
                f'<w:p><w:ins w:id="1" w:author="{author}" w:date="2026-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>'
                f"<w:del w:id='2' w:author='{author}' w:initials = '{ods_code}'><w:r><w:delText>gone</w:delText></w:r></w:del>"
                f'<w:permStart w:id="3" w:ed="{author}"/><w:permEnd w:id="3"/>'
                '<w:commentRangeStart w:id="0"/><w:r><w:t>noted</w:t></w:r><w:commentRangeEnd w:id="0"/>'
                '<w:r><w:commentReference w:id="0"/></w:r>'
                '<w:r><w:drawing><a:blip xmlns:a="x" r:embed="rId4"/><a:blip xmlns:a="x" r:embed="rId5"/></w:drawing></w:r>'
                "</w:p></w:body></w:document>"
            ),
            "word/_rels/document.xml.rels": _rels(
                ("settings", "settings.xml", ""),
                ("comments", "comments.xml", ""),
                ("http://schemas.microsoft.com/office/2011/relationships/people", "people.xml", ""),
                ("image", "media/image1.png", ""),
                ("image", "media/image2.jpeg", ""),
                ("hyperlink", "https://example.org/guide", ' TargetMode="External"'),
                ("customXml", "../customXml/item1.xml", ""),
                ("glossaryDocument", "glossary/document.xml", ""),
                ("oleObject", "embeddings/oleObject1.bin", ""),
                ("fontTable", "fontTable.xml", ""),
                (
                    "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                    "vbaProject.bin",
                    "",
                ),
            ),
            "word/comments.xml": (
                f'<w:comments {_W}><w:comment w:id="0" w:author="{author}" w:initials="{ods_code}">'
                "<w:p><w:r><w:t>Please check</w:t></w:r></w:p></w:comment></w:comments>"
            ),
            "word/commentsExtended.xml": f'<w15:commentsEx xmlns:w15="x"><w15:commentEx w15:paraId="{ods_code}"/></w15:commentsEx>',
            "word/people.xml": (
                f'<w15:people xmlns:w15="x"><w15:person w15:author="{author}">'
                f'<w15:presenceInfo w15:providerId="AD" w15:userId="{author}@{organisation}"/></w15:person></w15:people>'
            ),
            "word/settings.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><w:settings {_W} {_R}>'
                f'<w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="720"/>'
                f'<w:docVars><w:docVar w:name="Owner" w:val="{organisation} {ods_code}"/></w:docVars>'
                f'<w:rsids><w:rsidRoot w:val="00A1"/></w:rsids>'
                '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
                "</w:settings>"
            ),
            "word/_rels/settings.xml.rels": _rels(
                ("attachedTemplate", template, ' TargetMode="External"')
            ),
            "word/fontTable.xml": (
                f'<w:fonts {_W} {_R}><w:font w:name="Arial"><w:embedRegular r:id="rId1" w:fontKey="{{00}}"/></w:font></w:fonts>'
            ),
            "word/_rels/fontTable.xml.rels": _rels(("font", "fonts/font1.odttf", "")),
            "word/fonts/font1.odttf": f"font made at {organisation}".encode(),
            "word/glossary/document.xml": f"<w:glossaryDocument {_W}><w:t>{organisation}</w:t></w:glossaryDocument>",
            "word/embeddings/oleObject1.bin": f"{author} {ods_code}".encode(),
            "word/vbaProject.bin": f"{organisation}".encode(),
            "word/media/image1.png": png(words),
            "word/media/image2.jpeg": jpeg(words),
        }
    )


def xlsx(words, cell="Lessons learnt"):
    """An Excel workbook holding ``cell``, with ``words`` in every hidden place:
    properties, custom XML, the path it was saved at, who shares it, comment
    and threaded-comment authors, people, external links, connections, pivot
    caches and printer settings."""
    author, organisation, ods_code = words
    return _zip(
        {
            "[Content_Types].xml": _types(
                (
                    "xl/workbook.xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                ),
                (
                    "xl/worksheets/sheet1.xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                ),
                (
                    "xl/comments1.xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
                ),
                ("xl/persons/person.xml", "application/vnd.ms-excel.person+xml"),
                (
                    "xl/externalLinks/externalLink1.xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
                ),
            ),
            "_rels/.rels": _rels(
                ("officeDocument", "xl/workbook.xml", ""),
                ("metadata/core-properties", "docProps/core.xml", ""),
                ("extended-properties", "docProps/app.xml", ""),
                ("custom-properties", "docProps/custom.xml", ""),
            ),
            **_properties(words),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'{_R} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                f'<fileVersion appName="xl"/><fileSharing userName="{author}" readOnlyRecommended="1"/>'
                '<mc:AlternateContent><mc:Choice Requires="x15">'
                f'<x15ac:absPath xmlns:x15ac="x" url="C:\\Users\\{author}\\{organisation}\\{ods_code}\\"/>'
                "</mc:Choice></mc:AlternateContent>"
                '<sheets><sheet name="Lessons" sheetId="1" r:id="rId1"/></sheets>'
                '<externalReferences><externalReference r:id="rId2"/></externalReferences>'
                '<pivotCaches><pivotCache cacheId="1" r:id="rId4"/></pivotCaches>'
                f'<extLst><ext uri="x"><x15:workbookPr xmlns:x15="x" chartTrackingRefBase="1" owner="{organisation}"/></ext></extLst>'
                "</workbook>"
            ),
            "xl/_rels/workbook.xml.rels": _rels(
                ("worksheet", "worksheets/sheet1.xml", ""),
                ("externalLink", "externalLinks/externalLink1.xml", ""),
                ("connections", "connections.xml", ""),
                ("pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml", ""),
                ("sharedStrings", "sharedStrings.xml", ""),
                (
                    "http://schemas.microsoft.com/office/2017/10/relationships/person",
                    "persons/person.xml",
                    "",
                ),
            ),
            "xl/sharedStrings.xml": (
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<si><r><t>{cell}</t></r></si></sst>"
            ),
            "xl/worksheets/sheet1.xml": (
                f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {_R}>'
                '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
                '<hyperlinks><hyperlink ref="A1" r:id="rId4"/></hyperlinks>'
                '<legacyDrawing r:id="rId2"/></worksheet>'
            ),
            "xl/worksheets/_rels/sheet1.xml.rels": _rels(
                ("comments", "../comments1.xml", ""),
                ("vmlDrawing", "../drawings/vmlDrawing1.vml", ""),
                (
                    "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                    "../threadedComments/threadedComment1.xml",
                    "",
                ),
                ("hyperlink", "https://example.org/guide", ' TargetMode="External"'),
                ("printerSettings", "../printerSettings/printerSettings1.bin", ""),
            ),
            "xl/comments1.xml": (
                '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<authors><author>{author}</author><author>tc={{{ods_code}}}</author></authors>"
                '<commentList><comment ref="A1" authorId="0"><text><r><t>Please check</t></r></text></comment></commentList></comments>'
            ),
            "xl/drawings/vmlDrawing1.vml": '<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="_x0000_s1025"/></xml>',
            "xl/threadedComments/threadedComment1.xml": f'<ThreadedComments><threadedComment ref="A1" personId="{author}"><text>Please check</text></threadedComment></ThreadedComments>',
            "xl/persons/person.xml": f'<personList><person displayName="{author}" id="1" userId="{author}@{organisation}" providerId="AD"/></personList>',
            "xl/externalLinks/externalLink1.xml": f'<externalLink><externalBook r:id="rId1" {_R}><sheetNames><sheetName val="{organisation}"/></sheetNames></externalBook></externalLink>',
            "xl/externalLinks/_rels/externalLink1.xml.rels": _rels(
                (
                    "externalLinkPath",
                    f"file:///\\\\fs01\\{organisation}\\{ods_code}%20budget.xlsx",
                    ' TargetMode="External"',
                )
            ),
            "xl/connections.xml": f'<connections><connection id="1" name="{organisation}" odcFile="C:\\Users\\{author}\\{ods_code}.odc"/></connections>',
            "xl/pivotCache/pivotCacheDefinition1.xml": f'<pivotCacheDefinition refreshedBy="{author}"><cacheSource type="worksheet"><worksheetSource ref="A1" sheet="{organisation}"/></cacheSource></pivotCacheDefinition>',
            "xl/printerSettings/printerSettings1.bin": f"\\\\PRINT01\\{organisation} {ods_code}".encode(
                "utf-16-le"
            ),
            "xl/media/image1.png": png(words),
        }
    )


# --- Looking for the words ---------------------------------------------------


def forms(words):
    """Each word as bytes in the encodings a file may hold it in."""
    found = []
    for word in words:
        found += [
            word.encode(),
            word.encode("utf-16-le"),
            word.encode("utf-16-be"),
            word.encode().hex().encode(),
            word.encode().hex().upper().encode(),
            word.encode("utf-16-be").hex().encode(),
            word.encode("utf-16-be").hex().upper().encode(),
        ]
    return found


def _inflate(data):
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        try:
            return zlib.decompressobj(wbits).decompress(data, 50_000_000)
        except zlib.error:
            continue
    return None


def _png_parts(data):
    position, idat = 8, b""
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        yield body
        if kind == b"IDAT":
            idat += body
        elif kind == b"zTXt":
            yield _inflate(body.split(b"\0", 1)[1][1:]) or b""
        elif kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            if rest[0] == 1:
                text = rest[2:].split(b"\0", 2)[2]
                yield _inflate(text) or b""
    if idat:
        yield _inflate(idat) or b""


def _pdf_parts(data):
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        yield _inflate(match.group(1)) or b""
    reader = PdfReader(io.BytesIO(data))
    numbers = {number for table in reader.xref.values() for number in table}
    for number in sorted(numbers | set(reader.xref_objStm)):
        item = reader.get_object(number)
        if hasattr(item, "get_data"):
            yield item.get_data()
        if item is not None:
            yield repr(item).encode("utf-8", "replace")


def parts(data):
    """The file's bytes, then every part inside it that can be decompressed."""
    yield data
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield name.encode()
                yield from parts(archive.read(name))
    elif data.startswith(b"%PDF"):
        yield from _pdf_parts(data)
    elif data.startswith(b"\x89PNG"):
        yield from _png_parts(data)


def found(data, words):
    """Which of ``words`` appear anywhere in ``data`` or inside it."""
    everything = list(parts(data))
    return sorted(
        word for word in words if any(form in part for part in everything for form in forms([word]))
    )
