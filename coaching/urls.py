from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    # The resident's own plan: no plan number in these URLs, it is always their own.
    path("mijn-plan/", views.plan_home, name="plan_home"),
    path("mijn-plan/indienen/", views.plan_submit, name="plan_submit"),
    path("mijn-plan/afdrukken/", views.own_plan_print, name="own_plan_print"),
    path("mijn-plan/deel/<slug:section>/", views.section_edit, name="section_edit"),
    path("mijn-plan/deel/<slug:section>/concept/", views.section_autosave, name="section_autosave"),
    # The invitation link (no login: it is how a resident gets one).
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("uitnodiging/<str:token>/nieuwe-link/", views.invitation_renew, name="invitation_renew"),
    # Coaches and coordinators.
    path("bewoners/<int:pk>/uitnodigen/", views.resident_invite, name="resident_invite"),
    path("plannen/", views.plan_list, name="plan_list"),
    path("plannen/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plannen/<int:pk>/afdrukken/", views.plan_print, name="plan_print"),
    path("plannen/<int:pk>/versies/", views.revision_list, name="revision_list"),
    path("plannen/<int:pk>/versies/<int:number>/", views.revision_detail, name="revision_detail"),
    path("plannen/<int:pk>/vergelijken/", views.revision_compare, name="revision_compare"),
]
