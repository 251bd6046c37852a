"""Reviewing handed-in plans: the desk's queue, the review of one version (verdicts per
checklist item, comments per part, the outcome), co-signing; and the resident's reading of her
concluded reviews. The rules are ``coaching.reviews``; the page's form ``coaching.review_forms``.

Every look at a review, whatever the method, is a line in the audit trail. The queue, like the
other lists of the desk, is not: only a search of a list is
(``intake.views.residents._audit_search``), and the queue has none.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coaching import reviews, selectors
from coaching.access import plan_for, review_for
from coaching.models import Review
from coaching.review_forms import ReviewForm, item_groups, part_rows
from ondernemerspunt.access import desk_ids_for, staff_required
from ondernemerspunt.http import require_GET_or_POST, site_of
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit

PAGE_SIZE = 25


# --- The queue ------------------------------------------------------------------------------
class QueueFilterForm(forms.Form):
    mijn = forms.BooleanField(label=gettext_lazy("Only residents I coach"), required=False)

    def filter_qs(self, queryset, user):
        if self.is_valid() and self.cleaned_data["mijn"]:
            queryset = queryset.filter(plan__resident__coach=user)
        return queryset


@staff_required
@require_safe
def review_queue(request):
    form = QueueFilterForm(request.GET or None)
    waiting = form.filter_qs(reviews.waiting_revisions(desk_ids_for(request.user)), request.user)
    page = paginate(request, waiting, per_page=PAGE_SIZE)
    return render(request, "coaching/review_queue.html", {"form": form, "page": page})


# --- Starting a review ----------------------------------------------------------------------
def _audit(request, plan, what, params=None):
    record_audit(
        by=request.user,
        resident=plan.resident,
        action=AuditEntry.Action.VIEWED,
        what=what,
        params=params,
    )


@login_required
@require_GET_or_POST
def review_start(request, pk, number):
    plan = plan_for(request, pk)
    revision = get_object_or_404(plan.revisions, number=number)
    revision.plan = plan
    if request.method == "POST":
        try:
            review = reviews.start_review(revision=revision, by=request.user)
        except reviews.ReviewError as error:
            messages.error(request, error.message)
            return redirect("coaching:review_start", pk=plan.pk, number=number)
        if review.carried_from is not None:
            messages.info(
                request,
                _(
                    "The unfinished review of version %(number)s by %(coach)s is carried over "
                    "into this one. Check every point against the new version."
                )
                % {
                    "number": review.carried_from.revision.number,
                    "coach": review.carried_from.coach or _("another coach"),
                },
            )
        return redirect("coaching:review_detail", pk=plan.pk, review=review.pk)
    _audit(
        request,
        plan,
        gettext_lazy("Reviews of business plan version %(number)s viewed"),
        {"number": number},
    )
    all_reviews = list(revision.reviews.select_related("coach", "cosigned_by"))
    open_review = next((r for r in all_reviews if r.is_open), None)
    if open_review is not None and open_review.coach_id == request.user.pk:
        return redirect("coaching:review_detail", pk=plan.pk, review=open_review.pk)
    context = {
        "plan": plan,
        "revision": revision,
        "concluded": [r for r in all_reviews if not r.is_open],
        "open_review": open_review,
        "newest": reviews.newer_revision(revision),
    }
    return render(request, "coaching/review_start.html", context)


# --- One review -----------------------------------------------------------------------------
def _review(request, pk, review_pk) -> Review:
    """The review through the access helper, with its items and comments: one query each,
    however long the checklist."""
    review = review_for(request, pk, review_pk)
    prefetch_related_objects([review], reviews.items_with_their_points(), "comments")
    return review


@login_required
@require_GET_or_POST
def review_detail(request, pk, review):
    review = _review(request, pk, review)
    revision, plan = review.revision, review.revision.plan
    _audit(
        request,
        plan,
        gettext_lazy("Review of business plan version %(number)s viewed"),
        {"number": revision.number},
    )
    refusal = reviews.edit_refusal(review, request.user)
    form = None
    if request.method == "POST" and refusal:
        # Not hers, or not a draft: the message, and the review to read (no form).
        messages.error(request, refusal)
    elif request.method == "POST":
        form = ReviewForm(review, request.POST, conclude="conclude" in request.POST)
        if form.is_valid():
            try:
                saved = reviews.save_review(
                    review=review,
                    answers=form.answers(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                    site=site_of(request),
                    conclude=form.conclude,
                )
            except reviews.ReviewError as error:
                messages.error(request, error.message)
                if error.field == "version":
                    form = _on_current_version(review, request.POST, conclude=form.conclude)
            else:
                return _saved(request, saved)
    elif not refusal:
        form = ReviewForm(review)
    previous = reviews.previous_concluded_review(review)
    newest = reviews.newer_revision(revision) if review.is_open else None
    context = {
        "plan": plan,
        "revision": revision,
        "review": review,
        "form": form,
        "groups": item_groups(review, form=form, previous=previous),
        "parts": part_rows(review, form=form, previous=previous),
        "previous": previous,
        "changes": (
            selectors.compare_sections(previous.revision.section_data(), revision.section_data())
            if previous
            else None
        ),
        "newest": newest,
        "own_review": review.coach_id == request.user.pk,
        "may_cosign": (
            review.status == Review.Status.COSIGN
            and review.coach_id != request.user.pk
            and newest is None
        ),
        "may_take_over": (
            review.status == Review.Status.DRAFT
            and review.coach_id != request.user.pk
            and newest is None
        ),
        "sections": selectors.section_views(revision.section_data()),
        "figures": revision.figures,
        "checks": revision.checks,
    }
    return render(request, "coaching/review_detail.html", context)


def _on_current_version(review, data, *, conclude):
    """The form as it was sent, now based on the version saved in another window: what was
    typed stays, and saving once more is a deliberate choice to replace it."""
    data = data.copy()
    data["version"] = str(Review.objects.values_list("version", flat=True).get(pk=review.pk))
    return ReviewForm(review, data, conclude=conclude)


def _stage_warning(request, review):
    if review.stage_problem:
        messages.warning(
            request,
            _(
                "The stage of the resident did not change: %(reason)s You can change the stage "
                "on the resident's page."
            )
            % {"reason": review.stage_problem},
        )


def _saved(request, review):
    if review.status == Review.Status.CONCLUDED:
        messages.success(request, _("The review is concluded. The resident can read it now."))
    elif review.status == Review.Status.COSIGN:
        messages.success(
            request, _("The review waits for a second coach to co-sign 'ready for Qredits'.")
        )
    else:
        messages.success(request, _("Draft saved. The resident does not see it yet."))
    _stage_warning(request, review)
    return redirect("coaching:review_detail", pk=review.revision.plan_id, review=review.pk)


@login_required
@require_POST
def review_cosign(request, pk, review):
    review = review_for(request, pk, review)
    try:
        reviews.cosign_review(review=review, by=request.user, site=site_of(request))
    except reviews.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Co-signed. The review is concluded."))
        _stage_warning(request, review)
    return redirect("coaching:review_detail", pk=pk, review=review.pk)


@login_required
@require_POST
def review_reopen(request, pk, review):
    review = review_for(request, pk, review)
    try:
        reviews.reopen_review(review=review, by=request.user)
    except reviews.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The review is a draft again."))
    return redirect("coaching:review_detail", pk=pk, review=review.pk)


@login_required
@require_POST
def review_take_over(request, pk, review):
    """Continue another coach's draft (she is away, say): it becomes the user's own."""
    review = review_for(request, pk, review)
    try:
        reviews.take_over_review(review=review, by=request.user)
    except reviews.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You took over the review from %(coach)s. It is yours to continue now.")
            % {"coach": review.previous_coach or _("another coach")},
        )
    return redirect("coaching:review_detail", pk=pk, review=review.pk)
