from django.urls import path

from coaching.views import (
    applications,
    checklists,
    mentors,
    outcomes,
    packs,
    partner,
    plans,
    referrals,
    reviews,
)

app_name = "coaching"

urlpatterns = [
    # The resident's own plan: no plan number in these URLs, it is always their own.
    path("mijn-plan/", plans.plan_home, name="plan_home"),
    path("mijn-plan/indienen/", plans.plan_submit, name="plan_submit"),
    path("mijn-plan/afdrukken/", plans.own_plan_print, name="own_plan_print"),
    path("mijn-plan/beoordelingen/", plans.own_reviews, name="own_reviews"),
    path("mijn-plan/deel/<slug:section>/", plans.section_edit, name="section_edit"),
    path("mijn-plan/deel/<slug:section>/concept/", plans.section_autosave, name="section_autosave"),
    # The invitation link (no login: it is how a resident gets one).
    path("uitnodiging/<str:token>/", plans.invitation_accept, name="invitation_accept"),
    path("uitnodiging/<str:token>/nieuwe-link/", plans.invitation_renew, name="invitation_renew"),
    # Coaches and coordinators.
    path("bewoners/<int:pk>/uitnodigen/", plans.resident_invite, name="resident_invite"),
    path("plannen/", plans.plan_list, name="plan_list"),
    path("plannen/te-beoordelen/", reviews.review_queue, name="review_queue"),
    path("plannen/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plannen/<int:pk>/afdrukken/", plans.plan_print, name="plan_print"),
    path("plannen/<int:pk>/versies/", plans.revision_list, name="revision_list"),
    path("plannen/<int:pk>/versies/<int:number>/", plans.revision_detail, name="revision_detail"),
    path(
        "plannen/<int:pk>/versies/<int:number>/beoordelen/",
        reviews.review_start,
        name="review_start",
    ),
    path("plannen/<int:pk>/vergelijken/", plans.revision_compare, name="revision_compare"),
    path(
        "plannen/<int:pk>/beoordelingen/<int:review>/",
        reviews.review_detail,
        name="review_detail",
    ),
    path(
        "plannen/<int:pk>/beoordelingen/<int:review>/medeondertekenen/",
        reviews.review_cosign,
        name="review_cosign",
    ),
    path(
        "plannen/<int:pk>/beoordelingen/<int:review>/terugzetten/",
        reviews.review_reopen,
        name="review_reopen",
    ),
    path(
        "plannen/<int:pk>/beoordelingen/<int:review>/overnemen/",
        reviews.review_take_over,
        name="review_take_over",
    ),
    # The coordinator keeps the desk's review checklist.
    path("bureaus/<slug:desk>/checklist/", checklists.checklist_edit, name="checklist_edit"),
    path(
        "bureaus/<slug:desk>/checklist/versies/<int:version>/",
        checklists.checklist_version,
        name="checklist_version",
    ),
]

# Referrals, the coach's side (coaching/views/referrals.py).
urlpatterns += [
    path("bewoners/<int:pk>/delen/", referrals.resident_sharing, name="resident_sharing"),
    path(
        "bewoners/<int:pk>/delen/nieuw/",
        referrals.partner_consent_new,
        name="partner_consent_new",
    ),
    path(
        "delen/<int:pk>/intrekken/",
        referrals.partner_consent_withdraw,
        name="partner_consent_withdraw",
    ),
    path("mijn-gegevens/gedeeld/", referrals.own_sharing, name="own_sharing"),
    path("bewoners/<int:pk>/doorverwijzen/", referrals.referral_new, name="referral_new"),
    path("doorverwijzingen/", referrals.referral_list, name="referral_list"),
    path("doorverwijzingen/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("doorverwijzingen/<int:pk>/versturen/", referrals.referral_send, name="referral_send"),
    path(
        "doorverwijzingen/<int:pk>/opnieuw-versturen/",
        referrals.referral_resend,
        name="referral_resend",
    ),
    path(
        "doorverwijzingen/<int:pk>/intrekken/",
        referrals.referral_withdraw,
        name="referral_withdraw",
    ),
]

# Mentors and the benefits route (coaching/views/mentors.py).
urlpatterns += [
    path("mentoren/", mentors.mentor_list, name="mentor_list"),
    path("mentoren/<int:pk>/", mentors.mentor_edit, name="mentor_edit"),
    path("bewoners/<int:pk>/mentor/", mentors.mentor_match_new, name="mentor_match_new"),
    path("koppelingen/<int:pk>/", mentors.mentor_match_detail, name="mentor_match_detail"),
    path(
        "bewoners/<int:pk>/uitkering/",
        mentors.benefits_consultation_new,
        name="benefits_consultation_new",
    ),
]

# The partner's side of a referral (coaching/views/partner.py): a partner contact's inbox and
# answer page, and the personal link in the e-mail (no login: it works for one referral).
urlpatterns += [
    path("partner/doorverwijzingen/", partner.partner_inbox, name="partner_inbox"),
    path("partner/doorverwijzingen/<int:pk>/", partner.partner_referral, name="partner_referral"),
    path("antwoord/<str:token>/", partner.referral_answer_link, name="referral_answer_link"),
]

# The Qredits application (issue 11): assembled by the staff of the resident's desk
# (coaching/views/applications.py); the resident sees hers and adds her documents.
urlpatterns += [
    path("plannen/<int:pk>/aanvraag/nieuw/", applications.application_new, name="application_new"),
    path("aanvragen/<int:pk>/", applications.application_detail, name="application_detail"),
    path("aanvragen/<int:pk>/wijzigen/", applications.application_edit, name="application_edit"),
    path("aanvragen/<int:pk>/identiteit/", applications.identity_seen, name="identity_seen"),
    path("aanvragen/<int:pk>/bijlagen/nieuw/", applications.enclosure_add, name="enclosure_add"),
    path("bijlagen/<int:pk>/", applications.enclosure_update, name="enclosure_update"),
    path("bijlagen/<int:pk>/bestand/", applications.upload_add, name="upload_add"),
    path("bestanden/<int:pk>/", applications.upload_download, name="upload_download"),
    path("bestanden/<int:pk>/verwijderen/", applications.upload_delete, name="upload_delete"),
    path("mijn-plan/aanvraag/", applications.own_application, name="own_application"),
    path(
        "mijn-plan/aanvraag/bijlagen/<int:pk>/bestand/",
        applications.own_upload_add,
        name="own_upload_add",
    ),
    # The pack: numbered PDF versions made by the worker (coaching/views/packs.py).
    path("aanvragen/<int:pk>/pakket/", packs.pack_new, name="pack_new"),
    path("pakketten/<int:pk>/", packs.pack_status, name="pack_status"),
    path("pakketten/<int:pk>/pdf/", packs.pack_pdf, name="pack_pdf"),
    path("pakketten/<int:pk>/verstuurd/", packs.pack_sent, name="pack_sent"),
    # The lender's decision and the business after it (coaching/views/outcomes.py).
    path("aanvragen/<int:pk>/besluit/", outcomes.application_decision, name="application_decision"),
    path("bewoners/<int:pk>/bedrijf/", outcomes.business_start, name="business_start"),
]
