"""Every URL answers every role as the matrix says (STYLE.md #10)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.access_matrix import LOGIN, REDIRECT, uncovered
from tests.coaching.access_rows import ROWS as COACHING_ROWS
from tests.conftest import ROLES
from tests.intake.access_rows import ROWS as INTAKE_ROWS
from tests.ondernemerspunt.access_rows import ROWS as DESK_ROWS

ALL_ROWS = DESK_ROWS + INTAKE_ROWS + COACHING_ROWS


def test_every_url_has_a_row():
    assert uncovered(ALL_ROWS) == set(), "add these URLs to a tests/<app>/access_rows.py"


@override_settings(ROOT_URLCONF="tests.urls_with_extra_page")
def test_a_url_without_a_row_makes_the_suite_fail():
    assert uncovered(ALL_ROWS, "tests.urls_with_extra_page") == {"extra_page_nobody_listed"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ALL_ROWS, ids=str)
def test_access(row, role, cast, client_for):
    client = client_for(role)
    url = reverse(row.name, kwargs=row.kwargs(cast)) + (f"?{row.query}" if row.query else "")
    response = getattr(client, row.method)(url, row.data(cast))
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response.url.startswith(reverse("login")), response.url
    elif expected == REDIRECT:
        assert 300 <= response.status_code < 400, response
        assert not response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, (
            f"{row} as {role}: {response.status_code}, expected {expected}"
        )
