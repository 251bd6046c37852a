"""The frame: language, security headers, error pages, no inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_pages_are_dutch_even_for_an_english_browser(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_the_language_switch_gives_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/inloggen/"})
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/inloggen/"})
    assert "Wachtwoord vergeten?" in client.get(reverse("login")).content.decode()


def test_responses_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


TEMPLATE_FILES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template):
    """The CSP forbids inline script and style; a template that has them breaks silently."""
    source = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), "inline <script>"
    assert not re.search(r"\son[a-z]+=\"", source), "inline event handler"
    assert not re.search(r"\sstyle=\"", source), "inline style attribute"
    assert "<style" not in source


def test_an_unknown_page_is_a_friendly_404_in_the_frame(client, cast):
    client.force_login(cast.coach, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert 'href="#main"' in page  # the frame, with its skip link


def test_a_forbidden_page_is_a_friendly_403(client, cast):
    client.force_login(cast.coach, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("audit_trail"))
    assert response.status_code == 403
    assert "Je hebt geen toegang tot deze pagina" in response.content.decode()


def test_a_server_error_is_a_friendly_500(cast, monkeypatch):
    from ondernemerspunt.views import pages as views

    def broken(request):
        raise RuntimeError("kapot")

    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    client = Client(raise_request_exception=False)
    client.force_login(cast.coach, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert "kapot" not in response.content.decode()


def test_an_expired_form_gets_a_friendly_page(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@b.nl", "password": "x"})
    assert response.status_code == 403
    assert "Deze pagina is verlopen" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("coach", lambda cast: reverse("intake:resident_detail", kwargs={"pk": cast.resident.pk})),
        ("resident", lambda cast: reverse("coaching:plan_home")),
    ],
)
def test_pages_after_login_are_not_kept_in_the_browser_cache(client_for, cast, role, url):
    # Residents use shared computers (library, community centre): after logging out, the Back
    # button or the browser's cache must not show the next visitor someone's file or plan.
    response = client_for(role).get(url(cast))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
