from django.urls import path

from coaching.views import checklists, mentors, partner, plans, referrals, reviews

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
