"""PDFs: a template rendered to bytes by WeasyPrint, fetching nothing but our own static files.

The report must not leak a request to anyone, and a template must not be able to read files
from the server: the fetcher below answers only paths under ``STATIC_URL`` that the static
files finders (development) or ``STATIC_ROOT`` (after collectstatic) hold, and refuses the rest.
"""

import ctypes.util
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint reports every rendering step at INFO; the worker's log needs none of that.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# WeasyPrint resolves relative URLs against this; nothing is ever fetched from it.
BASE_URL = "https://ondernemerspunt.invalid/"


def static_only_fetcher():
    """A WeasyPrint fetcher that serves ``/static/…`` from our own files and refuses any other
    URL (http, file, data). WeasyPrint is imported here, not at the top: importing it builds
    its stylesheets, which every web process would otherwise pay for at start-up."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                raise ValueError(f"Only our own static files are served to a PDF, not {url!r}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": mime_type}, status=200
            )

    return StaticOnlyFetcher()


def static_path(url: str) -> Path | None:
    """The file behind a ``/static/…`` URL of our own, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = posixpath.normpath(path.removeprefix(settings.STATIC_URL))
    if relative.startswith(("..", "/")) or "\x00" in relative:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT, relative).resolve()
    if collected.is_relative_to(Path(settings.STATIC_ROOT).resolve()) and collected.is_file():
        return collected
    return None


def harfbuzz_subset_available() -> bool:
    """Whether HarfBuzz's subsetting library is installed (Debian's ``libharfbuzz-subset0``).
    Without it WeasyPrint embeds whole fonts: a pack of a few pages weighs megabytes."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def check_font_subsetting(app_configs=None, **kwargs):
    """A warning at start-up (``manage.py check``, runserver, migrate) where it is missing."""
    from django.core.checks import Warning

    if harfbuzz_subset_available():
        return []
    return [
        Warning(
            "HarfBuzz's subsetting library is missing: PDFs embed whole fonts and grow large.",
            hint="Install Debian's package: apt-get install libharfbuzz-subset0",
            id="ondernemerspunt.W010",
        )
    ]


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()
