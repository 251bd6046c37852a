import os
import subprocess
import sys

import pytest
from django.conf import settings


def import_settings(show="SESSION_COOKIE_SECURE", **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    environment.update(env, SHOW=show)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, ondernemerspunt.settings as s; print(getattr(s, os.environ['SHOW']))",
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )


def manage_py(*args, **env):
    """``manage.py ARGS`` in a fresh process, with DEBUG and SECRET_KEY only as given."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - the tests' own fixed commands
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_says_what_is_missing_without_a_traceback():
    result = manage_py("check", DEBUG="false")
    assert result.returncode == 1
    assert "Configuration error: SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


A_REAL_KEY = "n7Q-0vJ2kX_pW9sLr4TzY1bHc8GmE5aUfD3iKo6VqRxNw-ZtyPj"  # 51 characters, random


def test_production_cookies_are_secure_with_a_secret_key():
    result = import_settings(DEBUG="false", SECRET_KEY=A_REAL_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    "key",
    [
        "kort-geheim",  # short
        A_REAL_KEY[:49],  # one character short of Django's own minimum
        "ab" * 30,  # long, but two characters
        "django-insecure-" + A_REAL_KEY,  # the placeholder startproject writes
    ],
)
def test_production_refuses_a_weak_secret_key_in_one_line(key):
    result = manage_py("check", DEBUG="false", SECRET_KEY=key)
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: SECRET_KEY is too weak")
    assert len(result.stderr.strip().splitlines()) == 1
    # The key itself is never echoed (it may be a real secret with a typo).
    assert key not in result.stderr


def test_development_accepts_any_secret_key():
    result = import_settings(show="SECRET_KEY", DEBUG="true", SECRET_KEY="kort")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kort"


def test_a_wrong_boolean_is_a_clear_error():
    result = import_settings(DEBUG="misschien")
    assert "DEBUG must be true or false" in result.stderr


def test_an_unreachable_database_url_gets_a_clear_console_message():
    environment = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing")
    result = subprocess.run(
        [sys.executable, "-m", "ondernemerspunt.localdb"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr
