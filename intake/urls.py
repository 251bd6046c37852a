from django.urls import path

from intake.views import corrections, data_copies, erasure, evenings, public_evenings, residents

app_name = "intake"

urlpatterns = [
    # Withdrawing consent, erasure and the retention period (intake/erasure.py).
    path(
        "bewoners/<int:pk>/toestemming/intrekken/",
        erasure.consent_withdraw,
        name="consent_withdraw",
    ),
    path("bewoners/<int:pk>/wissen/", erasure.resident_erase, name="resident_erase"),
    path("bewaartermijn/", erasure.retention_list, name="retention_list"),
    path("bewoners/", residents.resident_list, name="resident_list"),
    path("bewoners/mijn/", residents.my_residents, name="my_residents"),
    path("bewoners/nieuw/", residents.resident_new, name="resident_new"),
    path("bewoners/<int:pk>/", residents.resident_detail, name="resident_detail"),
    path("bewoners/<int:pk>/wijzigen/", residents.resident_edit, name="resident_edit"),
    path("bewoners/<int:pk>/gesprek/", residents.conversation_new, name="conversation_new"),
    path("bewoners/<int:pk>/toestemming/", residents.consent_record, name="consent_record"),
    path("bewoners/<int:pk>/fase/", residents.stage_change, name="stage_change"),
    path("vervolgafspraken/<int:pk>/klaar/", residents.next_step_done, name="next_step_done"),
    # A copy of one's data (intake/data_copies.py).
    path("bewoners/<int:pk>/gegevens/", data_copies.data_copy_page, name="data_copy"),
    path(
        "bewoners/<int:pk>/gegevens/json/",
        data_copies.data_copy_json,
        name="data_copy_json",
    ),
    path(
        "bewoners/<int:pk>/gegevens/<int:copy>/pdf/",
        data_copies.data_copy_pdf,
        name="data_copy_pdf",
    ),
    path("mijn-gegevens/", data_copies.own_data_copy_page, name="own_data_copy"),
    path("mijn-gegevens/json/", data_copies.own_data_copy_json, name="own_data_copy_json"),
    path(
        "mijn-gegevens/<int:copy>/pdf/",
        data_copies.own_data_copy_pdf,
        name="own_data_copy_pdf",
    ),
    # Corrections (intake/corrections.py).
    path(
        "gesprekken/<int:pk>/wijzigen/",
        corrections.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "vervolgafspraken/<int:pk>/wijzigen/",
        corrections.next_step_edit,
        name="next_step_edit",
    ),
    path(
        "vervolgafspraken/<int:pk>/heropenen/",
        corrections.next_step_reopen,
        name="next_step_reopen",
    ),
    path("bewoners/<int:pk>/coach/", corrections.coach_change, name="coach_change"),
    path(
        "bewoners/<int:pk>/fase/rechtzetten/",
        corrections.stage_correct,
        name="stage_correct",
    ),
    # Info evenings, for the desk's coaches and coordinators (intake/views/evenings.py).
    path("informatieavonden/", evenings.evening_list, name="evening_list"),
    path("informatieavonden/nieuw/", evenings.evening_new, name="evening_new"),
    path("informatieavonden/<int:pk>/", evenings.evening_detail, name="evening_detail"),
    path("informatieavonden/<int:pk>/wijzigen/", evenings.evening_edit, name="evening_edit"),
    path(
        "informatieavonden/<int:pk>/publiceren/", evenings.evening_publish, name="evening_publish"
    ),
    path("informatieavonden/<int:pk>/annuleren/", evenings.evening_cancel, name="evening_cancel"),
    path("informatieavonden/<int:pk>/gehouden/", evenings.evening_held, name="evening_held"),
    path("informatieavonden/<int:pk>/sprekers/", evenings.speaker_add, name="speaker_add"),
    path("sprekers/<int:pk>/verwijderen/", evenings.speaker_remove, name="speaker_remove"),
    path("informatieavonden/<int:pk>/deur/", evenings.evening_door, name="evening_door"),
    path(
        "aanmeldingen/<int:pk>/aanwezig/",
        evenings.registration_attended,
        name="registration_attended",
    ),
    path(
        "aanmeldingen/<int:pk>/dossier/",
        evenings.registration_to_resident,
        name="registration_to_resident",
    ),
    path(
        "aanmeldingen/<int:pk>/contactpersoon/",
        evenings.registration_to_contact,
        name="registration_to_contact",
    ),
    # Info evenings for everyone, no login (intake/views/public_evenings.py).
    path("avonden/<slug:slug>/", public_evenings.evening_list, name="public_evenings"),
    path("avonden/<slug:slug>/<int:pk>/", public_evenings.evening_page, name="public_evening"),
    path(
        "avonden/<slug:slug>/<int:pk>/aangemeld/",
        public_evenings.registered,
        name="public_registered",
    ),
    path(
        "avonden/<slug:slug>/<int:pk>/agenda.ics",
        public_evenings.evening_ics,
        name="public_evening_ics",
    ),
    path("avonden/afmelden/<str:token>/", public_evenings.cancel, name="registration_cancel"),
]
