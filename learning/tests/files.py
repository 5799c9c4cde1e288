"""Small files carrying words in their hidden metadata, for tests."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter


def pdf_with(author, title):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": title, "/Creator": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with(creator, company):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        docx.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Lessons</w:t></w:r></w:p></w:body></w:document>",
        )
        docx.writestr(
            "word/comments.xml",
            f'<w:comments xmlns:w="x"><w:comment w:id="1" w:author="{creator}" w:initials="BQ"/></w:comments>',
        )
        docx.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{creator}</cp:lastModifiedBy>"
            f"<dc:title>{company}</dc:title></cp:coreProperties>",
        )
        docx.writestr(
            "docProps/app.xml",
            f'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>{company}</Company></Properties>',
        )
    return out.getvalue()


def jpeg_with(artist, description):
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x010E] = description  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_with(author):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", author)
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG", pnginfo=info)
    return out.getvalue()
