from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from ondernemerspunt import second_factor, sessions
from ondernemerspunt.forms import LoginForm
from ondernemerspunt.http import require_GET_or_POST
from ondernemerspunt.views import desk, pages, progress

# Every view declares its methods (ondernemerspunt/http.py). Django's class-based views answer
# OPTIONS and treat PUT as POST, and some render before their own method check (a reset link
# that no longer works): so the methods are checked around them.
auth_patterns = [
    path(
        "inloggen/",
        require_GET_or_POST(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("uitloggen/", require_POST(auth_views.LogoutView.as_view()), name="logout"),
    path("tweede-stap/", second_factor.verify, name="second_factor_verify"),
    path("tweede-stap/instellen/", second_factor.setup, name="second_factor_setup"),
    path("tweede-stap/herstelcodes/", second_factor.codes, name="second_factor_codes"),
    path(
        "tweede-stap/herstelcodes.txt",
        second_factor.codes_download,
        name="second_factor_codes_download",
    ),
    path(
        "wachtwoord-vergeten/",
        require_GET_or_POST(pages.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        require_safe(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        require_GET_or_POST(pages.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        require_safe(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

progress_patterns = [
    path("voortgang/", progress.progress_index, name="progress_index"),
    path("voortgang/<slug:slug>/", progress.progress_desk, name="progress_desk"),
    path(
        "voortgang/<slug:slug>/<int:year>/", progress.progress_dashboard, name="progress_dashboard"
    ),
    path("voortgang/<slug:slug>/<int:year>.json", progress.progress_json, name="progress_json"),
    path("voortgang/<slug:slug>/<int:year>.csv", progress.progress_csv, name="progress_csv"),
    path(
        "voortgang/<slug:slug>/<int:year>/rapporten/",
        progress.progress_reports,
        name="progress_reports",
    ),
    path(
        "voortgang/<slug:slug>/rapporten/<int:pk>.pdf",
        progress.progress_report_pdf,
        name="progress_report_pdf",
    ),
]

# Desk management (issue 12): the coordinator of the desk only; the invitation link for staff.
_desk = "bureaus/<slug:slug>/beheer/"
desk_patterns = [
    path(_desk, desk.desk_manage, name="desk_manage"),
    path(f"{_desk}mensen/", desk.desk_people, name="desk_people"),
    path(f"{_desk}mensen/uitnodigen/", desk.desk_invite, name="desk_invite"),
    path(f"{_desk}mensen/<int:pk>/", desk.desk_membership_edit, name="desk_membership_edit"),
    path(
        f"{_desk}mensen/<int:pk>/deactiveren/",
        desk.desk_membership_deactivate,
        name="desk_membership_deactivate",
    ),
    path(
        f"{_desk}mensen/<int:pk>/heractiveren/",
        desk.desk_membership_reactivate,
        name="desk_membership_reactivate",
    ),
    path(
        f"{_desk}mensen/<int:pk>/uitnodiging/",
        desk.desk_invitation_resend,
        name="desk_invitation_resend",
    ),
    path(f"{_desk}instellingen/", desk.desk_settings, name="desk_settings"),
    path(f"{_desk}streefcijfers/", desk.desk_targets, name="desk_targets"),
    path(f"{_desk}streefcijfers/<int:year>/", desk.desk_target_edit, name="desk_target_edit"),
    path(f"{_desk}wijken/", desk.desk_neighbourhoods, name="desk_neighbourhoods"),
    path(
        f"{_desk}wijken/<int:pk>/",
        desk.desk_neighbourhood_edit,
        name="desk_neighbourhood_edit",
    ),
    path(
        f"{_desk}wijken/<int:pk>/verwijderen/",
        desk.desk_neighbourhood_delete,
        name="desk_neighbourhood_delete",
    ),
    path(f"{_desk}partners/", desk.desk_partners, name="desk_partners"),
    path(f"{_desk}partners/<int:pk>/", desk.desk_partner_edit, name="desk_partner_edit"),
    # Not under "uitnodiging/<token>/" alone: coaching's resident links live there.
    path(
        "uitnodiging/bureau/<uidb64>/<token>/",
        desk.invitation_accept_staff,
        name="invitation_accept_staff",
    ),
]

urlpatterns = [
    path("", pages.home, name="home"),
    *auth_patterns,
    path("taal/", require_POST(set_language), name="set_language"),
    path("sessie/verlengen/", sessions.keep_alive, name="session_keep_alive"),
    path("logboek/", pages.audit_trail, name="audit_trail"),
    path("logboek.csv", pages.audit_trail_csv, name="audit_trail_csv"),
    *progress_patterns,
    *desk_patterns,
    path("", include("intake.urls")),
    path("", include("coaching.urls")),
    path("beheer/", admin.site.urls),
]
