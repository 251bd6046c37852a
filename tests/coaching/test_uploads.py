"""Uploads for the Qredits application's enclosures (coaching/uploads.py): recognised by their
content, refused when empty, too large or of another kind, names cleaned."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.models import Enclosure, Upload
from coaching.models.applications import MAX_UPLOAD_BYTES
from coaching.uploads import UploadRefused, add_upload, clean_name, content_type_of, read_checked

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")],
)
def test_the_kind_comes_from_the_content(data, kind):
    assert read_checked(upload("scan.bin", data, "application/octet-stream")) == (data, kind)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("offerte.pdf", b"#!/bin/sh\nrm -rf /\n"),  # a script with a right-looking name
        ("foto.png", b"GIF89a" + b"\x00" * 20),  # another image kind
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("leeg.pdf", b""),
    ],
)
def test_wrong_or_empty_files_are_refused(name, data):
    with pytest.raises(UploadRefused):
        read_checked(upload(name, data))


def test_a_file_over_ten_megabytes_is_refused_without_reading_it_all():
    big = upload("groot.pdf", PDF + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(UploadRefused):
        read_checked(big)
    exactly = upload("precies.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF)))
    assert len(read_checked(exactly)[0]) == MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\fatma\\Offerte oven.PDF", "Offerte oven.pdf"),
        ("offerte<script>.pdf", "offerte_script_.pdf"),
        ("naam\x00met\x1fnul.pdf", "naammetnul.pdf"),
        ("...", "document.pdf"),
        ("café façade.jpg", "café façade.pdf"),
    ],
)
def test_names_are_cleaned_and_end_in_what_the_content_is(sent, shown):
    assert clean_name(sent, Upload.ContentType.PDF) == shown


def test_a_long_name_is_cut_and_keeps_its_extension():
    assert clean_name("a" * 500 + ".png", Upload.ContentType.PNG) == "a" * 116 + ".png"


def test_content_type_of_unknown_bytes_is_none():
    assert content_type_of(b"PK\x03\x04") is None  # a zip (or .docx)


def test_an_upload_makes_the_enclosure_present_under_a_generated_name(db, cast):
    from tests.coaching.applications import make_application

    application = make_application(cast)
    enclosure = application.enclosures.get(kind=Enclosure.Kind.QUOTES)
    stored = add_upload(enclosure=enclosure, file=upload("../offerte.pdf", PDF), by=cast.coach)
    enclosure.refresh_from_db()
    assert enclosure.status == Enclosure.Status.PRESENT
    assert stored.name == "offerte.pdf" and "offerte" not in stored.stored_name
    assert bytes(Upload.objects.get(pk=stored.pk).data) == PDF
