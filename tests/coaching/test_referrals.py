"""Referrals, the coach's side (issue 10, points 1–4, 7 and 8): consent to share per partner and
purpose, a referral from draft to sent and taken back, what was shared with whom and when, the
timeline, overdue answers on the home page, the figures on the dashboard and the e-mail to the
partner."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from coaching import referrals
from coaching.models import PartnerConsent, Referral, ReferralEvent, SharedField
from intake.models import SupportNeed
from ondernemerspunt.models import Partner
from ondernemerspunt.progress.figures import desk_progress, working_days_between
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.tables import Small, present
from tests.coaching.referral_makers import cast_partner, make_consent, make_draft
from tests.factories import make_conversation, make_member, make_partner, make_resident

D = datetime.date
Status = Referral.Status
SITE = "http://testserver"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def coach(client_for):
    return english(client_for("coach"))


def text_of(response) -> str:
    return response.content.decode()


def sent(cast, **kwargs) -> Referral:
    referral = make_draft(cast, **kwargs)
    return referrals.send_referral(referral=referral, by=cast.coach, site=SITE)


# --- Partners: what they offer, their contacts -----------------------------------------------
def test_the_coach_sees_what_partners_offer_and_their_contacts_where_she_chooses(cast, client_for):
    kvk = cast_partner(cast)
    kvk.offers = "Mentoren en startersworkshops"
    kvk.save(update_fields=["offers"])
    page = text_of(coach(client_for).get(reverse("coaching:referral_new", args=[cast.resident.pk])))
    assert "Mentoren en startersworkshops" in page
    assert cast.partner.full_name in page  # the contact person
    page = text_of(
        coach(client_for).get(reverse("coaching:partner_consent_new", args=[cast.resident.pk]))
    )
    assert "Mentoren en startersworkshops" in page


# --- Consent per partner and purpose ---------------------------------------------------------
def consent_data(partner, **changes):
    data = {
        "partner": partner.pk,
        "purpose": "Een mentor via de KvK",
        "fields": [SharedField.CONTACT, SharedField.BUSINESS_IDEA],
        "valid_until": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(changes)
    return data


def test_a_consent_is_recorded_with_partner_purpose_fields_and_end(cast, client_for):
    partner = cast_partner(cast)
    url = reverse("coaching:partner_consent_new", args=[cast.resident.pk])
    client = coach(client_for)
    form = client.get(url).context["form"]
    # Half a year unless chosen otherwise; a year at the most.
    assert form["valid_until"].initial == timezone.localdate() + datetime.timedelta(days=182)
    response = client.post(url, consent_data(partner))
    assert response.status_code == 302
    consent = PartnerConsent.objects.get(resident=cast.resident)
    assert consent.partner == partner
    assert consent.fields == [SharedField.CONTACT, SharedField.BUSINESS_IDEA]
    assert consent.recorded_by == cast.coach
    assert consent.is_valid()


def test_a_consent_for_more_than_a_year_is_refused_and_the_typing_kept(cast, client_for):
    partner = cast_partner(cast)
    too_long = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = coach(client_for).post(
        reverse("coaching:partner_consent_new", args=[cast.resident.pk]),
        consent_data(partner, valid_until=too_long, purpose="Bbz-aanvraag"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"]
    assert 'value="Bbz-aanvraag"' in text_of(response)
    assert not PartnerConsent.objects.exists()


def test_a_consent_for_another_desks_partner_is_refused(cast, client_for):
    elsewhere = make_partner(cast.other_desk, "KvK Zuid")
    response = coach(client_for).post(
        reverse("coaching:partner_consent_new", args=[cast.resident.pk]), consent_data(elsewhere)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["partner"]
    assert not PartnerConsent.objects.exists()


def test_without_consent_for_the_desk_no_consent_to_share_is_recorded(cast, client_for):
    resident = make_resident(cast.desk, coach=cast.coach)  # no consent for the desk
    response = coach(client_for).post(
        reverse("coaching:partner_consent_new", args=[resident.pk]),
        consent_data(cast_partner(cast)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["partner"]
    assert not PartnerConsent.objects.exists()


def test_withdrawing_is_one_click_and_hides_the_shared_fields_at_once(cast, client_for):
    referral = sent(cast)
    labels = [label for label, _value in referrals.shared_with_partner(referral)]
    assert str(SharedField.CONTACT.label) in labels
    response = coach(client_for).post(
        reverse("coaching:partner_consent_withdraw", args=[referral.consent.pk])
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    referral.consent.refresh_from_db()
    assert referral.consent.withdrawn_by == cast.coach
    assert referrals.shared_with_partner(referral) == [("Naam", cast.resident.full_name)]
    # Withdrawing twice is a message, not an error.
    response = coach(client_for).post(
        reverse("coaching:partner_consent_withdraw", args=[referral.consent.pk]), follow=True
    )
    assert response.status_code == 200


def test_another_desks_consent_cannot_be_withdrawn(cast, client_for):
    other = make_consent(cast.other_resident, make_partner(cast.other_desk), by=cast.other_coach)
    response = coach(client_for).post(reverse("coaching:partner_consent_withdraw", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


# --- What was shared with whom and when -------------------------------------------------------
def test_the_staff_and_the_resident_see_what_was_shared_with_whom_and_when(cast, client_for):
    referral = sent(cast)
    make_draft(cast, question="Nog niet verstuurd")  # a draft shared nothing
    page = text_of(
        coach(client_for).get(reverse("coaching:resident_sharing", args=[cast.resident.pk]))
    )
    assert page.count("data-referral=") == 1
    assert f'data-referral="{referral.pk}"' in page
    assert referral.partner.name in page
    assert timezone.localdate(referral.sent_at).strftime("%d-%m-%Y") in page
    with translation.override("en"):  # the page is in English (the coach's cookie)
        assert str(SharedField.CONTACT.label) in page
    assert f'data-consent="{referral.consent.pk}"' in page

    own = english(client_for("resident")).get(reverse("coaching:own_sharing"))
    assert own.status_code == 200
    page = text_of(own)
    assert f'data-referral="{referral.pk}"' in page
    assert referral.partner.name in page
    assert "Nog niet verstuurd" not in page
    # Her home page links to it.
    home = text_of(client_for("resident").get(reverse("home")))
    assert reverse("coaching:own_sharing") in home


# --- A referral -------------------------------------------------------------------------------
def new_url(resident, **query):
    url = reverse("coaching:referral_new", args=[resident.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize(
    ("need", "kind"),
    [
        (SupportNeed.MENTORING, Partner.Kind.KVK),
        (SupportNeed.FROM_BENEFITS, Partner.Kind.UWV),
        (SupportNeed.FINANCING, Partner.Kind.QREDITS),
    ],
)
def test_a_support_need_of_a_conversation_suggests_a_partner(cast, client_for, need, kind):
    make_partner(cast.desk, "UWV Groningen", kind=Partner.Kind.UWV)
    make_partner(cast.desk, "Qredits", kind=Partner.Kind.QREDITS)
    conversation = make_conversation(cast.resident, coach=cast.coach, support_needs=[need])
    client = coach(client_for)
    # The timeline carries a link per support need of the conversation.
    detail = text_of(client.get(reverse("intake:resident_detail", args=[cast.resident.pk])))
    link = new_url(cast.resident, gesprek=conversation.pk, behoefte=need).replace("&", "&amp;")
    assert link in detail
    form = client.get(new_url(cast.resident, gesprek=conversation.pk, behoefte=need)).context[
        "form"
    ]
    suggested = Partner.objects.get(pk=form.initial["partner"])
    assert suggested.kind == kind
    assert form.initial["gesprek"] == conversation.pk


def test_a_referral_is_saved_as_a_draft_then_sent(cast, client_for, mailoutbox):
    partner = cast_partner(cast)
    consent = make_consent(cast.resident, partner, by=cast.coach)
    conversation = make_conversation(cast.resident, coach=cast.coach, support_needs=["mentoring"])
    client = coach(client_for)
    response = client.post(
        new_url(cast.resident),
        {
            "partner": partner.pk,
            "contact": cast.partner.pk,
            "consent": "",  # the one valid consent for this partner is taken
            "question": "Kan Rana een mentor krijgen?",
            "gesprek": conversation.pk,
            "behoefte": "mentoring",
        },
    )
    referral = Referral.objects.get()
    assert response.url == reverse("coaching:referral_detail", args=[referral.pk])
    assert (referral.status, referral.consent, referral.contact) == (
        Status.CONCEPT,
        consent,
        cast.partner,
    )
    assert (referral.conversation, referral.support_need) == (conversation, "mentoring")
    response = client.post(
        reverse("coaching:referral_send", args=[referral.pk]), {"version": referral.version}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    today = timezone.localdate()
    assert referral.answer_due_on == referrals.add_working_days(today, partner.answer_days)
    assert [e.status for e in referral.events.all()] == [Status.CONCEPT, Status.SENT]


def test_without_consent_the_form_says_so_links_to_recording_one_and_keeps_the_typing(
    cast, client_for
):
    partner = cast_partner(cast)
    client = coach(client_for)
    typed = {"partner": partner.pk, "contact": "", "question": "Vraag over een mentor"}
    response = client.post(new_url(cast.resident), typed)
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    page = text_of(response)
    assert "Vraag over een mentor" in page
    consent_url = reverse("coaching:partner_consent_new", args=[cast.resident.pk])
    assert f"{consent_url}?partner={partner.pk}&amp;terug=doorverwijzen" in page
    assert not Referral.objects.exists()
    # Recording the consent brings the coach back to her typing.
    back = client.post(
        f"{consent_url}?partner={partner.pk}&terug=doorverwijzen", consent_data(partner)
    )
    assert back.url == new_url(cast.resident)
    form = client.get(back.url).context["form"]
    assert form.initial["question"] == "Vraag over een mentor"
    assert form.initial["partner"] == partner.pk


def test_a_consent_for_another_partner_does_not_do(cast, client_for):
    partner = cast_partner(cast)
    bank = make_partner(cast.desk, "Rabobank", kind=Partner.Kind.BANK)
    consent = make_consent(cast.resident, bank, by=cast.coach)
    response = coach(client_for).post(
        new_url(cast.resident),
        {"partner": partner.pk, "consent": consent.pk, "question": "Vraag"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert not Referral.objects.exists()


def test_a_partner_of_another_desk_or_its_contact_is_refused(cast, client_for):
    partner = cast_partner(cast)
    make_consent(cast.resident, partner, by=cast.coach)
    elsewhere = make_partner(cast.other_desk, "KvK Zuid")
    stranger = make_member(cast.other_desk, "partner", partner=elsewhere)
    other_contact = make_member(cast.desk, "partner", partner=make_partner(cast.desk, "Lefier"))
    client = coach(client_for)
    for data in (
        {"partner": elsewhere.pk, "question": "Vraag"},
        {"partner": partner.pk, "contact": stranger.pk, "question": "Vraag"},
        {"partner": partner.pk, "contact": other_contact.pk, "question": "Vraag"},
    ):
        response = client.post(new_url(cast.resident), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "partner" in errors or "contact" in errors
    assert not Referral.objects.exists()


@pytest.mark.parametrize("how", ["withdrawn", "expired"])
def test_sending_after_the_consent_ended_is_refused_and_the_draft_kept(cast, client_for, how):
    referral = make_draft(cast)
    consent = referral.consent
    if how == "withdrawn":
        referrals.withdraw_partner_consent(consent=consent, by=cast.coach)
    else:
        PartnerConsent.objects.filter(pk=consent.pk).update(
            given_on=timezone.localdate() - datetime.timedelta(days=30),
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
        )
    response = coach(client_for).post(
        reverse("coaching:referral_send", args=[referral.pk]),
        {"version": referral.version},
        follow=True,
    )
    assert "withdrawn or has expired" in text_of(response)
    referral.refresh_from_db()
    assert referral.status == Status.CONCEPT
    assert referral.sent_at is None


def test_a_send_from_a_stale_tab_is_refused(cast, client_for, mailoutbox):
    referral = make_draft(cast)
    old_version = referral.version
    client = coach(client_for)
    client.post(reverse("coaching:referral_send", args=[referral.pk]), {"version": old_version})
    response = client.post(
        reverse("coaching:referral_send", args=[referral.pk]),
        {"version": old_version},
        follow=True,
    )
    assert "Someone else changed this referral" in text_of(response)
    assert ReferralEvent.objects.filter(referral=referral, status=Status.SENT).count() == 1


def test_an_erased_residents_referral_answers_404(cast, client_for):
    referral = make_draft(cast)
    cast.resident.__class__.objects.filter(pk=cast.resident.pk).update(erased_at=timezone.now())
    client = coach(client_for)
    assert client.get(reverse("coaching:referral_detail", args=[referral.pk])).status_code == 404
    send = client.post(reverse("coaching:referral_send", args=[referral.pk]))
    assert send.status_code == 404
    assert client.get(new_url(cast.resident)).status_code == 404


def test_a_long_question_with_html_is_shown_as_text(cast, client_for):
    question = "<script>alert('x')</script><b>vet</b> " + "lang " * 300
    response = coach(client_for).post(
        new_url(cast.resident),
        {"partner": cast_partner(cast).pk, "question": question + "x" * 2000},
    )
    assert response.status_code == 200  # too long: a message, the typing kept
    assert response.context["form"].errors["question"]
    referral = make_draft(cast, question=question)
    page = text_of(coach(client_for).get(reverse("coaching:referral_detail", args=[referral.pk])))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<b>vet</b>" not in page


def test_the_detail_shows_history_what_is_shared_the_answer_and_overdue(cast, client_for):
    referral = sent(cast)
    referrals.answer_referral(
        referral=referral,
        status=Status.DONE,
        note="Gekoppeld aan mentor Jan",
        by=cast.partner,
        site=SITE,
    )
    response = coach(client_for).get(reverse("coaching:referral_detail", args=[referral.pk]))
    page = text_of(response)
    assert "Gekoppeld aan mentor Jan" in page
    assert [e.status for e in response.context["events"]] == [
        Status.CONCEPT,
        Status.SENT,
        Status.DONE,
    ]
    assert cast.resident.phone in page  # shared under the consent (contact)
    assert not response.context["overdue"]

    late = sent(cast, question="Te laat")
    Referral.objects.filter(pk=late.pk).update(
        answer_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = coach(client_for).get(reverse("coaching:referral_detail", args=[late.pk]))
    assert response.context["overdue"]
    assert 'id="overdue"' in text_of(response)


def test_taking_a_referral_back_needs_a_reason(cast, client_for):
    referral = sent(cast)
    client = coach(client_for)
    url = reverse("coaching:referral_withdraw", args=[referral.pk])
    response = client.post(url, {"reason": "  ", "version": referral.version})
    assert response.status_code == 200
    assert response.context["withdraw_form"].errors["reason"]
    response = client.post(url, {"reason": "Verkeerde partner", "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "Verkeerde partner")
    # Once closed, it cannot be taken back again.
    response = client.post(url, {"reason": "Nog eens", "version": referral.version})
    assert response.status_code == 200
    assert response.context["withdraw_form"].non_field_errors()


def test_another_desks_staff_get_404(cast, client_for):
    referral = make_draft(cast)
    other = client_for("other_coach")
    assert other.get(reverse("coaching:referral_detail", args=[referral.pk])).status_code == 404
    response = other.post(reverse("coaching:referral_send", args=[referral.pk]))
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.CONCEPT


# --- The desk's list --------------------------------------------------------------------------
def test_the_list_filters_by_status_partner_and_overdue(cast, client_for):
    draft = make_draft(cast)
    late = sent(cast)
    Referral.objects.filter(pk=late.pk).update(
        answer_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    bank = make_partner(cast.desk, "Rabobank", kind=Partner.Kind.BANK)
    to_bank = make_draft(cast, partner=bank)
    make_draft(cast)  # a third draft, to the KvK
    client = coach(client_for)
    url = reverse("coaching:referral_list")

    def shown(query=""):
        page = text_of(client.get(f"{url}?{query}"))
        return {int(pk) for pk in re.findall(r'data-referral="(\d+)"', page)}

    assert len(shown()) == 4
    assert shown("status=sent") == {late.pk}
    assert shown(f"partner={bank.pk}") == {to_bank.pk}
    assert shown("te_laat=on") == {late.pk}
    assert draft.pk in shown("status=concept")
    # Another desk's referrals are not listed.
    assert shown(f"partner={make_partner(cast.other_desk).pk}") == shown()


def test_the_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = coach(client_for)
    url = reverse("coaching:referral_list")
    sent(cast)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    partner = cast_partner(cast)
    consent = make_consent(cast.resident, partner, by=cast.coach)
    for n in range(29):
        make_draft(cast, consent=consent, question=f"Vraag {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = text_of(client.get(url))
    assert page.count("data-referral=") == 25  # a page of 25


# --- The timeline -----------------------------------------------------------------------------
def test_every_change_of_status_is_on_the_residents_timeline(cast, client_for):
    referral = sent(cast)
    referrals.answer_referral(
        referral=referral, status=Status.IN_PROGRESS, by=cast.partner, site=SITE
    )
    page = text_of(
        english(client_for("coach")).get(reverse("intake:resident_detail", args=[cast.resident.pk]))
    )
    events = re.findall(r'data-referral-event="(\w+)"', page)
    assert sorted(events) == sorted([Status.CONCEPT, Status.SENT, Status.IN_PROGRESS])
    # The panel lists the consent (with its withdraw button) and the referral.
    assert f'data-withdraw-consent="{referral.consent.pk}"' in page
    assert reverse("coaching:referral_detail", args=[referral.pk]) in page


# --- Overdue answers on the home page ---------------------------------------------------------
def test_working_days_skip_the_weekend():
    friday = D(2026, 11, 27)
    assert referrals.add_working_days(friday, 1) == D(2026, 11, 30)  # Monday
    assert referrals.add_working_days(friday, 5) == D(2026, 12, 4)
    assert working_days_between(friday, D(2026, 11, 30)) == 1
    assert working_days_between(friday, D(2026, 12, 7)) == 6


def test_an_unanswered_referral_is_flagged_on_the_coachs_and_coordinators_home(cast, client_for):
    on_time = sent(cast, question="Op tijd")
    late = sent(cast, question="Te laat")
    today = timezone.localdate()
    # Sent ten working days ago to a partner that answers within ten: due today, not late.
    sent_on = today
    for _n in range(10):
        sent_on -= datetime.timedelta(days=1)
        while sent_on.weekday() >= 5:
            sent_on -= datetime.timedelta(days=1)
    assert referrals.add_working_days(sent_on, 10) >= today
    Referral.objects.filter(pk=on_time.pk).update(
        answer_due_on=referrals.add_working_days(sent_on, 10)
    )
    Referral.objects.filter(pk=late.pk).update(answer_due_on=today - datetime.timedelta(days=1))
    for role in ("coach", "coordinator"):
        page = text_of(client_for(role).get(reverse("home")))
        flagged = re.findall(r'<tr data-referral="(\d+)"', page)
        assert flagged == [str(late.pk)], role
    # Answered: no longer flagged.
    referrals.answer_referral(referral=late, status=Status.IN_PROGRESS, by=cast.partner, site=SITE)
    page = text_of(client_for("coach").get(reverse("home")))
    assert not re.findall(r'<tr data-referral="(\d+)"', page)


def test_another_coachs_overdue_referral_is_not_on_her_home_page(cast, client_for):
    colleague = make_member(cast.desk, "coach", full_name="Collega Coach")
    resident = make_resident(cast.desk, coach=colleague, consent_by=colleague)
    partner = cast_partner(cast)
    referral = referrals.create_referral(
        resident=resident,
        partner=partner,
        consent=make_consent(resident, partner, by=colleague),
        question="Vraag",
        by=colleague,
    )
    referrals.send_referral(referral=referral, by=colleague, site=SITE)
    Referral.objects.filter(pk=referral.pk).update(answer_due_on=D(2009, 1, 1))
    assert f'<tr data-referral="{referral.pk}"' not in text_of(client_for("coach").get("/"))
    assert f'<tr data-referral="{referral.pk}"' in text_of(client_for("coordinator").get("/"))


# --- The e-mails ------------------------------------------------------------------------------
def test_the_mail_to_the_partner_carries_a_link_and_nothing_about_the_resident(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    cast.resident.business_idea = "Kapsalon aan huis"
    cast.resident.save(update_fields=["business_idea"])
    partner = cast_partner(cast)
    consent = make_consent(cast.resident, partner, by=cast.coach, fields=list(SharedField.values))
    question = "Rana wil €\u00a012.500,00 lenen voor haar kapsalon"
    referral = make_draft(cast, consent=consent, contact=cast.partner, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        response = coach(client_for).post(
            reverse("coaching:referral_send", args=[referral.pk]), {"version": referral.version}
        )
    assert response.status_code == 302
    assert mailoutbox == []  # the worker sends it
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.partner.email]
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"http://testserver/\S+", mail.body).group(0)
    assert link in html
    assert referral.links.count() == 1
    everything = f"{mail.subject}\n{mail.body}\n{html}"
    resident = cast.resident
    for personal in (
        resident.first_name,
        resident.last_name,
        resident.email,
        resident.phone,
        resident.business_idea,
        question,
        "12.500",
        "kapsalon",
    ):
        assert personal not in everything, personal
    assert "€" not in everything


def test_without_a_contact_the_mail_goes_to_the_partners_address(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    partner = cast_partner(cast)
    partner.email = "info@kvk.test"
    partner.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        sent(cast)
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [["info@kvk.test"]]


def test_the_coach_is_told_by_mail_when_the_partner_answers(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    referral = sent(cast)
    with django_capture_on_commit_callbacks(execute=True):
        referrals.answer_referral(
            referral=referral,
            status=Status.DONE,
            note="Mentor gevonden",
            by=cast.partner,
            site=SITE,
        )
    run_queued_tasks()
    told = [mail for mail in mailoutbox if mail.to == [cast.coach.email]]
    assert len(told) == 1
    assert reverse("coaching:referral_detail", args=[referral.pk]) in told[0].body
    assert cast.resident.last_name not in told[0].body
    assert "Mentor gevonden" not in told[0].body


# --- Figures ----------------------------------------------------------------------------------
def referral_sent_on(cast, partner, day, status=Status.SENT, answered_after=None):
    referral = make_draft(cast, partner=partner)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    fields = {"status": Status.SENT, "sent_at": at}
    if status != Status.SENT:
        fields.update(status=status, answered_at=at + datetime.timedelta(days=answered_after))
        if status == Status.DONE:
            fields["outcome"] = "Klaar"
        if status == Status.DECLINED:
            fields["decline_reason"] = "Past niet"
    Referral.objects.filter(pk=referral.pk).update(**fields)
    return referral


def test_the_dashboard_counts_referrals_by_partner_and_outcome_with_answer_times(cast):
    kvk = cast_partner(cast)
    bank = make_partner(cast.desk, "Rabobank", kind=Partner.Kind.BANK)
    monday = D(2009, 2, 2)
    for _n in range(3):
        referral_sent_on(cast, kvk, monday, Status.DONE, answered_after=4)  # Friday: 4 days
    referral_sent_on(cast, kvk, monday, Status.IN_PROGRESS, answered_after=7)  # 5 working days
    referral_sent_on(cast, kvk, monday)
    referral_sent_on(cast, bank, monday, Status.DECLINED, answered_after=1)
    referral_sent_on(cast, bank, D(2009, 5, 4))  # another quarter
    make_draft(cast, partner=bank)  # never sent: not counted
    progress = desk_progress(cast.desk, 2009, as_of=D(2009, 6, 30), period=period_of(2009, "q1"))
    shown = present(progress, suppress=False, today=D(2009, 7, 1))
    table = {row.key: row.values for row in shown.tables["referrals"].rows}
    assert table[kvk.name] == [1, 1, 3, 0, 5]
    assert table["Rabobank"] == [0, 0, 0, 1, 1]
    times = {row.key: row.values for row in shown.tables["referral_answer_time"].rows}
    assert times[kvk.name] == [4, 4]  # median of 4, 4, 4, 5 working days
    assert times["Rabobank"] == [1, 1]
    assert times["all"] == [4, 5]

    # The project group: small counts as "< 5", no totals, medians over few left out.
    hidden = present(progress, suppress=True, today=D(2009, 7, 1))
    table = {row.key: row.values for row in hidden.tables["referrals"].rows}
    assert table[kvk.name] == [Small(5), Small(5), Small(5), 0]
    times = {row.key: row.values for row in hidden.tables["referral_answer_time"].rows}
    assert times[kvk.name] == ["", Small(5)]
    assert times["all"] == [4, 5]


def test_a_period_with_fewer_referrals_than_the_threshold_is_withheld_for_the_project_group(
    cast,
):
    referral_sent_on(cast, cast_partner(cast), D(2009, 2, 2))
    progress = desk_progress(cast.desk, 2009, as_of=D(2009, 6, 30), period=period_of(2009, "q1"))
    assert present(progress, suppress=True).tables["referrals"].withheld
    assert not present(progress, suppress=False).tables["referrals"].withheld


def test_the_dashboard_shows_the_referrals_table(cast, client_for):
    referral_sent_on(cast, cast_partner(cast), D(2009, 2, 2))
    url = reverse("progress_dashboard", args=[cast.desk.slug, 2009])
    page = text_of(english(client_for("coordinator")).get(url + "?period=q1"))
    assert "Referrals by partner and their outcome" in page
    assert cast_partner(cast).name in page


def test_another_residents_conversation_or_an_unknown_need_is_dropped(cast, client_for):
    partner = cast_partner(cast)
    make_consent(cast.resident, partner, by=cast.coach)
    elsewhere = make_conversation(cast.other_resident, coach=cast.other_coach)
    response = coach(client_for).post(
        new_url(cast.resident),
        {"partner": partner.pk, "question": "Vraag", "gesprek": elsewhere.pk, "behoefte": "x"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.conversation, referral.support_need) == (None, "")


# --- Found by trying the running application (issue 10 review) -------------------------------
def test_a_referral_nobody_would_receive_is_not_sent(cast, client_for):
    """No contact person and no address of the organisation: the mail would go nowhere."""
    partner = make_partner(cast.desk, name="Zonder adres", email="")
    draft = make_draft(cast, partner=partner)
    response = english(coach(client_for)).post(
        reverse("coaching:referral_send", args=[draft.pk]),
        {"version": draft.version},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Referral.Status.CONCEPT
    assert "has no e-mail address and you chose no contact person" in response.content.decode()


def test_a_draft_whose_consent_ended_is_sent_under_the_new_one(cast):
    """The coach is told to record a new consent; then the draft goes out under that one."""
    draft = make_draft(cast)
    referrals.withdraw_partner_consent(consent=draft.consent, by=cast.coach)
    with pytest.raises(referrals.ReferralError):
        referrals.send_referral(referral=draft, by=cast.coach, site="http://testserver")
    newer = make_consent(cast.resident, draft.partner, by=cast.coach)
    sent_now = referrals.send_referral(referral=draft, by=cast.coach, site="http://testserver")
    assert sent_now.status == Referral.Status.SENT
    draft.refresh_from_db()
    assert draft.consent == newer


def test_the_coach_sends_a_new_link_and_the_old_one_stops(
    cast, client_for, mailoutbox, run_queued_tasks, django_capture_on_commit_callbacks
):
    from coaching.models import ReferralLink

    with django_capture_on_commit_callbacks(execute=True):
        referral = sent(cast)
    run_queued_tasks()
    first = ReferralLink.objects.get(referral=referral)
    with django_capture_on_commit_callbacks(execute=True):
        response = coach(client_for).post(reverse("coaching:referral_resend", args=[referral.pk]))
    assert response.status_code == 302
    run_queued_tasks()
    assert len(mailoutbox) == 2
    first.refresh_from_db()
    assert not first.is_usable()
    assert (
        ReferralLink.objects.filter(referral=referral, expires_at__gt=timezone.now()).count() == 1
    )


def test_a_referral_the_coach_took_back_says_so_not_declined(cast, client_for):
    referral = sent(cast)
    referrals.withdraw_referral(referral=referral, by=cast.coach, reason="Verkeerde partner")
    page = text_of(coach(client_for).get(reverse("coaching:referral_detail", args=[referral.pk])))
    assert "taken back by the desk" in page and "Why it was taken back" in page


def test_starting_from_bijstand_suggests_the_municipality(cast, client_for):
    from intake.models import Situation

    make_partner(cast.desk, name="UWV", kind=Partner.Kind.UWV)
    municipality = make_partner(cast.desk, name="Gemeente", kind=Partner.Kind.MUNICIPALITY)
    cast.resident.situation = Situation.BENEFITS_BIJSTAND
    cast.resident.save(update_fields=["situation"])
    response = coach(client_for).get(
        reverse("coaching:referral_new", args=[cast.resident.pk]),
        {"behoefte": SupportNeed.FROM_BENEFITS},
    )
    assert response.context["form"].initial["partner"] == municipality.pk
