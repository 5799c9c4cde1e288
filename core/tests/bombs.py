"""Zip files built to overwhelm a server, made quickly: the compressed form of
one mebibyte of zeros is repeated, so a 512 MiB part costs half a megabyte and
no inflating to build."""

import struct
import zlib

MiB = 1024 * 1024
_ZEROS = bytes(MiB)


def _deflated_zeros(mebibytes):
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    # A full flush starts afresh, so each mebibyte compresses to the same bytes.
    one = deflater.compress(_ZEROS) + deflater.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(_ZEROS, crc)
    return one * mebibytes + deflater.flush(), crc


def zip_of(parts):
    """A zip of ``(name, compressed, crc, size, declared_size)`` parts, each
    deflated, its directory declaring ``declared_size``."""
    body, directory = b"", b""
    for name, compressed, crc, _size, declared in parts:
        name = name.encode()
        sizes = struct.pack("<III", crc, len(compressed), declared)
        header = struct.pack("<4sHHHHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21) + sizes
        local = header + struct.pack("<HH", len(name), 0) + name
        directory += (
            struct.pack("<4sHHHHHH", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21)
            + sizes
            + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, len(body))
            + name
        )
        body += local + compressed
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    return body + directory + end


def _small(name, content):
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    compressed = deflater.compress(content) + deflater.flush()
    return (name, compressed, zlib.crc32(content), len(content), len(content))


def docx_bomb(mebibytes=512, declared=None):
    """A Word document whose text part inflates to ``mebibytes`` of zeros; its
    directory says so, or says ``declared`` bytes if given (a lying header)."""
    compressed, crc = _deflated_zeros(mebibytes)
    size = mebibytes * MiB
    return zip_of(
        [
            _small("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", compressed, crc, size, size if declared is None else declared),
        ]
    )


def zip_with_parts(count):
    return zip_of(
        [_small("[Content_Types].xml", b"<Types/>"), _small("word/document.xml", b"<w:document/>")]
        + [_small(f"word/part{number}.xml", b"<x/>") for number in range(count)]
    )
