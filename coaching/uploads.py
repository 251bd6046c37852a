"""Files for the Qredits application's enclosures: recognised by their content, never by their
name; kept in the database under a generated name.

A file is refused when it is empty, larger than ``MAX_UPLOAD_BYTES``, or not a PDF, JPEG or PNG
by its first bytes (a script renamed ``offerte.pdf`` stays a script). The name it came with is
only shown: paths, control characters and anything outside letters, digits and a few marks are
taken out, and it is cut to a length that fits.
"""

import re
import secrets
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.db import transaction
from django.utils.translation import gettext as _

from coaching.models import Enclosure, Upload
from coaching.models.applications import MAX_UPLOAD_BYTES

# The first bytes of each kind we take (their "magic numbers").
SIGNATURES = (
    (b"%PDF-", Upload.ContentType.PDF),
    (b"\xff\xd8\xff", Upload.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Upload.ContentType.PNG),
)
EXTENSIONS = {
    Upload.ContentType.PDF: ".pdf",
    Upload.ContentType.JPEG: ".jpg",
    Upload.ContentType.PNG: ".png",
}
NAME_MAX = 120
READ_CHUNK = 64 * 1024


class UploadRefused(Exception):
    def __init__(self, message, field="file"):
        super().__init__(message)
        self.message = message
        self.field = field


def content_type_of(head: bytes) -> str | None:
    """The kind of file these first bytes begin, or None when it is none we take."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def clean_name(name: str, content_type: str) -> str:
    """The file's name without any folder, control or odd characters, ending in the
    extension its content has ('../../etc/passwd' → 'passwd.pdf')."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w .()+,-]", "_", base).strip(" .")
    stem = re.sub(r"\.(pdf|jpe?g|png)$", "", base, flags=re.IGNORECASE) or _("document")
    extension = EXTENSIONS[content_type]
    return stem[: NAME_MAX - len(extension)].rstrip(" .") + extension


def read_checked(file) -> tuple[bytes, str]:
    """The whole file and its kind, or ``UploadRefused`` saying what is wrong. Reads at most
    one chunk past the limit, so a huge file is not taken into memory."""
    too_large = UploadRefused(
        _("This file is larger than 10 MB. Make it smaller, or scan fewer pages.")
    )
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_large
    chunks, read = [], 0
    file.seek(0)
    while chunk := file.read(READ_CHUNK):
        read += len(chunk)
        if read > MAX_UPLOAD_BYTES:
            raise too_large
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise UploadRefused(_("This file is empty. Choose the file again."))
    content_type = content_type_of(data[:16])
    if content_type is None:
        raise UploadRefused(
            _(
                "This is not a PDF, JPEG or PNG file (whatever its name says). Save it as PDF, "
                "or take a photo of it."
            )
        )
    return data, content_type


@transaction.atomic
def add_upload(*, enclosure: Enclosure, file, by) -> Upload:
    """Keep the file for the enclosure, which is then present."""
    data, content_type = read_checked(file)
    upload = Upload.objects.create(
        enclosure=enclosure,
        name=clean_name(getattr(file, "name", ""), content_type),
        stored_name=secrets.token_urlsafe(32),
        content_type=content_type,
        size=len(data),
        data=data,
        uploaded_by=by,
    )
    if enclosure.status != Enclosure.Status.PRESENT:
        enclosure.status = Enclosure.Status.PRESENT
        enclosure.save(update_fields=["status"])
    return upload
