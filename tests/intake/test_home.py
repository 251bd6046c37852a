"""The coach's home page lists the open and overdue next steps of their residents."""

import datetime

from django.urls import reverse

from tests.factories import make_conversation, make_resident


def test_the_coach_home_lists_open_and_overdue_next_steps(client_for, cast):
    tomorrow = datetime.date.today() + datetime.timedelta(days=7)
    make_conversation(
        cast.resident,
        coach=cast.coach,
        next_steps=[("Offerte opvragen", datetime.date(2009, 3, 1)), ("Plan afmaken", tomorrow)],
    )
    other = make_resident(cast.desk, coach=cast.coordinator)
    make_conversation(other, coach=cast.coordinator, next_steps=[("Niet van mij", tomorrow)])
    page = client_for("coach").get(reverse("home")).content.decode()
    assert "Offerte opvragen" in page
    assert "Plan afmaken" in page
    assert "Niet van mij" not in page
    assert "2 open vervolgafspraken" in page
    assert "1 te laat" in page
    assert reverse("intake:resident_new") in page


def test_the_coordinator_home_lists_the_open_next_steps_of_the_whole_desk(client_for, cast):
    soon = datetime.date.today() + datetime.timedelta(days=7)
    make_conversation(cast.resident, coach=cast.coach, next_steps=[("Van de coach", soon)])
    elsewhere = make_resident(cast.other_desk)
    make_conversation(elsewhere, coach=cast.other_coach, next_steps=[("Andere desk", soon)])
    page = client_for("coordinator").get(reverse("home")).content.decode()
    assert "Van de coach" in page
    assert "Andere desk" not in page
    assert "1 open vervolgafspraak" in page
    assert reverse("intake:resident_new") in page


def test_done_steps_are_not_listed(client_for, cast):
    conversation = make_conversation(
        cast.resident, coach=cast.coach, next_steps=[("Al gedaan", datetime.date(2009, 3, 1))]
    )
    conversation.next_steps.update(done_on=datetime.date(2009, 3, 1))
    page = client_for("coach").get(reverse("home")).content.decode()
    assert "Al gedaan" not in page
    assert "Geen open vervolgafspraken" in page


def test_the_menu_has_residents_for_staff_only(client_for, cast):
    url = reverse("intake:resident_list")
    assert url in client_for("coach").get(reverse("home")).content.decode()
    assert url in client_for("coordinator").get(reverse("home")).content.decode()
    assert url not in client_for("project_group").get(reverse("home")).content.decode()
    assert url not in client_for("resident").get(reverse("home")).content.decode()
