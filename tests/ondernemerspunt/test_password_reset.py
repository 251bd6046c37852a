import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

UNKNOWN = "niemand@example.test"


def ask_for_reset(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    # The same page for every address: nobody learns from it who has an account.
    assert response.url == reverse("password_reset_done")
    return response


@pytest.mark.parametrize("known", [True, False])
def test_every_request_queues_one_task_and_sends_nothing_itself(client, cast, mailoutbox, known):
    # Sending the mail in the request took 314 ms for a client's address and 6 ms for any other:
    # the answer time told who is a client. Now the request does the same work either way.
    ask_for_reset(client, cast.coach.email if known else UNKNOWN)
    assert DBTaskResult.objects.ready().count() == 1
    assert mailoutbox == []


def test_a_reset_mail_carries_a_working_link(client, cast, mailoutbox, run_queued_tasks):
    ask_for_reset(client, cast.coach.email)
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.coach.email]
    assert "nieuw wachtwoord" in mail.subject.lower()
    link = re.search(r"https?://testserver(/wachtwoord-instellen/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Nieuw wachtwoord" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "een-heel-nieuw-wachtwoord",
            "new_password2": "een-heel-nieuw-wachtwoord",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    cast.coach.refresh_from_db()
    assert cast.coach.check_password("een-heel-nieuw-wachtwoord")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, cast, mailoutbox, run_queued_tasks
):
    ask_for_reset(client, UNKNOWN)
    run_queued_tasks()
    assert mailoutbox == []


def test_the_mail_is_in_the_language_of_the_request(
    client, cast, mailoutbox, settings, run_queued_tasks
):
    # The worker has no request and would write in the default language, Dutch.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ask_for_reset(client, cast.coach.email)
    run_queued_tasks()
    assert mailoutbox[0].subject == "Set a new password for Ondernemerspunt"


def test_an_expired_or_used_link_says_so_and_offers_a_new_one(client, cast, settings):
    uid = urlsafe_base64_encode(force_bytes(cast.coach.pk))
    token = default_token_generator.make_token(cast.coach)
    cast.coach.set_password("wachtwoord-is-al-veranderd")  # invalidates the token
    cast.coach.save()
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in page
    assert reverse("password_reset") in page


def test_a_too_short_new_password_gets_a_dutch_message(client, cast):
    uid = urlsafe_base64_encode(force_bytes(cast.coach.pk))
    token = default_token_generator.make_token(cast.coach)
    form_page = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}), follow=True
    )
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "kort", "new_password2": "kort"}
    )
    assert "Dit wachtwoord is te kort. Gebruik minstens 10 tekens." in response.content.decode()
