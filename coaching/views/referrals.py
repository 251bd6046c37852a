"""Referrals, the coach's side: consent to share with a partner (record, withdraw), what was
shared with whom and when (for the staff and for the resident herself), a referral from draft
to sent, taken back, and the desk's list. The rules are ``coaching.referrals``; the forms
``coaching.referral_forms``; the partner's side is ``coaching.views.partner``.

Every view loads its objects through an access helper: another desk's resident, referral or
consent answers 404, as does an erased file.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coaching import referrals, selectors
from coaching.access import partner_consent_for, referral_for
from coaching.referral_forms import (
    PartnerConsentForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawReferralForm,
    suggested_partner,
)
from intake.access import own_resident_for, resident_for
from ondernemerspunt import once
from ondernemerspunt.access import desk_ids_for, staff_required
from ondernemerspunt.http import add_refusal, bounded_version, require_GET_or_POST, site_of
from ondernemerspunt.models import AuditEntry, Membership, Partner, Role
from ondernemerspunt.once import already_saved
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit

PAGE_SIZE = 25
# Where the typing of a referral waits while the coach records the missing consent.
DRAFT_KEY = "referral_typing_{pk}"


def _partner_choices(desk_id):
    """The desk's partners with what they offer and their active contact people, shown where a
    coach chooses a partner; two queries."""
    partners = list(Partner.objects.filter(desk_id=desk_id))
    contacts = {}
    for membership in Membership.objects.filter(
        partner__in=partners, role=Role.PARTNER, is_active=True, user__is_active=True
    ).select_related("user"):
        contacts.setdefault(membership.partner_id, []).append(membership.user)
    for partner in partners:
        partner.contact_list = contacts.get(partner.pk, [])
    return partners


# --- Consent to share with a partner ----------------------------------------------------------
@login_required
@require_GET_or_POST
def partner_consent_new(request, pk):
    resident = resident_for(request, pk)
    initial = {}
    if request.GET.get("partner", "").isdigit():
        initial["partner"] = request.GET["partner"]
    back_to_referral = request.GET.get("terug") == "doorverwijzen"
    form = PartnerConsentForm(
        resident, request.POST if request.method == "POST" else None, initial=initial
    )
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with once.once(token) as submission:
                referrals.record_partner_consent(
                    resident=resident,
                    partner=data["partner"],
                    purpose=data["purpose"],
                    fields=data["fields"],
                    valid_until=data["valid_until"],
                    by=request.user,
                )
                target = (
                    reverse("coaching:referral_new", kwargs={"pk": resident.pk})
                    if back_to_referral
                    else reverse("intake:resident_detail", kwargs={"pk": resident.pk})
                )
                submission.saved(target)
            messages.success(
                request,
                _("Consent to share with %(partner)s recorded.") % {"partner": data["partner"]},
            )
            return redirect(target)
    except referrals.ReferralError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, resident.get_absolute_url())
    context = {
        "resident": resident,
        "form": form,
        "form_token": token,
        "partners": _partner_choices(resident.desk_id),
        "back_to_referral": back_to_referral,
    }
    return render(request, "coaching/referrals/consent_new.html", context)


@login_required
@require_POST
def partner_consent_withdraw(request, pk):
    consent = partner_consent_for(request, pk)
    try:
        referrals.withdraw_partner_consent(consent=consent, by=request.user)
    except referrals.ReferralError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Consent to share with %(partner)s withdrawn. From now on the partner sees "
                "nothing more than the name."
            )
            % {"partner": consent.partner},
        )
    return redirect(consent.resident)


# --- What was shared with whom and when -------------------------------------------------------
@login_required
@require_safe
def resident_sharing(request, pk):
    resident = resident_for(request, pk)
    record_audit(
        by=request.user,
        resident=resident,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("What was shared with partners viewed"),
    )
    context = {"resident": resident, **selectors.sharing_overview(resident)}
    return render(request, "coaching/referrals/resident_sharing.html", context)


@login_required
@require_safe
def own_sharing(request):
    resident = own_resident_for(request)
    context = {"resident": resident, **selectors.sharing_overview(resident)}
    return render(request, "coaching/referrals/own_sharing.html", context)


# --- A referral -------------------------------------------------------------------------------
def _initial_referral(request, resident, partners) -> dict:
    """From a conversation's support need (``?gesprek=…&behoefte=…``): the suggested partner;
    after recording a missing consent: what was typed before."""
    initial = {}
    need = request.GET.get("behoefte", "")
    conversation = request.GET.get("gesprek", "")
    if conversation.isdigit() and resident.conversations.filter(pk=conversation).exists():
        initial["gesprek"] = int(conversation)
        initial["behoefte"] = need
    suggestion = suggested_partner(partners, need, resident.situation)
    if suggestion is not None:
        initial["partner"] = suggestion.pk
    typed = request.session.pop(DRAFT_KEY.format(pk=resident.pk), None)
    if isinstance(typed, dict):
        initial.update(typed)
    return initial


@login_required
@require_GET_or_POST
def referral_new(request, pk):
    resident = resident_for(request, pk)
    partners = _partner_choices(resident.desk_id)
    if request.method == "POST":
        form = ReferralForm(resident, request.POST)
    else:
        form = ReferralForm(resident, initial=_initial_referral(request, resident, partners))
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with once.once(token) as submission:
                referral = referrals.create_referral(
                    resident=resident,
                    partner=data["partner"],
                    consent=data["consent"],
                    contact=data["contact"],
                    question=data["question"],
                    conversation=data["gesprek"],
                    support_need=data["behoefte"] or "",
                    by=request.user,
                )
                url = reverse("coaching:referral_detail", kwargs={"pk": referral.pk})
                submission.saved(url)
            messages.success(
                request,
                _("The referral is saved as a draft. Nothing is shared until you send it."),
            )
            return redirect(url)
    except referrals.ReferralError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, resident.get_absolute_url())
    if form.no_consent_for is not None:
        # Kept for when the coach comes back from recording the consent.
        request.session[DRAFT_KEY.format(pk=resident.pk)] = {
            "partner": form.no_consent_for.pk,
            "contact": request.POST.get("contact", ""),
            "question": request.POST.get("question", "")[:2000],
            "gesprek": request.POST.get("gesprek", ""),
            "behoefte": request.POST.get("behoefte", ""),
        }
    context = {
        "resident": resident,
        "form": form,
        "form_token": token,
        "partners": partners,
    }
    return render(request, "coaching/referrals/referral_new.html", context)


def _detail(request, referral, *, withdraw_form=None, status=200):
    events = list(referral.events.select_related("by"))
    context = {
        "referral": referral,
        "resident": referral.resident,
        "events": events,
        "shared": referrals.shared_with_partner(referral),
        "consent_valid": referral.consent.is_valid(),
        "overdue": referral.is_overdue(),
        "withdraw_form": withdraw_form
        or WithdrawReferralForm(initial={"version": referral.version}),
        "may_withdraw": referral.status in (referral.Status.CONCEPT, referral.Status.SENT),
    }
    return render(request, "coaching/referrals/referral_detail.html", context, status=status)


@login_required
@require_safe
def referral_detail(request, pk):
    referral = referral_for(request, pk)
    record_audit(
        by=request.user,
        resident=referral.resident,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Referral to %(partner)s viewed"),
        params={"partner": referral.partner.name},
    )
    return _detail(request, referral)


@login_required
@require_POST
def referral_send(request, pk):
    referral = referral_for(request, pk)
    try:
        referrals.send_referral(
            referral=referral,
            by=request.user,
            version=bounded_version(request.POST.get("version")),
            site=site_of(request),
        )
    except referrals.ReferralError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The referral is sent to %(partner)s. They get an e-mail with a link.")
            % {"partner": referral.partner},
        )
    return redirect("coaching:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_resend(request, pk):
    referral = referral_for(request, pk)
    try:
        referrals.resend_referral(referral=referral, by=request.user, site=site_of(request))
    except referrals.ReferralError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new link is on its way to %(partner)s; the old one no longer works.")
            % {"partner": referral.partner},
        )
    return redirect("coaching:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_withdraw(request, pk):
    referral = referral_for(request, pk)
    form = WithdrawReferralForm(request.POST)
    if form.is_valid():
        try:
            referrals.withdraw_referral(
                referral=referral,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except referrals.StaleReferral as error:
            messages.error(request, error.message)
            return redirect("coaching:referral_detail", pk=referral.pk)
        except referrals.ReferralError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The referral is taken back."))
            return redirect("coaching:referral_detail", pk=referral.pk)
    return _detail(request, referral, withdraw_form=form)


# --- The desk's referrals ---------------------------------------------------------------------
@staff_required
@require_safe
def referral_list(request):
    desk_ids = desk_ids_for(request.user)
    form = ReferralFilterForm(desk_ids, request.GET or None)
    found = form.filter_qs(selectors.referrals_of_desks(desk_ids))
    page = paginate(request, found, per_page=PAGE_SIZE)
    context = {"form": form, "page": page}
    return render(request, "coaching/referrals/referral_list.html", context)
