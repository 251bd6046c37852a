"""The access matrix: every URL of the project, every role, the expected answer.

Each app lists its URLs in ``tests/<app>/access_rows.py`` as ``ROWS``; ``test_access_matrix.py``
walks all of them for every role of the cast and fails when a URL pattern has no row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import ROLES

LOGIN = "login"  # expected: a redirect to the login page
REDIRECT = "redirect"  # expected: any redirect (3xx) that is not to the login page

# URL namespaces that are not ours to test here: Django's admin guards itself (is_staff).
EXCLUDED_NAMESPACES = {"admin"}


@dataclass
class Row:
    name: str
    expect: dict[str, object]
    kwargs: Callable = field(default=lambda cast: {})
    method: str = "get"
    data: Callable = field(default=lambda cast: {})
    # Optional query string, for pages that need one (e.g. filters).
    query: str = ""

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"Row {self.name} gives no expectation for {sorted(missing)}")

    def __str__(self):
        return f"{self.method.upper()} {self.name}"


def expect(default, anonymous=LOGIN, **by_role) -> dict[str, object]:
    """All roles answer ``default`` unless named; anonymous users are sent to log in."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    table.update(by_role)
    return table


def url_names(urlconf=None) -> set[str]:
    """Every named URL pattern of the project as 'namespace:name', minus excluded namespaces."""
    names: set[str] = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in EXCLUDED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern):
                names.add(f"{prefix}{pattern.name}" if pattern.name else f"{prefix}{pattern}")

    walk(get_resolver(urlconf).url_patterns, "")
    return names


def uncovered(rows, urlconf=None) -> set[str]:
    return url_names(urlconf) - {row.name for row in rows}
