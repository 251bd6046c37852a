"""Every view declares the HTTP methods it answers; anything else is 405.

A view that accepts any method can be read with PUT, PATCH or OPTIONS, which skip the code paths
that write the audit trail on GET. Walked over every URL of the access matrix, as a user the
page is meant for.
"""

import pytest
from django.urls import reverse

from tests.access_matrix import LOGIN
from tests.test_access_matrix import ALL_ROWS

UNDECLARED = ["put", "patch", "delete", "options", "trace"]


def first_row_per_url():
    seen, rows = set(), []
    for row in ALL_ROWS:
        if row.name not in seen:
            seen.add(row.name)
            rows.append(row)
    return rows


ORDER = ("coordinator", "coach", "resident", "project_group", "partner", "anonymous")


def a_role_it_is_meant_for(row) -> str:
    """A role the page answers with 200, else one it sends on, staff first; for a page that
    sends everyone to the login page (logging out), anyone."""
    for wanted in (lambda e: e == 200, lambda e: e not in (LOGIN, 403, 404)):
        for role in ORDER:
            if wanted(row.expect[role]):
                return role
    return "coordinator"


@pytest.mark.parametrize("method", UNDECLARED)
@pytest.mark.parametrize("row", first_row_per_url(), ids=lambda row: row.name)
def test_an_undeclared_method_is_refused(row, method, cast, client_for):
    client = client_for(a_role_it_is_meant_for(row))
    url = reverse(row.name, kwargs=row.kwargs(cast))
    response = client.generic(method.upper(), url)
    assert response.status_code == 405, f"{method.upper()} {row.name}: {response.status_code}"
