"""The partner's side of a referral: a partner contact's inbox and the referral page where she
reads what the resident shares and answers; the same page, for that one referral only, behind
the personal link in the e-mail (no login).

What the partner sees of the resident is read from the consent now
(``coaching.referrals.shared_with_partner``): her name, and the consented fields while the
consent is valid. Every page that shows it writes an audit line.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coaching.access import partner_referral_for
from coaching.models import Referral, ReferralLink
from coaching.partner_forms import AnswerForm, InboxFilterForm
from coaching.referral_links import find_link
from coaching.referrals import (
    ReferralError,
    StaleReferral,
    answer_referral,
    inbox_of,
    shared_with_partner,
)
from ondernemerspunt.access import role_required
from ondernemerspunt.http import require_GET_or_POST, site_of
from ondernemerspunt.models import AuditEntry, Role
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit

Status = Referral.Status
PAGE_SIZE = 25
HOME_ITEMS = 5  # open referrals on the partner contact's home page
OPEN = (Status.SENT, Status.IN_PROGRESS)
# What the referral page shows besides the referral (as ``partner_referral_for`` loads it).
REFERRAL_PAGE_RELATED = ("partner", "resident", "consent", "desk", "created_by")


def _inbox(user):
    """The partner contact's referrals, open ones first, newest first."""
    return (
        inbox_of(user)
        .filter(resident__erased_at__isnull=True)
        .annotate(
            closed=Case(
                When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed", "-sent_at", "-id")
    )


def partner_home_items(desk, user) -> dict:
    """The open referrals to the contact's organisation at this desk, for her home page
    (registered in ``coaching.apps``)."""
    referrals = _inbox(user).filter(desk=desk, status__in=OPEN)
    return {
        "partner_referrals": {
            "referrals": list(referrals[:HOME_ITEMS]),
            "count": referrals.count(),
            "today": timezone.localdate(),
        }
    }


@role_required(Role.PARTNER)
@require_safe
def partner_inbox(request):
    form = InboxFilterForm(request.GET or None)
    page = paginate(request, form.filter_qs(_inbox(request.user)), per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "today": timezone.localdate()}
    return render(request, "coaching/partner/inbox.html", context)


# --- One referral: logged in, or through the link ---------------------------------------------
def _referral_page(request, referral, *, link=None, form=None, conflict=None, unsaved=""):
    """The referral as the partner may see it, with the answer form while it is open; reading
    the resident's shared data is an audit line."""
    record_audit(
        by=request.user if link is None else referral.created_by,
        resident=referral.resident,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Referral read by %(partner)s")
        if link is None
        else gettext_lazy("Referral read by %(partner)s through the e-mail link"),
        params={"partner": referral.partner.name},
    )
    if form is None and referral.is_open:
        form = AnswerForm(referral)
    events = list(referral.events.exclude(status=Status.CONCEPT))
    # Taken back by the desk before the partner answered (the only way a referral is declined
    # without an answer): its reason is the desk's own, and nothing but the name stays shared.
    taken_back = referral.status == Status.DECLINED and referral.answered_at is None
    shared = shared_with_partner(referral)
    context = {
        "referral": referral,
        "shared": shared[:1] if taken_back else shared,
        "sharing": referral.consent.is_valid() and not taken_back,
        "coach": referral.created_by,
        "taken_back": taken_back,
        "events": events,
        "form": form if referral.is_open else None,
        "link": link,
        "conflict": conflict,
        "unsaved": unsaved,
        "today": timezone.localdate(),
    }
    return render(request, "coaching/partner/referral.html", context)


def _answer(request, referral, *, link=None):
    """Answer from the posted form: None when saved, else the page to show again (typing
    kept)."""
    form = AnswerForm(referral, request.POST)
    if not form.is_valid():
        return _referral_page(request, referral, link=link, form=form)
    data = form.cleaned_data
    try:
        answer_referral(
            referral=referral,
            status=data["status"],
            note=data["note"],
            by=None if link is not None else request.user,
            link=link,
            version=data["version"],
            site=site_of(request),
        )
    except StaleReferral as error:
        referral.refresh_from_db()
        # Show the answer again on the version stored now: sending it once more is a choice.
        posted = request.POST.copy()
        posted["version"] = str(referral.version)
        form = AnswerForm(referral, posted) if referral.is_open else None
        return _referral_page(
            request,
            referral,
            link=link,
            form=form,
            conflict=error.message,
            unsaved=data["note"],
        )
    except ReferralError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _referral_page(request, referral, link=link, form=form)
    return None


@login_required
@require_GET_or_POST
def partner_referral(request, pk):
    referral = partner_referral_for(request, pk)
    if request.method == "POST":
        if not referral.is_open:
            messages.error(request, _("This referral is closed. It cannot be answered any more."))
            return redirect("coaching:partner_referral", pk=referral.pk)
        page = _answer(request, referral)
        if page is not None:
            return page
        messages.success(request, _("Your answer was saved. The coach is told by e-mail."))
        return redirect("coaching:partner_referral", pk=referral.pk)
    return _referral_page(request, referral)


# --- The personal link in the e-mail ----------------------------------------------------------
VALID, USED, EXPIRED, REPLACED, UNKNOWN = "valid", "used", "expired", "replaced", "unknown"


def link_state(link: ReferralLink | None) -> str:
    if link is None:
        return UNKNOWN
    referral = link.referral
    # Nothing was ever sent for a draft; an erased file has nothing left to show.
    if referral.status == Status.CONCEPT or referral.resident.erased_at is not None:
        return UNKNOWN
    if link.used_at is not None:
        return USED
    if link.is_usable():
        return VALID
    newer = ReferralLink.objects.filter(referral=referral, created_at__gt=link.created_at)
    return REPLACED if newer.exists() else EXPIRED


def _private(response):
    """The token is in the address: never in another site's Referer header, and the page never
    in a cache (never_cache sets Cache-Control)."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET_or_POST
def referral_answer_link(request, token):
    link = find_link(token)
    state = link_state(link)
    if state != VALID:
        return _private(render(request, "coaching/partner/link_problem.html", {"state": state}))
    referral = Referral.objects.select_related(*REFERRAL_PAGE_RELATED).get(pk=link.referral_id)
    if request.method == "POST":
        if not referral.is_open:
            messages.error(request, _("This referral is closed. It cannot be answered any more."))
            return _private(redirect("coaching:referral_answer_link", token=token))
        page = _answer(request, referral, link=link)
        if page is not None:
            return _private(page)
        messages.success(request, _("Thank you. Your answer was sent to the coach."))
        return _private(redirect("coaching:referral_answer_link", token=token))
    return _private(_referral_page(request, referral, link=link))
