from django.urls import path

from coaching.views import checklists, plans, reviews

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
