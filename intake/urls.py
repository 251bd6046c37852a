from django.urls import path

from intake import correction_views, data_copy_views, erasure_views, views

app_name = "intake"

urlpatterns = [
    # Withdrawing consent, erasure and the retention period (intake/erasure_views.py).
    path(
        "bewoners/<int:pk>/toestemming/intrekken/",
        erasure_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("bewoners/<int:pk>/wissen/", erasure_views.resident_erase, name="resident_erase"),
    path("bewaartermijn/", erasure_views.retention_list, name="retention_list"),
    path("bewoners/", views.resident_list, name="resident_list"),
    path("bewoners/mijn/", views.my_residents, name="my_residents"),
    path("bewoners/nieuw/", views.resident_new, name="resident_new"),
    path("bewoners/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("bewoners/<int:pk>/wijzigen/", views.resident_edit, name="resident_edit"),
    path("bewoners/<int:pk>/gesprek/", views.conversation_new, name="conversation_new"),
    path("bewoners/<int:pk>/toestemming/", views.consent_record, name="consent_record"),
    path("bewoners/<int:pk>/fase/", views.stage_change, name="stage_change"),
    path("vervolgafspraken/<int:pk>/klaar/", views.next_step_done, name="next_step_done"),
    # A copy of one's data (intake/data_copy_views.py).
    path("bewoners/<int:pk>/gegevens/", data_copy_views.data_copy_page, name="data_copy"),
    path(
        "bewoners/<int:pk>/gegevens/json/",
        data_copy_views.data_copy_json,
        name="data_copy_json",
    ),
    path(
        "bewoners/<int:pk>/gegevens/<int:copy>/pdf/",
        data_copy_views.data_copy_pdf,
        name="data_copy_pdf",
    ),
    path("mijn-gegevens/", data_copy_views.own_data_copy_page, name="own_data_copy"),
    path("mijn-gegevens/json/", data_copy_views.own_data_copy_json, name="own_data_copy_json"),
    path(
        "mijn-gegevens/<int:copy>/pdf/",
        data_copy_views.own_data_copy_pdf,
        name="own_data_copy_pdf",
    ),
    # Corrections (intake/correction_views.py).
    path(
        "gesprekken/<int:pk>/wijzigen/",
        correction_views.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "vervolgafspraken/<int:pk>/wijzigen/",
        correction_views.next_step_edit,
        name="next_step_edit",
    ),
    path(
        "vervolgafspraken/<int:pk>/heropenen/",
        correction_views.next_step_reopen,
        name="next_step_reopen",
    ),
    path("bewoners/<int:pk>/coach/", correction_views.coach_change, name="coach_change"),
    path(
        "bewoners/<int:pk>/fase/rechtzetten/",
        correction_views.stage_correct,
        name="stage_correct",
    ),
]
