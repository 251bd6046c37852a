"""The info evenings for everyone, no login: a desk's coming evenings, an evening's page with
the registration form, the thank-you page, the calendar file and the cancel link from the mail.

Often a resident's first contact with the desk: plain Dutch, small pages, no crispy forms. The
form is guarded without a captcha (intake/evenings.py): a rate limit per client address on
every POST, a hidden field and a time check. A refusal never says which check failed.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from intake import evening_mail, evenings
from intake.access import public_evening_for
from intake.evening_links import registration_for_token
from intake.models import InfoEvening, Registration
from intake.public_evening_forms import PublicRegistrationForm
from ondernemerspunt.accounts import client_ip
from ondernemerspunt.http import add_refusal, posted, require_GET_or_POST, site_of
from ondernemerspunt.models import Desk

# The session key of the thank-you page: which evening, and registered or waiting. Nothing
# about the person, so a shared computer shows no one's details.
REGISTERED_KEY = "public_evening_registered"


def _coming(desk, now):
    """Published and cancelled evenings that have not started; never one being planned."""
    return evenings.with_counts(
        desk.info_evenings.filter(
            status__in=[InfoEvening.Status.PUBLISHED, InfoEvening.Status.CANCELLED],
            starts_at__gt=now,
        ).order_by("starts_at", "id")
    )


@require_safe
def evening_list(request, slug):
    desk = get_object_or_404(Desk, slug=slug)
    now = timezone.now()
    shown = list(_coming(desk, now))
    for evening in shown:
        evening.left = max(evening.capacity - evening.taken, 0)
        evening.open = evenings.is_open(evening, now)
    return render(request, "intake/public/evening_list.html", {"desk": desk, "evenings": shown})


def _or_call(desk) -> str:
    """ "Call us" only where there is a number to call."""
    if desk.phone:
        return _("Or call us: %(phone)s.") % {"phone": desk.phone}
    return ""


def _refused_too_often(desk):
    too_often = _("There were many registrations from your address. Try again in a few minutes.")
    return f"{too_often} {_or_call(desk)}".strip()


def _refused_as_automated(desk):
    refused = _(
        "We could not take your registration. Check your details, wait a moment and send the "
        "form again."
    )
    return f"{refused} {_or_call(desk)}".strip()


@never_cache  # the form carries a CSRF token and the moment it was shown
@require_GET_or_POST
def evening_page(request, slug, pk):
    evening = public_evening_for(slug, pk)
    now = timezone.now()
    # Every POST counts against the address, also one for a closed evening or with mistakes.
    allowed = request.method != "POST" or evenings.sign_up_allowed(client_ip(request), now)
    form, status = None, 200 if allowed else 429
    if evenings.is_open(evening, now):
        form = PublicRegistrationForm(posted(request), evening=evening)
        if not allowed:
            form.add_error(None, _refused_too_often(evening.desk))
        elif request.method == "POST":
            if form.looks_automated():
                form.add_error(None, _refused_as_automated(evening.desk))
            elif form.is_valid():
                try:
                    registration = evenings.register(
                        evening=evening,
                        fields=form.registration_fields(),
                        site=site_of(request),
                        language=translation.get_language(),
                    )
                except evenings.EveningError as error:
                    add_refusal(form, error)
                else:
                    request.session[REGISTERED_KEY] = {
                        "evening": evening.pk,
                        "waiting": registration.status == Registration.Status.WAITING,
                        "mail": bool(registration.email),
                    }
                    return redirect("intake:public_registered", slug=slug, pk=pk)
    return render(
        request,
        "intake/public/evening_page.html",
        _page_context(evening, form, now, too_often=not allowed),
        status=status,
    )


def _page_context(evening, form, now, *, too_often=False):
    left = evenings.places_left(evening)
    return {
        "evening": evening,
        "desk": evening.desk,
        "speakers": evening.speakers.select_related("partner", "coach"),
        "form": form,
        "stamp": form.fresh_stamp() if form is not None else "",
        "open": evenings.is_open(evening, now),
        "started": evening.starts_at <= now,
        "left": left,
        "full": left == 0,
        "erased_after": evenings.erased_after(evening),
        # Shown when there is no form to carry the message (a closed evening).
        "too_often": _refused_too_often(evening.desk) if too_often and form is None else "",
    }


@never_cache
@require_safe
def registered(request, slug, pk):
    evening = public_evening_for(slug, pk)
    done = request.session.get(REGISTERED_KEY)
    if not done or done.get("evening") != evening.pk:
        # Not from this browser's registration: nothing to thank for, the evening's page instead.
        return redirect("intake:public_evening", slug=slug, pk=pk)
    return render(
        request,
        "intake/public/registered.html",
        {
            "evening": evening,
            "desk": evening.desk,
            "waiting": done["waiting"],
            "mail": done["mail"],
        },
    )


@require_safe
def evening_ics(request, slug, pk):
    evening = public_evening_for(slug, pk)
    response = HttpResponse(
        evening_mail.evening_ics(evening, site=site_of(request)), content_type=evening_mail.ICS_TYPE
    )
    day = timezone.localdate(evening.starts_at).isoformat()
    response["Content-Disposition"] = f'attachment; filename="informatieavond-{day}.ics"'
    return response


@never_cache
@require_GET_or_POST
def cancel(request, token):
    """The cancel link from the mails. A GET only shows the button: mail scanners open links."""
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "intake/public/cancel_unknown.html", status=404)
    evening = registration.evening
    context = {"evening": evening, "desk": evening.desk, "state": _cancel_state(registration)}
    if request.method == "POST" and context["state"] == "can_cancel":
        try:
            cancelled = evenings.cancel_registration(registration=registration)
        except evenings.EveningError as error:
            context["state"], context["refusal"] = "refused", error.message
        else:
            context["state"] = "cancelled" if cancelled else "already"
    return render(request, "intake/public/cancel.html", context)


def _cancel_state(registration) -> str:
    evening = registration.evening
    if registration.status == Registration.Status.CANCELLED:
        return "already"
    if evening.status == InfoEvening.Status.CANCELLED:
        return "evening_cancelled"
    if evening.starts_at <= timezone.now() or evening.status == InfoEvening.Status.HELD:
        return "past"
    return "can_cancel"
