"""A form is saved once: a double click or a resent POST registers one resident and records one
conversation (issue 13 #10). The page carries a one-time token (``ondernemerspunt.once``)."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from intake.models import Conversation, Resident
from ondernemerspunt.once import FIELD, new_token
from tests.concurrency import at_once
from tests.factories import make_desk, make_member, make_resident
from tests.intake.form_data import conversation_data, new_url, registration_data, steps_data


def token_on(page) -> str:
    match = re.search(rf'name="{FIELD}" value="([^"]+)"', page.content.decode())
    assert match, "the form carries no one-time token"
    return match.group(1)


def conversation_url(resident):
    return reverse("intake:conversation_new", kwargs={"pk": resident.pk})


def new_conversation(coach, token):
    data = {"conversation-kind": "follow_up", **conversation_data(coach), **steps_data()}
    return {**data, FIELD: token}


def test_registering_twice_with_the_same_form_makes_one_resident(client_for, cast):
    client = client_for("coach")
    data = {**registration_data(cast, register_anyway="on"), FIELD: token_on(client.get(new_url()))}
    first = client.post(new_url(), data)
    second = client.post(new_url(), data)
    resident = Resident.objects.get(last_name="Öztürk")
    assert first.url == second.url == resident.get_absolute_url()
    # The second answer says so (an information message, not the "registered" success).
    assert [m.level for m in get_messages(second.wsgi_request)][-1] == messages.INFO


def test_a_fresh_form_registers_again(client_for, cast):
    # Two pages are two forms: a second registration on purpose is not refused by the token.
    client = client_for("coach")
    for _ in range(2):
        token = token_on(client.get(new_url()))
        data = {**registration_data(cast, register_anyway="on"), FIELD: token}
        assert client.post(new_url(), data).status_code == 302
    assert Resident.objects.filter(last_name="Öztürk").count() == 2


def test_a_form_with_errors_keeps_its_token_and_saves_once_corrected(client_for, cast):
    client = client_for("coach")
    token = token_on(client.get(new_url()))
    page = client.post(new_url(), {**registration_data(cast, first_name=""), FIELD: token})
    assert token_on(page) == token
    data = {**registration_data(cast), FIELD: token}
    assert client.post(new_url(), data).status_code == 302
    assert client.post(new_url(), data).status_code == 302
    assert Resident.objects.filter(last_name="Öztürk").count() == 1


def test_a_mangled_token_is_ignored_and_the_form_still_saves(client_for, cast):
    data = {**registration_data(cast), FIELD: "\x00" * 30}
    assert client_for("coach").post(new_url(), data).status_code == 302
    assert Resident.objects.filter(last_name="Öztürk").count() == 1


def test_recording_a_conversation_twice_with_the_same_form_saves_one(client_for, cast):
    client = client_for("coach")
    url = conversation_url(cast.resident)
    data = new_conversation(cast.coach, token_on(client.get(url)))
    before = Conversation.objects.filter(resident=cast.resident).count()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).url == cast.resident.get_absolute_url()
    assert Conversation.objects.filter(resident=cast.resident).count() == before + 1


@pytest.mark.django_db(transaction=True)
class TestAtTheSameMoment:
    def clients(self, user):
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return clients

    def test_two_registrations_with_one_form_at_once_make_one_resident(self):
        desk = make_desk()
        coach = make_member(desk, "coach")
        cast = type("Cast", (), {"desk": desk, "coach": coach})
        data = {**registration_data(cast, register_anyway="on"), FIELD: new_token()}
        one, two = self.clients(coach)
        results = at_once(lambda: one.post(new_url(), data), lambda: two.post(new_url(), data))
        assert [r.status_code for r in results] == [302, 302]
        assert Resident.objects.filter(last_name="Öztürk").count() == 1

    def test_two_conversations_with_one_form_at_once_save_one(self):
        desk = make_desk()
        coach = make_member(desk, "coach")
        resident = make_resident(desk, coach=coach, consent_by=coach)
        data = new_conversation(coach, new_token())
        one, two = self.clients(coach)
        url = conversation_url(resident)
        results = at_once(lambda: one.post(url, data), lambda: two.post(url, data))
        assert [r.status_code for r in results] == [302, 302]
        assert Conversation.objects.filter(resident=resident).count() == 1
