from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("bewoners/", views.resident_list, name="resident_list"),
    path("bewoners/mijn/", views.my_residents, name="my_residents"),
    path("bewoners/nieuw/", views.resident_new, name="resident_new"),
    path("bewoners/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("bewoners/<int:pk>/wijzigen/", views.resident_edit, name="resident_edit"),
    path("bewoners/<int:pk>/gesprek/", views.conversation_new, name="conversation_new"),
    path("bewoners/<int:pk>/toestemming/", views.consent_record, name="consent_record"),
    path("bewoners/<int:pk>/fase/", views.stage_change, name="stage_change"),
    path("vervolgafspraken/<int:pk>/klaar/", views.next_step_done, name="next_step_done"),
]
