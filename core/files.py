"""Opening an uploaded zip-based file (a Word document or Excel workbook)
without letting it overwhelm the server. Its directory is checked before any
part is read: how much it would expand to, how many parts it has and how far
each part is compressed. Each part is then read as a stream that stops as soon
as it gives more than the directory declared, so a file that lies about its
sizes is refused too, without being inflated."""

import struct
import zipfile
import zlib
from dataclasses import dataclass

MAX_EXPANDED_SIZE = 100 * 1024 * 1024
MAX_PARTS = 1000
MAX_RATIO = 100
# Smaller parts, such as a long table repeating one style, may compress far
# better than 100:1 and still harm no one.
RATIO_FROM_SIZE = 10 * 1024 * 1024
CHUNK_SIZE = 64 * 1024
# A directory entry takes at least 46 bytes and a name; allowing each name a
# generous kilobyte bounds the directory before Python builds it in memory.
MAX_DIRECTORY_SIZE = MAX_PARTS * (46 + 1024)

_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class UnsafeZip(Exception):
    """Why a file cannot be opened safely, in words for the person uploading
    it, to follow "… cannot be accepted:"."""


DAMAGED = "it is damaged, and could not be read as a Word document or Excel workbook"


@dataclass(frozen=True)
class SafeZip:
    archive: zipfile.ZipFile

    @property
    def parts(self):
        return self.archive.infolist()

    @property
    def names(self):
        return [part.filename for part in self.parts]

    def chunks(self, part):
        """The bytes of one part, a chunk at a time, never more than its
        directory entry declared."""
        stream = self.archive.fp
        stream.seek(part.header_offset)
        header = stream.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size:
            raise UnsafeZip(DAMAGED)
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        if signature != _LOCAL_SIGNATURE:
            raise UnsafeZip(DAMAGED)
        stream.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        given, crc = 0, 0
        for piece in _inflate(stream, part):
            given += len(piece)
            if given > part.file_size:
                raise UnsafeZip(
                    "its parts are larger than its directory says, "
                    "as in a file built to overwhelm a server"
                )
            crc = zlib.crc32(piece, crc)
            yield piece
        if given != part.file_size or crc != part.CRC:
            raise UnsafeZip(DAMAGED)

    def read(self, part):
        return b"".join(self.chunks(part))

    def check_every_part(self):
        """Read every part through to its end, keeping nothing."""
        for part in self.parts:
            for _ in self.chunks(part):
                pass


def _raw(stream, size):
    while size > 0:
        piece = stream.read(min(CHUNK_SIZE, size))
        if not piece:
            raise UnsafeZip(DAMAGED)
        size -= len(piece)
        yield piece


def _inflate(stream, part):
    if part.compress_type == zipfile.ZIP_STORED:
        yield from _raw(stream, part.compress_size)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for piece in _raw(stream, part.compress_size):
            out = inflater.decompress(piece, CHUNK_SIZE)
            while True:
                if out:
                    yield out
                if inflater.eof:
                    break
                tail = inflater.unconsumed_tail
                if not tail and len(out) < CHUNK_SIZE:
                    break  # this input is used up and nothing is pending
                out = inflater.decompress(tail, CHUNK_SIZE)
            if inflater.eof:
                break
    except zlib.error as error:
        raise UnsafeZip(DAMAGED) from error
    if not inflater.eof:
        raise UnsafeZip(DAMAGED)


def _check_directory_size(end):
    if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_PARTS or end[zipfile._ECD_SIZE] > MAX_DIRECTORY_SIZE:
        raise UnsafeZip(f"it has more than {MAX_PARTS:,} parts")


def _check_parts(parts, most_expanded):
    if len(parts) > MAX_PARTS:
        raise UnsafeZip(f"it has more than {MAX_PARTS:,} parts")
    names = set()
    expanded = 0
    for part in parts:
        if part.filename in names:
            raise UnsafeZip(f"it has two parts called “{part.filename}”")
        names.add(part.filename)
        if part.flag_bits & 0x1:
            raise UnsafeZip("it is password-protected: remove the password and try again")
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeZip(DAMAGED)
        expanded += part.file_size
        if expanded > most_expanded:
            raise UnsafeZip(
                f"it would expand to more than {most_expanded // 1024 // 1024} MB when opened"
            )
        if part.file_size > RATIO_FROM_SIZE and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise UnsafeZip(
                f"it has a compression ratio above {MAX_RATIO}:1, "
                "as a file built to overwhelm a server has"
            )


def open_safe_zip(opened, *, most_expanded=MAX_EXPANDED_SIZE):
    """A ``SafeZip`` over a seekable binary file, or ``UnsafeZip`` saying why
    it cannot be opened. Nothing is inflated here."""
    try:
        opened.seek(0)
        end = zipfile._EndRecData(opened)  # the directory's summary, read before the directory
        if end is not None:
            _check_directory_size(end)
            opened.seek(0)
            archive = zipfile.ZipFile(opened)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UnsafeZip(DAMAGED) from error
    if end is None:
        raise UnsafeZip(DAMAGED)
    _check_parts(archive.infolist(), most_expanded)
    return SafeZip(archive)
