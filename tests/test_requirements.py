"""What gets installed: production runs without the development tools, and every package, the
transitive ones too, is pinned with its hashes in a lock file made from the requirements."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_TOOLS = {"pgserver", "pytest", "pytest-django", "playwright", "ruff", "polib", "pypdf"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, str]:
    """name -> version of the pins in a requirements file, following ``-r``."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            pins.update(requirements(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            pins[canonical(match[1])] = match[2]
        elif line:
            pytest.fail(f"{path.name}: not pinned with ==: {line!r}")
    return pins


def lock(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a pip-compile lock file."""
    pins, name = {}, None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            name = canonical(match[1])
            pins[name] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{path.name}: a line that is no pin: {line!r}")
    return pins


def test_production_requirements_hold_no_development_tool():
    assert not DEVELOPMENT_TOOLS & set(requirements(ROOT / "requirements.txt"))
    assert not DEVELOPMENT_TOOLS & set(lock(ROOT / "requirements.lock"))
    assert set(requirements(ROOT / "requirements-dev.txt")) >= DEVELOPMENT_TOOLS


@pytest.mark.parametrize(
    "source, lock_file",
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_the_lock_pins_every_package_with_hashes_and_is_up_to_date(source, lock_file):
    locked = lock(ROOT / lock_file)
    assert all(hashes for _, hashes in locked.values())
    # A package added to or changed in the requirements without `make lock` fails here.
    for name, version in requirements(ROOT / source).items():
        assert locked.get(name, ("missing",))[0] == version, f"{name}: run `make lock`"


def test_development_installs_the_same_versions_as_production():
    production = lock(ROOT / "requirements.lock")
    development = lock(ROOT / "requirements-dev.lock")
    assert production.keys() <= development.keys()
    assert {name: development[name][0] for name in production} == {
        name: version for name, (version, _) in production.items()
    }


def test_the_application_runs_without_the_development_tools():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="ondernemerspunt.settings",
        DEBUG="false",
        SECRET_KEY="n7Q-0vJ2kX_pW9sLr4TzY1bHc8GmE5aUfD3iKo6VqRxNw-ZtyPj",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
        BLOCKED_TOOLS="pgserver pytest pytest_django playwright polib pypdf",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib, os, pkgutil, sys\n"
            'for tool in os.environ["BLOCKED_TOOLS"].split():\n'
            "    sys.modules[tool] = None  # an import of it now fails, as on a production server\n"
            "import django\n"
            "django.setup()\n"
            "from ondernemerspunt.wsgi import application\n"
            'for app in ("ondernemerspunt", "intake", "coaching"):\n'
            "    package = importlib.import_module(app)\n"
            '    for module in pkgutil.walk_packages(package.__path__, app + "."):\n'
            "        importlib.import_module(module.name)\n"
            "from django.core.management import call_command\n"
            'call_command("check")\n',
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
