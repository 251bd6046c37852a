"""The partner answers in the app (issue 10, point 4): a partner contact's inbox and referral
page, and the personal link in the e-mail. A partner sees only the referrals to her own
organisation, and of the resident only her name and what she consented to share, for as long as
that consent holds."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coaching import referrals
from coaching.models import Referral, ReferralLink
from coaching.referral_links import new_link
from intake.models import Situation, Source, Stage
from ondernemerspunt.models import AuditEntry, Membership
from ondernemerspunt.services import audit_text
from tests.coaching.partner_referrals import (
    cast_referral,
    consent_for,
    link_token,
    partner_of,
    sent_referral,
)
from tests.factories import (
    make_conversation,
    make_member,
    make_partner,
    make_plan,
    make_resident,
)

Status = Referral.Status


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def as_partner(client_for):
    """The partner contact's client, with English pages (logging in forgets the cookies)."""
    client = client_for("partner")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def inbox_pks(html) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-referral="(\d+)"', html)]


# --- The inbox --------------------------------------------------------------------------------
def test_the_inbox_shows_only_what_was_sent_to_her_own_organisation(client_for, cast):
    own = cast_referral(cast)
    draft = cast_referral(cast, send=False)
    same_desk = sent_referral(cast.resident, make_partner(cast.desk, "UWV"), by=cast.coach)
    other_desk = sent_referral(
        cast.other_resident, make_partner(cast.other_desk, "KvK Zuid"), by=cast.other_coach
    )
    html = page_of(as_partner(client_for), reverse("coaching:partner_inbox"), show="all")
    assert inbox_pks(html) == [own.pk]
    for referral in (draft, same_desk, other_desk):
        assert reverse("coaching:partner_referral", args=[referral.pk]) not in html


def test_open_referrals_come_first_and_answered_ones_only_under_all(client_for, cast):
    answered = cast_referral(cast)
    referrals.answer_referral(
        referral=answered, status=Status.DONE, note="Mentor gevonden", by=cast.partner, site="x"
    )
    older = cast_referral(cast)
    newer = cast_referral(cast)
    client = as_partner(client_for)
    assert inbox_pks(page_of(client, reverse("coaching:partner_inbox"))) == [newer.pk, older.pk]
    all_pks = inbox_pks(page_of(client, reverse("coaching:partner_inbox"), show="all"))
    assert all_pks == [newer.pk, older.pk, answered.pk]


def test_an_unanswered_referral_past_its_day_is_marked_overdue(client_for, cast):
    late = cast_referral(cast)
    Referral.objects.filter(pk=late.pk).update(
        answer_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = cast_referral(cast)
    html = page_of(as_partner(client_for), reverse("coaching:partner_inbox"))
    rows = dict(re.findall(r'data-referral="(\d+)">(.*?)</tr>', html, re.S))
    assert "data-overdue" in rows[str(late.pk)]
    assert "data-overdue" not in rows[str(on_time.pk)]


def test_the_inbox_is_a_page_of_partner_contacts(client_for, cast):
    assert client_for("coach").get(reverse("coaching:partner_inbox")).status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(
    rows, client_for, cast, django_assert_max_num_queries
):
    partner = partner_of(cast.partner)
    consent = consent_for(cast.resident, partner, by=cast.coach)
    for n in range(rows):
        referral = referrals.create_referral(
            resident=cast.resident,
            partner=partner,
            consent=consent,
            question=f"Vraag {n}",
            by=cast.coach,
        )
        referrals.send_referral(referral=referral, by=cast.coach, site="x")
    client = as_partner(client_for)
    with django_assert_max_num_queries(9):
        html = page_of(client, reverse("coaching:partner_inbox"))
    assert len(inbox_pks(html)) == min(rows, 25)


# --- The home page and the menu ---------------------------------------------------------------
def test_her_home_page_shows_the_open_referrals_and_leads_to_the_inbox(client_for, cast):
    own = cast_referral(cast)
    closed = cast_referral(cast)
    referrals.answer_referral(
        referral=closed, status=Status.DECLINED, note="Past niet", by=cast.partner, site="x"
    )
    elsewhere = sent_referral(cast.resident, make_partner(cast.desk, "UWV"), by=cast.coach)
    html = page_of(as_partner(client_for), reverse("home"))
    assert "data-home-partner-referrals" in html
    assert reverse("coaching:partner_referral", args=[own.pk]) in html
    assert reverse("coaching:partner_referral", args=[closed.pk]) not in html
    assert reverse("coaching:partner_referral", args=[elsewhere.pk]) not in html
    assert reverse("coaching:partner_inbox") in html


def test_without_referrals_her_home_page_says_so(client_for, cast, english):
    html = page_of(as_partner(client_for), reverse("home"))
    assert "data-home-partner-referrals-empty" in html
    assert "There are none yet" not in html


def test_the_menu_of_a_partner_contact_leads_to_her_inbox(client_for, cast):
    assert reverse("coaching:partner_inbox") in page_of(as_partner(client_for), reverse("home"))
    assert reverse("coaching:partner_inbox") not in page_of(client_for("coach"), reverse("home"))


# --- One referral -----------------------------------------------------------------------------
def test_the_referral_page_shows_the_question_the_coach_and_only_the_shared_fields(
    client_for, cast, english
):
    cast.coach.phone = "050-3141592"
    cast.coach.save(update_fields=["phone"])
    referral = cast_referral(cast, fields=["contact"], question="Zoekt een mentor voor haar salon")
    html = page_of(as_partner(client_for), reverse("coaching:partner_referral", args=[referral.pk]))
    assert "Zoekt een mentor voor haar salon" in html
    assert "Cees Coach" in html and "050-3141592" in html and cast.coach.email in html
    assert cast.resident.full_name in html and cast.resident.phone in html
    assert "01-01-1980" not in html  # her date of birth was not shared
    assert 'id="answer-form"' in html
    line = AuditEntry.objects.filter(resident_id=cast.resident.pk).latest("id")
    assert line.action == AuditEntry.Action.VIEWED and line.actor == cast.partner
    what = gettext_lazy("Referral read by %(partner)s")
    assert line.what == audit_text(what, {"partner": partner_of(cast.partner).name})
    assert cast.resident.first_name not in line.what


def test_another_organisations_referral_and_a_draft_answer_404(client, cast):
    uwv = make_partner(cast.desk, "UWV")
    uwv_contact = make_member(cast.desk, "partner", partner=uwv, full_name="Ulla UWV")
    mine = cast_referral(cast)
    draft = cast_referral(cast, send=False)
    client.force_login(uwv_contact, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("coaching:partner_referral", args=[mine.pk])).status_code == 404
    client.force_login(cast.partner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("coaching:partner_referral", args=[draft.pk])).status_code == 404


def test_a_deactivated_contact_sees_nothing(client_for, cast):
    referral = cast_referral(cast)
    Membership.objects.filter(user=cast.partner).update(is_active=False)
    response = as_partner(client_for).get(reverse("coaching:partner_referral", args=[referral.pk]))
    assert response.status_code == 404


def open_page(client, referral):
    return page_of(client, reverse("coaching:partner_referral", args=[referral.pk]))


def test_withdrawing_consent_hides_the_shared_fields_at_once(client_for, cast, english):
    referral = cast_referral(
        cast, fields=["contact", "languages"], question="Zij heeft een WW-uitkering."
    )
    cast.resident.languages = "Tigrinya en Arabisch"
    cast.resident.save(update_fields=["languages"])
    client = as_partner(client_for)
    html = open_page(client, referral)
    assert cast.resident.phone in html and "Tigrinya" in html and "WW-uitkering" in html
    token = link_token(referral)

    referrals.withdraw_partner_consent(consent=referral.consent, by=cast.coach)

    for html in (open_page(client, referral), page_of(client, link_url(token))):
        assert cast.resident.full_name in html
        assert "data-not-shared" in html
        assert "no longer shares her data with you" in html
        assert cast.resident.phone not in html and "Tigrinya" not in html
        # The coach's question is about her too (found by trying it).
        assert "WW-uitkering" not in html


def test_an_expired_consent_hides_the_shared_fields(client_for, cast):
    referral = cast_referral(cast, fields=["contact"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(referral.consent).objects.filter(pk=referral.consent_id).update(
        given_on=yesterday - datetime.timedelta(days=30), valid_until=yesterday
    )
    html = open_page(as_partner(client_for), referral)
    assert cast.resident.full_name in html
    assert "data-not-shared" in html and cast.resident.phone not in html


# --- Answering ----------------------------------------------------------------------------------
def answer(client, referral, **data):
    data.setdefault("version", referral.version)
    data.setdefault("note", "")
    return client.post(reverse("coaching:partner_referral", args=[referral.pk]), data)


def test_answering_tells_the_coach_by_mail_once_the_worker_runs(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    referral = cast_referral(cast)
    client = as_partner(client_for)
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(client, referral, status="done", note="Gekoppeld aan mentor Jan")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DONE and referral.outcome == "Gekoppeld aan mentor Jan"
    event = referral.events.latest("id")
    assert event.by == cast.partner and not event.through_link
    assert mailoutbox == []
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [[cast.coach.email]]
    assert reverse("coaching:referral_detail", args=[referral.pk]) in mailoutbox[0].body
    assert cast.resident.last_name not in mailoutbox[0].body


def test_completing_without_an_outcome_is_refused_next_to_the_field(client_for, cast, english):
    referral = cast_referral(cast)
    response = answer(as_partner(client_for), referral, status="done", note="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["Describe the outcome."]
    referral.refresh_from_db()
    assert referral.status == Status.SENT


@pytest.mark.parametrize(
    "data",
    [
        {"status": "concept", "note": "x"},
        {"status": "done", "note": "x" * 2001},
        {"status": "done", "note": "x", "version": "abc"},
        {"status": "done", "note": "x", "version": str(2**40)},
        {"status": "done", "note": "x\x00y"},
    ],
    ids=["a status the partner may not set", "too long", "no number", "huge", "NUL"],
)
def test_bad_input_gets_a_message_and_saves_nothing(client_for, cast, data):
    referral = cast_referral(cast)
    response = answer(as_partner(client_for), referral, **data)
    assert response.status_code == 200
    assert response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.events.count() == 2


def test_a_stale_answer_is_refused_with_a_message_and_the_typing_kept(client_for, cast, english):
    referral = cast_referral(cast)
    stale_version = referral.version
    referrals.answer_referral(
        referral=referral, status=Status.IN_PROGRESS, by=cast.partner, site="x"
    )
    response = answer(
        as_partner(client_for),
        referral,
        status="done",
        note="Mijn uitkomst",
        version=stale_version,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="answer-conflict"' in html
    assert "Mijn uitkomst" in html
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS
    # Sending again is based on the version stored now.
    assert response.context["form"]["version"].value() == str(referral.version)


def test_a_closed_referral_shows_the_answer_and_cannot_be_answered(client_for, cast, english):
    referral = cast_referral(cast)
    referrals.answer_referral(
        referral=referral, status=Status.DONE, note="Mentor gevonden", by=cast.partner, site="x"
    )
    client = as_partner(client_for)
    html = open_page(client, referral)
    assert 'id="answer-form"' not in html and "Mentor gevonden" in html
    referral.refresh_from_db()
    response = answer(client, referral, status="declined", note="Toch niet")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DONE and referral.decline_reason == ""


def test_a_referral_the_desk_took_back_does_not_show_the_desks_reason(client_for, cast):
    referral = cast_referral(cast)
    referrals.withdraw_referral(referral=referral, by=cast.coach, reason="Verhuisd naar Assen")
    html = open_page(as_partner(client_for), referral)
    assert "Verhuisd naar Assen" not in html and 'id="answer-form"' not in html
    # Nothing but her name stays shared with the partner.
    assert cast.resident.full_name in html and cast.resident.phone not in html


def test_a_draft_cannot_be_answered(client_for, cast):
    draft = cast_referral(cast, send=False)
    response = answer(as_partner(client_for), draft, status="in_progress")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.CONCEPT


# --- The personal link --------------------------------------------------------------------------
def link_url(token):
    return reverse("coaching:referral_answer_link", kwargs={"token": token})


def test_the_link_shows_that_one_referral_without_a_login(client, cast, english):
    referral = cast_referral(cast, question="Vraag via de link")
    other = cast_referral(cast, question="Een andere vraag")
    response = client.get(link_url(link_token(referral)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vraag via de link" in html and cast.resident.phone in html
    assert "Een andere vraag" not in html
    assert reverse("coaching:partner_inbox") not in html
    assert reverse("coaching:partner_referral", args=[other.pk]) not in html
    assert 'id="answer-form"' in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    line = AuditEntry.objects.filter(resident_id=cast.resident.pk).latest("id")
    assert line.action == AuditEntry.Action.VIEWED
    what = gettext_lazy("Referral read by %(partner)s through the e-mail link")
    assert line.what == audit_text(what, {"partner": referral.partner.name})


def test_taking_up_through_the_link_keeps_it_and_closing_uses_it_up(
    client, cast, english, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    referral = cast_referral(cast)
    other = cast_referral(cast)
    token = link_token(referral)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link_url(token), {"status": "in_progress", "note": "", "version": referral.version}
        )
    assert response.status_code == 302 and response.url == link_url(token)
    referral.refresh_from_db()
    other.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS and other.status == Status.SENT
    assert referral.events.latest("id").through_link
    # Found by trying it: a partner without a login must still be able to close it.
    assert ReferralLink.objects.get(referral=referral).used_at is None
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [[cast.coach.email]]
    client.post(
        link_url(token), {"status": "done", "note": "Mentor gevonden", "version": referral.version}
    )
    referral.refresh_from_db()
    assert referral.status == Status.DONE
    assert ReferralLink.objects.get(referral=referral).used_at is not None
    # Used up: the page says so and shows nothing of the referral; another answer is refused.
    html = page_of(client, link_url(token))
    assert 'data-link-state="used"' in html and cast.resident.full_name not in html
    client.post(link_url(token), {"status": "declined", "note": "Toch niet", "version": 99})
    referral.refresh_from_db()
    assert referral.status == Status.DONE


def test_the_version_of_another_referral_does_not_help_a_link(client, cast):
    """A token opens its own referral only: posting another referral's data through it answers
    nothing else."""
    referral = cast_referral(cast)
    other = cast_referral(cast)
    token = link_token(referral)
    client.post(link_url(token), {"status": "declined", "note": "Nee", "version": other.version})
    other.refresh_from_db()
    assert other.status == Status.SENT


@pytest.mark.parametrize("state", ["expired", "replaced", "used", "unknown", "draft"])
def test_a_dead_link_says_what_to_do_and_shows_nothing(client, cast, english, state):
    referral = cast_referral(cast, send=state != "draft", question="Geheime vraag")
    link, token = new_link(referral, "kvk@example.test")
    if state == "expired":
        ReferralLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    elif state == "replaced":
        new_link(referral, "kvk@example.test")
    elif state == "used":
        ReferralLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    elif state == "unknown":
        token = "x" * 43
    response = client.get(link_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    expected = "unknown" if state == "draft" else state
    assert f'data-link-state="{expected}"' in html
    assert "Geheime vraag" not in html and cast.resident.last_name not in html
    assert "Log in" in html
    assert response["Referrer-Policy"] == "no-referrer"
    response = client.post(link_url(token), {"status": "done", "note": "Klaar", "version": 2})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status in (Status.SENT, Status.CONCEPT)


def test_a_link_of_a_withdrawn_consent_shows_only_the_name(client, cast, english):
    referral = cast_referral(cast, fields=["contact", "address"])
    token = link_token(referral)
    referrals.withdraw_partner_consent(consent=referral.consent, by=cast.coach)
    html = page_of(client, link_url(token))
    assert cast.resident.full_name in html and "data-not-shared" in html
    assert cast.resident.phone not in html and cast.resident.postcode not in html


# --- The canary ---------------------------------------------------------------------------------
CANARY = {
    "phone": "0611223344",
    "email": "kanarie.geheim@example.test",
    "street": "Kanarieweg 77",
    "postcode": "9711 KQ",
    "city": "Kanariestad",
    "date_of_birth": datetime.date(1977, 7, 17),
    "business_idea": "Kanariepietenkwekerij",
    "sector": "Vogelhandel-kanarie",
    "languages": "Kanarisch Spaans",
    "situation": Situation.STUDENT,
    "source": Source.FLYER,
    "stage": Stage.IN_TRAJECTORY,
}
SHARED = ("languages",)
CANARY_NOTES = "Gespreksnotitie-kanarie: schulden bij de buurman"
CANARY_PLAN = "Planmotivatie-kanarie"
OTHER_QUESTIONS = ("Vraag-aan-UWV-kanarie", "Vraag-aan-Zuid-kanarie")


def canary_values():
    values = [v for k, v in CANARY.items() if k not in SHARED and isinstance(v, str)]
    values.remove(Situation.STUDENT)
    values.remove(Source.FLYER)
    values.remove(Stage.IN_TRAJECTORY)
    return [*values, "17-07-1977", "1977-07-17", CANARY_NOTES, CANARY_PLAN, *OTHER_QUESTIONS]


def pk_patterns():
    """Every named URL of the project (but Django's admin), with the names of its arguments."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    namespace = f"{pattern.namespace}:" if pattern.namespace else ""
                    walk(pattern.url_patterns, prefix + namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((f"{prefix}{pattern.name}", set(pattern.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return found


def test_a_partner_contact_never_sees_another_organisations_referral_nor_an_unshared_field(
    client_for, cast
):
    resident = make_resident(
        cast.desk,
        coach=cast.coach,
        consent_by=cast.coach,
        first_name="Kiki",
        last_name="Kanarie",
        **CANARY,
    )
    conversation = make_conversation(resident, coach=cast.coach, notes=CANARY_NOTES)
    plan = make_plan(resident, {"entrepreneur": {"motivation": CANARY_PLAN}})
    own = sent_referral(
        resident,
        partner_of(cast.partner),
        by=cast.coach,
        fields=SHARED,
        question="Kan zij een mentor krijgen?",
    )
    same_desk = sent_referral(
        resident,
        make_partner(cast.desk, "UWV"),
        by=cast.coach,
        fields=["contact", "address"],
        question=OTHER_QUESTIONS[0],
    )
    other_desk = sent_referral(
        cast.other_resident,
        make_partner(cast.other_desk, "KvK Zuid"),
        by=cast.other_coach,
        fields=["contact"],
        question=OTHER_QUESTIONS[1],
    )
    draft = sent_referral(
        resident,
        partner_of(cast.partner),
        by=cast.coach,
        fields=["contact"],
        question="Concept-kanarie",
        send=False,
    )
    pks = {
        own.pk,
        same_desk.pk,
        other_desk.pk,
        draft.pk,
        resident.pk,
        conversation.pk,
        plan.pk,
        cast.other_resident.pk,
    }
    others = {
        "number": 1,
        "review": 1,
        "section": "ondernemer",
        "desk": cast.desk.slug,
        "slug": cast.desk.slug,
        "year": timezone.localdate().year,
        "token": "verzonnen-token",
        "uidb64": "MQ",
        "version": 1,
    }
    client = as_partner(client_for)
    pages = {"home": client.get(reverse("home")).content.decode()}
    for show in ("open", "all"):
        url = reverse("coaching:partner_inbox") + f"?show={show}"
        pages[url] = client.get(url).content.decode()
    assert reverse("coaching:partner_referral", args=[own.pk]) in pages["home"]
    assert "Kiki Kanarie" in pages[url]
    for name, arguments in pk_patterns():
        if name in ("logout", "set_language"):
            continue
        kwarg_sets = [{"pk": pk} for pk in sorted(pks)] if "pk" in arguments else [{}]
        for kwargs in kwarg_sets:
            kwargs.update({key: others[key] for key in arguments - {"pk"} if key in others})
            if arguments - set(kwargs):
                continue  # an argument we have no example of
            url = reverse(name, kwargs=kwargs)
            pages[url] = client.get(url).content.decode(errors="ignore")
    # And the page behind the personal link of her own referral.
    link_page = link_url(link_token(own))
    pages[link_page] = client.get(link_page).content.decode()
    for url in (reverse("coaching:partner_referral", args=[own.pk]), link_page):
        assert "Kiki Kanarie" in pages[url] and CANARY["languages"] in pages[url]
    unshared = [*canary_values(), cast.other_resident.full_name]
    leaks = {(url, value) for url, html in pages.items() for value in unshared if value in html}
    assert leaks == set()
    for referral in (same_desk, other_desk, draft):
        path = reverse("coaching:partner_referral", args=[referral.pk])
        assert [url for url, html in pages.items() if path in html and url != path] == []
