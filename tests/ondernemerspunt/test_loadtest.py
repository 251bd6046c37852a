"""The load test's own machinery (``manage.py loadtest``, docs/loadtest.md): its simulated users
work against a live server, every request is counted, and the check of the rows it saved finds
a lost and a duplicated row."""

import pytest

from intake.models import Conversation, Resident
from ondernemerspunt.management.commands.loadtest import Coach, LoadTest, form_with, percentile
from ondernemerspunt.management.commands.loadtest import Resident as SimulatedResident


@pytest.fixture
def finished_run(live_server, transactional_db):
    """Two simulated users (a coach, a resident), two rounds each, without think times."""
    test = LoadTest(live_server.url, users=2, seconds=60, think=(0, 0), direct=True, iterations=2)
    test.prepare()
    test.run()
    return test


def test_two_users_work_through_their_rounds_without_errors(finished_run):
    test = finished_run
    assert [type(p) for p in test.people] == [Coach, SimulatedResident]
    assert all(person.iterations == 2 for person in test.people)
    assert test.stats.error_count == 0, test.stats.examples
    counts = {row["kind"]: row["requests"] for row in test.stats.table()}
    # Every request is counted by its kind of page.
    assert sum(counts.values()) == test.stats.requests
    assert counts["login"] == 2  # each logs in once (again only after RELOGIN_EVERY rounds)
    assert counts["second factor"] == 1  # the coach only
    assert counts["register"] == counts["conversation"] == 2
    assert counts["plan part save"] == counts["plan part autosave"] == counts["hand in"] == 2
    assert counts["review queue"] == 2
    checks = {row["kind"]: row for row in test.verify()}
    for kind in ("resident", "conversation", "hand-in", "section save"):
        assert checks[kind]["saved"] == checks[kind]["found"] == 2, checks[kind]
        assert checks[kind]["lost"] == checks[kind]["duplicated"] == 0


def test_the_check_reports_a_duplicated_and_a_lost_row(finished_run):
    test = finished_run
    marker = test.ledger.saved["resident"][0]
    twin = Resident.objects.get(last_name=marker)
    twin.pk = None
    twin.save()
    Conversation.objects.filter(notes__contains=test.ledger.saved["conversation"][0]).delete()
    checks = {row["kind"]: row for row in test.verify()}
    assert checks["resident"]["duplicated"] == 1
    assert checks["resident"]["lost"] == 0
    assert checks["conversation"]["lost"] == 1
    assert checks["conversation"]["duplicated"] == 0


def test_forms_are_read_as_a_browser_sends_them():
    page = """<form method="post" action="/x/">
      <input type="hidden" name="csrfmiddlewaretoken" value="abc">
      <input name="version" value="3"><input type="checkbox" name="c" value="1">
      <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
      <select name="s"><option value="">-</option><option value="y" selected>Y</option></select>
      <textarea name="t">
hallo</textarea><button type="submit" name="go">Go</button></form>"""
    form = form_with(page, "version")
    assert form.action == "/x/"
    assert form.fields == [
        ("csrfmiddlewaretoken", "abc"),
        ("version", "3"),
        ("r", "b"),
        ("s", "y"),
        ("t", "hallo"),
    ]
    assert ("t", "nieuw") in form.filled({"t": "nieuw", "m": ["1", "2"]})
    assert form_with(page, "nothing") is None


def test_percentiles_are_nearest_rank_in_milliseconds():
    times = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    assert percentile(times, 50) == pytest.approx(50)
    assert percentile(times, 99) == pytest.approx(99)
    assert percentile([0.2], 95) == pytest.approx(200)
    assert percentile([], 50) == 0
