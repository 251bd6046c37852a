"""Shared computers (issue 13): a session ends with the browser, and on the server after 30
minutes without a request for a resident (2 hours for staff); the page is told how long it has
left, and a "Stay logged in" button keeps it."""

import pytest
from django.conf import settings
from django.urls import reverse

from ondernemerspunt import sessions

MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved forward by the test."""

    class Clock:
        now = 1_000_000_000.0

        def move(self, minutes):
            self.now += minutes * MINUTE

    moving = Clock()
    monkeypatch.setattr(sessions, "clock", lambda: moving.now)
    return moving


def in_english(client):
    # The message is read in English: its Dutch arrives with the next catalogue merge.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(client):
    return "_auth_user_id" in client.session


def test_an_idle_resident_is_logged_out_after_30_minutes(client_for, clock):
    client = in_english(client_for("resident"))
    assert client.get(reverse("home")).status_code == 200
    clock.move(30)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert not logged_in(client)
    assert "nothing happened for 30 minutes" in response.content.decode()


def test_activity_keeps_a_residents_session(client_for, clock):
    client = client_for("resident")
    for _ in range(4):  # two hours in all, never 30 minutes idle
        clock.move(29)
        assert client.get(reverse("home")).status_code == 200
    assert logged_in(client)


def test_the_autosave_of_the_plan_counts_as_activity(client_for, cast, clock):
    from coaching.services import start_plan

    start_plan(resident=cast.resident)
    client = client_for("resident")
    client.get(reverse("home"))
    url = reverse("coaching:section_autosave", kwargs={"section": "ondernemer"})
    for _ in range(3):
        clock.move(20)
        assert client.post(url, {"motivation": "Eigen baas"}).status_code == 200
    assert logged_in(client)


def test_the_autosave_tells_the_page_how_long_the_session_really_has_left(client_for, cast, clock):
    """Activity is noted at most once a minute: 40 s after the last note, an autosave's answer
    says 29 min 20 s, not the full 30 minutes (the warning would otherwise come too late)."""
    from coaching.services import start_plan

    start_plan(resident=cast.resident)
    client = client_for("resident")
    client.get(reverse("home"))
    url = reverse("coaching:section_autosave", kwargs={"section": "ondernemer"})
    clock.now += 40
    response = client.post(url, {"motivation": "Eigen baas"})
    assert response.json()["seconds_left"] == 30 * MINUTE - 40
    clock.now += 30  # now more than a minute: noted again, the full time
    response = client.post(url, {"motivation": "Eigen baas"})
    assert response.json()["seconds_left"] == 30 * MINUTE


def test_an_autosave_after_the_time_is_up_saves_nothing_and_says_nothing(client_for, clock):
    client = in_english(client_for("resident"))
    client.get(reverse("home"))
    clock.move(31)
    url = reverse("coaching:section_autosave", kwargs={"section": "ondernemer"})
    response = client.post(url, {"motivation": "Eigen baas"}, headers={"Sec-Fetch-Mode": "cors"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not logged_in(client)
    # The message waits for no page: the browser's fetch would have swallowed it unseen.
    assert "nothing happened" not in client.get(reverse("login")).content.decode()


def test_staff_may_stay_idle_for_two_hours(client_for, clock):
    client = client_for("coach")
    client.get(reverse("home"))
    clock.move(119)
    assert client.get(reverse("home")).status_code == 200
    clock.move(120)
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    assert not logged_in(client)


def test_the_session_cookie_ends_when_the_browser_closes(client, cast, password):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client.post(reverse("login"), {"username": cast.resident_user.email, "password": password})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["max-age"] and not cookie["expires"]


def test_the_page_says_how_long_the_session_has_left(client_for, clock):
    page = client_for("resident").get(reverse("home")).content.decode()
    assert 'id="session-warning"' in page
    assert 'data-seconds-left="1800"' in page
    assert 'data-warn-before="180"' in page
    assert "js/session.js" in page
    assert 'data-draft-prefix="ondernemerspunt-draft-' in page


def test_staying_logged_in_gives_the_full_time_again(client_for, clock):
    client = client_for("resident")
    client.get(reverse("home"))
    clock.move(28)
    response = client.post(reverse("session_keep_alive"))
    assert response.json() == {"seconds_left": 30 * MINUTE}
    clock.move(28)
    assert client.get(reverse("home")).status_code == 200


def test_staying_logged_in_is_too_late_once_the_time_is_up(client_for, clock):
    client = client_for("resident")
    client.get(reverse("home"))
    clock.move(30)
    response = client.post(reverse("session_keep_alive"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not logged_in(client)


def test_the_page_is_told_the_time_that_is_really_left(client_for, clock):
    client = client_for("resident")
    client.get(reverse("home"))
    clock.move(0.5)  # too soon to note a new time: the page hears of the half minute gone
    assert 'data-seconds-left="1770"' in client.get(reverse("home")).content.decode()
