"""Mentors (issue 10, point 5): the desk's pool, a match from the resident's page, its meetings
and the evaluation that ends it."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching import mentors
from coaching.models import Mentor, MentorMatch, MentorMeeting
from intake import erasure
from ondernemerspunt.models import AuditEntry, Membership
from tests.factories import make_member, make_partner, make_resident

D = datetime.date


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_mentor(desk, name="Mirjam Mentor", **fields):
    defaults = {"expertise": "detailhandel", "sector": "Detailhandel", "languages": "Nederlands"}
    return Mentor.objects.create(desk=desk, name=name, **{**defaults, **fields})


def list_url(**query):
    url = reverse("coaching:mentor_list")
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def match_new_url(resident):
    return reverse("coaching:mentor_match_new", kwargs={"pk": resident.pk})


def match_url(match):
    return reverse("coaching:mentor_match_detail", kwargs={"pk": match.pk})


def form_token(response):
    return response.context["form_token"]


# --- The pool -------------------------------------------------------------------------------
def test_the_coach_adds_a_mentor_through_the_kvk(cast, client_for):
    kvk = make_partner(cast.desk, "KvK Noord")
    client = client_for("coach")
    page = client.get(list_url())
    assert page.status_code == 200
    response = client.post(
        list_url(),
        {
            "form_token": form_token(page),
            "name": " Ayşe Kaya ",
            "email": "Ayse@Example.test",
            "expertise": "Kapsalons en reclame",
            "sector": "Persoonlijke verzorging",
            "languages": "Nederlands, Turks",
            "availability": "Dinsdagavond",
            "partner": kvk.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    mentor = Mentor.objects.get()
    assert (mentor.desk, mentor.partner, mentor.name, mentor.email) == (
        cast.desk,
        kvk,
        "Ayşe Kaya",
        "ayse@example.test",
    )
    line = AuditEntry.objects.latest("id")
    assert line.desk_id == cast.desk.pk and "Kaya" not in line.what
    # Sent twice (a double click): one mentor.
    client.post(list_url(), {"form_token": form_token(page), "name": "Ayşe Kaya", "expertise": "x"})
    assert Mentor.objects.count() == 1


def test_an_empty_mentor_form_says_what_is_missing_and_keeps_the_typing(cast, client_for):
    client = english(client_for("coordinator"))
    response = client.post(list_url(), {"sector": "Horeca", "languages": "Engels"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "expertise"}
    assert 'value="Horeca"' in response.content.decode()
    assert not Mentor.objects.exists()


def test_a_partner_of_another_desk_is_not_a_choice(cast, client_for):
    elsewhere = make_partner(cast.other_desk, "KvK Zuid")
    response = client_for("coach").post(
        list_url(), {"name": "M", "expertise": "x", "partner": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Mentor.objects.exists()


def test_the_pool_shows_only_the_desks_own_mentors_and_filters(cast, client_for):
    mine = make_mentor(cast.desk, "Ayşe Kaya", sector="Kappers", languages="Nederlands, Turks")
    other = make_mentor(cast.desk, "Wim Hoekstra", sector="Boekhouding", languages="Fries")
    theirs = make_mentor(cast.other_desk, "Zeger Zuid")
    client = client_for("coach")
    listed = client.get(list_url()).context["page"].object_list
    assert set(listed) == {mine, other}
    assert theirs not in listed
    assert list(client.get(list_url(taal="turks")).context["page"].object_list) == [mine]
    assert list(client.get(list_url(sector="boek")).context["page"].object_list) == [other]
    assert list(client.get(list_url(q="kaya")).context["page"].object_list) == [mine]
    assert list(client_for("other_coach").get(list_url()).context["page"].object_list) == [theirs]


def test_the_pool_runs_the_same_queries_for_1_and_30_mentors(cast, client_for):
    client = client_for("coach")
    make_mentor(cast.desk, "Eerste", partner=make_partner(cast.desk))
    client.get(list_url())
    with CaptureQueriesContext(connection) as one:
        assert client.get(list_url()).status_code == 200
    for n in range(29):
        mentor = make_mentor(cast.desk, f"Mentor {n:02d}", partner=make_partner(cast.desk))
        MentorMatch.objects.create(resident=cast.resident, mentor=mentor, matched_by=cast.coach)
    with CaptureQueriesContext(connection) as many:
        page = client.get(list_url()).content.decode()
    assert len(many) == len(one)
    assert page.count("data-mentor=") == 25  # the first page


def test_the_coach_edits_a_mentor_and_another_desk_gets_404(cast, client_for):
    mentor = make_mentor(cast.desk)
    url = reverse("coaching:mentor_edit", kwargs={"pk": mentor.pk})
    assert client_for("other_coach").get(url).status_code == 404
    response = client_for("coach").post(
        url, {"name": "Mirjam Mentor", "expertise": "marketing", "is_active": ""}
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.expertise == "marketing" and not mentor.is_active


# --- A match ----------------------------------------------------------------------------------
def test_the_coach_matches_the_resident_with_an_active_mentor_of_her_desk(cast, client_for):
    mentor = make_mentor(cast.desk, expertise="Kapsalons", languages="Turks")
    make_mentor(cast.desk, "Rustende Mentor", is_active=False)
    make_mentor(cast.other_desk, "Zeger Zuid")
    client = english(client_for("coach"))
    page = client.get(match_new_url(cast.resident))
    assert list(page.context["form"].fields["mentor"].queryset) == [mentor]
    assert "Kapsalons" in page.content.decode() and "Turks" in page.content.decode()

    response = client.post(
        match_new_url(cast.resident),
        {
            "form_token": form_token(page),
            "mentor": mentor.pk,
            "goal": "De eerste klanten vinden",
            "started_on": "2009-03-02",
        },
    )

    match = MentorMatch.objects.get()
    assert response.status_code == 302 and response.url == match_url(match)
    assert (match.resident, match.mentor, match.matched_by) == (cast.resident, mentor, cast.coach)
    assert match.started_on == D(2009, 3, 2) and match.ended_on is None
    resident_page = client.get(cast.resident.get_absolute_url()).content.decode()
    assert f'data-match="{match.pk}"' in resident_page and "data-running" in resident_page
    assert "Matched with mentor Mirjam Mentor" in resident_page  # on the timeline


def test_a_mentor_of_another_desk_an_inactive_one_or_a_second_running_match_is_refused(
    cast, client_for
):
    theirs = make_mentor(cast.other_desk, "Zeger Zuid")
    resting = make_mentor(cast.desk, "Rustende Mentor", is_active=False)
    mentor = make_mentor(cast.desk)
    client = client_for("coach")
    for chosen in (theirs, resting):
        response = client.post(
            match_new_url(cast.resident), {"mentor": chosen.pk, "started_on": "2009-03-02"}
        )
        assert response.status_code == 200
        assert "mentor" in response.context["form"].errors
    for chosen in (theirs, resting):
        with pytest.raises(mentors.MentorError):
            mentors.start_match(resident=cast.resident, mentor=chosen, by=cast.coach)
    mentors.start_match(resident=cast.resident, mentor=mentor, by=cast.coach)
    with pytest.raises(mentors.MentorError):
        mentors.start_match(resident=cast.resident, mentor=mentor, by=cast.coach)
    # Not offered again while the match runs.
    response = client.post(
        match_new_url(cast.resident), {"mentor": mentor.pk, "started_on": "2009-03-02"}
    )
    assert "mentor" in response.context["form"].errors
    assert MentorMatch.objects.count() == 1


def test_a_date_in_the_future_is_refused_next_to_the_field(cast, client_for):
    mentor = make_mentor(cast.desk)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for("coach").post(
        match_new_url(cast.resident), {"mentor": mentor.pk, "started_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert "started_on" in response.context["form"].errors
    assert not MentorMatch.objects.exists()


def test_without_consent_nothing_is_matched(cast, client_for):
    resident = make_resident(cast.desk, coach=cast.coach)  # no consent recorded
    mentor = make_mentor(cast.desk)
    client = english(client_for("coach"))
    page = client.get(match_new_url(resident)).content.decode()
    assert 'id="no-consent"' in page
    response = client.post(
        match_new_url(resident), {"mentor": mentor.pk, "started_on": "2009-03-02"}
    )
    assert response.status_code == 200
    assert not MentorMatch.objects.exists()
    with pytest.raises(mentors.MentorError):
        mentors.start_match(resident=resident, mentor=mentor, by=cast.coach)


def test_an_erased_resident_or_another_desks_answers_404(cast, client_for):
    make_mentor(cast.desk)
    resident = make_resident(cast.desk, consent_by=cast.coach)
    erasure.erase_resident(resident=resident, by=cast.coordinator)
    client = client_for("coach")
    assert client.get(match_new_url(resident)).status_code == 404
    assert client.get(match_new_url(cast.other_resident)).status_code == 404
    assert client_for("other_coach").get(match_new_url(cast.resident)).status_code == 404


# --- Meetings and the end ---------------------------------------------------------------------
@pytest.fixture
def match(cast):
    return mentors.start_match(
        resident=cast.resident,
        mentor=make_mentor(cast.desk),
        by=cast.coach,
        started_on=D(2009, 2, 16),
    )


def test_the_coach_logs_a_meeting_once(cast, client_for, match):
    client = client_for("coach")
    page = client.get(match_url(match))
    data = {
        "form_token": page.context["form_token"],
        "action": "meeting",
        "meeting-held_on": "2009-02-24",
        "meeting-notes": "Kennismaking; folder besproken.",
    }
    assert client.post(match_url(match), data).status_code == 302
    assert client.post(match_url(match), data).status_code == 302  # sent twice
    meeting = MentorMeeting.objects.get()
    assert (meeting.held_on, meeting.notes, meeting.recorded_by) == (
        D(2009, 2, 24),
        "Kennismaking; folder besproken.",
        cast.coach,
    )
    page = client.get(cast.resident.get_absolute_url()).content.decode()
    assert "Kennismaking; folder besproken." in page  # the meeting on the timeline


def test_a_meeting_before_the_match_or_in_the_future_is_refused(cast, client_for, match):
    client = client_for("coach")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for day in ("2009-02-01", tomorrow.isoformat()):
        response = client.post(
            match_url(match),
            {"action": "meeting", "meeting-held_on": day, "meeting-notes": "Bewaard"},
        )
        assert response.status_code == 200
        assert "held_on" in response.context["meeting_form"].errors
        assert "Bewaard" in response.content.decode()
    assert not MentorMeeting.objects.exists()


def test_the_match_ends_with_both_sides_words_and_an_optional_rating(cast, client_for, match):
    client = english(client_for("coach"))
    response = client.post(
        match_url(match),
        {"action": "end", "end-ended_on": "2009-03-30", "end-resident_evaluation": "Fijn"},
    )
    assert response.status_code == 200
    assert "mentor_evaluation" in response.context["end_form"].errors
    match.refresh_from_db()
    assert match.ended_on is None

    response = client.post(
        match_url(match),
        {
            "action": "end",
            "end-ended_on": "2009-03-30",
            "end-resident_evaluation": "Ik weet nu hoe ik reclame maak.",
            "end-mentor_evaluation": "Leergierig en snel.",
            "end-rating": "4",
        },
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.ended_on == D(2009, 3, 30) and match.rating == 4
    assert match.mentor_evaluation == "Leergierig en snel."
    page = client.get(match_url(match)).content.decode()
    assert 'id="match-ended"' in page and "Record a meeting" not in page
    # Ended: a new match with the same mentor is possible again; no more meetings.
    with pytest.raises(mentors.MentorError):
        mentors.add_meeting(match=match, held_on=D(2009, 3, 31), notes="", by=cast.coach)
    with pytest.raises(mentors.MentorError):
        mentors.end_match(
            match=match,
            ended_on=D(2009, 3, 31),
            resident_evaluation="a",
            mentor_evaluation="b",
            rating=None,
            by=cast.coach,
        )
    mentors.start_match(resident=cast.resident, mentor=match.mentor, by=cast.coach)
    resident_page = client.get(cast.resident.get_absolute_url()).content.decode()
    assert "data-ended" in resident_page and "rated 4 of 5" in resident_page


def test_a_rating_outside_1_to_5_is_refused(cast, client_for, match):
    response = client_for("coach").post(
        match_url(match),
        {
            "action": "end",
            "end-ended_on": "2009-03-30",
            "end-resident_evaluation": "a",
            "end-mentor_evaluation": "b",
            "end-rating": "9",
        },
    )
    assert response.status_code == 200
    assert "rating" in response.context["end_form"].errors


def test_another_desk_or_an_erased_file_cannot_open_the_match(cast, client_for, match):
    assert client_for("other_coach").get(match_url(match)).status_code == 404
    # A coach of this desk and a partner contact elsewhere: the partner role sees nothing here.
    partner = make_member(cast.desk, "partner")
    client = client_for("anonymous")
    client.force_login(partner)
    assert client.get(match_url(match)).status_code == 404
    erasure.erase_resident(resident=cast.resident, by=cast.coordinator)
    assert client_for("coordinator").get(match_url(match)).status_code == 404


def test_a_coach_of_two_desks_chooses_the_desk_of_a_new_mentor(cast, client_for):
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coach")
    client = client_for("coach")
    page = client.get(list_url())
    assert "desk" in page.context["form"].fields
    client.post(
        list_url(),
        {
            "form_token": form_token(page),
            "desk": cast.other_desk.pk,
            "name": "Zeger Zuid",
            "expertise": "x",
        },
    )
    assert Mentor.objects.get().desk == cast.other_desk


def test_the_resident_page_with_matches_and_meetings_runs_a_fixed_number_of_queries(
    cast, client_for, match
):
    client = client_for("coach")
    client.get(cast.resident.get_absolute_url())
    mentors.add_meeting(match=match, held_on=D(2009, 2, 20), notes="een", by=cast.coach)
    with CaptureQueriesContext(connection) as one:
        client.get(cast.resident.get_absolute_url())
    for n in range(5):
        other = mentors.start_match(
            resident=cast.resident, mentor=make_mentor(cast.desk, f"M{n}"), by=cast.coach
        )
        mentors.add_meeting(match=other, held_on=timezone.localdate(), notes=f"{n}", by=cast.coach)
    with CaptureQueriesContext(connection) as many:
        client.get(cast.resident.get_absolute_url())
    assert len(many) == len(one)


def test_withdrawing_consent_ends_the_match_and_removes_its_texts(cast, client_for, match):
    mentors.add_meeting(match=match, held_on=D(2009, 2, 20), notes="Over de folder", by=cast.coach)
    erasure.withdraw_consent(resident=cast.resident, by=cast.coach)
    match.refresh_from_db()
    assert match.ended_on == timezone.localdate() and match.goal == ""
    assert MentorMeeting.objects.get().notes == ""
    with pytest.raises(mentors.MentorError):
        mentors.end_match(
            match=match,
            ended_on=timezone.localdate(),
            resident_evaluation="a",
            mentor_evaluation="b",
            rating=None,
            by=cast.coach,
        )
    page = client_for("coach").get(match_url(match)).content.decode()
    assert 'id="end-heading"' not in page and "meeting-held_on" not in page


def test_a_meeting_from_a_tab_opened_before_the_match_ended_is_refused_with_the_typing_shown(
    cast, client_for, match
):
    """Found by trying it: the other tab ended the match, and the page dropped both the
    refusal and the notes."""
    client = english(client_for("coach"))
    token = client.get(match_url(match)).context["form_token"]
    mentors.end_match(
        match=match,
        ended_on=D(2009, 3, 1),
        resident_evaluation="Goed",
        mentor_evaluation="Goed",
        rating=None,
        by=cast.coach,
    )
    response = client.post(
        match_url(match),
        {
            "form_token": token,
            "action": "meeting",
            "meeting-held_on": "2009-02-24",
            "meeting-notes": "Mijn lange verslag",
        },
    )
    page = response.content.decode()
    assert 'id="unsaved"' in page and "Mijn lange verslag" in page
    assert "This match has ended" in page
    assert not MentorMeeting.objects.exists()
