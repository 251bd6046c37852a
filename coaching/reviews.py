"""Reviewing a handed-in plan: the desk's checklist, the review of one version, its conclusion.

A version waits for review from the moment it is handed in until a review of it is concluded,
whatever the resident does to her plan in the meantime; only a newer hand-in replaces it (the
older version is then *superseded*, and reviewing it is refused). One coach at a time reviews a
version (a partial unique index); the resident sees a review only once it is concluded.

Writes take keyword-only arguments and raise ``ReviewError`` with a message for the user.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.checks import Status as CheckStatus
from coaching.models import (
    Checklist,
    ChecklistItem,
    PlanCheck,
    PlanRevision,
    Review,
    ReviewComment,
    ReviewItem,
    Topic,
    Verdict,
)
from coaching.notifications import notify_review_concluded
from intake.models import DropOutReason, Stage
from intake.services import IntakeError, change_stage
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit, record_desk_audit

# The checklist a desk starts with: what Qredits and the desk look at (issue 9).
DEFAULT_CHECKLIST = [
    (Topic.ENTREPRENEUR, gettext_lazy("Knowledge and skills for this business"), ""),
    (Topic.ENTREPRENEUR, gettext_lazy("Experience in the trade or as an entrepreneur"), ""),
    (Topic.ENTREPRENEUR, gettext_lazy("Motivation: why this business, why now"), ""),
    (Topic.IDEA, gettext_lazy("The idea is clearly described: product, customers, price"), ""),
    (Topic.MARKET, gettext_lazy("Enough market research, with sources"), ""),
    (Topic.MARKET, gettext_lazy("Competitors are known and compared"), ""),
    (Topic.MARKETING, gettext_lazy("Marketing plan: how customers are reached"), ""),
    (Topic.FINANCIAL, gettext_lazy("Investment and financing budgets agree"), PlanCheck.BALANCE),
    (Topic.FINANCIAL, gettext_lazy("Enough own funds"), PlanCheck.OWN_FUNDS),
    (Topic.FINANCIAL, gettext_lazy("Turnover forecast is realistic and explained"), ""),
    (
        Topic.FINANCIAL,
        gettext_lazy("Profit covers the household and the repayments"),
        PlanCheck.WITHDRAWALS,
    ),
    (Topic.FINANCIAL, gettext_lazy("Liquidity: cash never runs out"), PlanCheck.LIQUIDITY),
    (Topic.FINANCIAL, gettext_lazy("Loan within the Qredits maximum"), PlanCheck.LOAN),
    (Topic.LEGAL, gettext_lazy("Legal form chosen and explained"), ""),
    (Topic.LEGAL, gettext_lazy("Permits the business needs"), ""),
    (Topic.LEGAL, gettext_lazy("Insurance"), ""),
    (
        Topic.DOCUMENTS,
        gettext_lazy(
            "Documents Qredits will ask for: quotes, KvK extract, ID, BKR statement where needed"
        ),
        "",
    ),
]

TEXT_MAX = 5000  # one comment; a review has at most a few dozen of them


class ReviewError(Exception):
    """Something the coach should be told; ``message`` is translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Checklists -----------------------------------------------------------------------------
def current_checklist(desk) -> Checklist:
    """The desk's checklist as it is now: its highest version, made from the default the first
    time a desk needs one. The default is stored in Dutch, the desk's language, whatever
    language the coach who happens to need it first has chosen."""
    checklist = desk.checklists.order_by("-version").first()
    if checklist is None:
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                checklist = Checklist.objects.create(desk=desk, version=1)
                ChecklistItem.objects.bulk_create(
                    ChecklistItem(
                        checklist=checklist,
                        position=position,
                        topic=topic,
                        text=str(text),
                        check_key=check_key,
                    )
                    for position, (topic, text, check_key) in enumerate(DEFAULT_CHECKLIST, 1)
                )
        except IntegrityError:
            checklist = desk.checklists.order_by("-version").first()
    return checklist


@dataclass
class ItemDraft:
    """One item as the coordinator wants it; ``key`` is empty for a new item."""

    topic: str
    text: str
    check_key: str = ""
    key: str = ""


@transaction.atomic
def save_checklist(*, desk, items: list[ItemDraft], based_on: int, by) -> Checklist:
    """Save the coordinator's edit as the desk's next checklist version.

    ``based_on`` is the version the coordinator started from: when someone else saved a newer
    one since, nothing is saved. Reviews already made keep the version they were made with.
    """
    if not items:
        raise ReviewError(_("A checklist needs at least one point."))
    latest = desk.checklists.select_for_update().order_by("-version").first()
    latest_version = latest.version if latest else 0
    if based_on != latest_version:
        raise ReviewError(
            _(
                "Someone else saved the checklist in the meantime (version %(version)s). Your "
                "changes are still below; compare them and save again."
            )
            % {"version": latest_version}
        )
    checklist = Checklist.objects.create(desk=desk, version=latest_version + 1, created_by=by)
    known_keys = set(latest.items.values_list("key", flat=True)) if latest else set()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            position=position,
            topic=item.topic,
            text=item.text,
            check_key=item.check_key,
            # A point kept from the previous version keeps its key: the next review finds what
            # was said about it last time.
            **({"key": item.key} if item.key in known_keys else {}),
        )
        for position, item in enumerate(items, 1)
    )
    record_desk_audit(
        by=by,
        desk_id=desk.pk,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Review checklist saved as version %(version)s"),
        params={"version": checklist.version},
    )
    return checklist


# --- The queue ------------------------------------------------------------------------------
def waiting_revisions_of_plans():
    """Every version that waits for review: no newer version of its plan, no concluded
    review."""
    newer = PlanRevision.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
    concluded = Review.objects.filter(revision=OuterRef("pk"), status=Review.Status.CONCLUDED)
    return PlanRevision.objects.filter(~Exists(newer), ~Exists(concluded))


def waiting_revisions(desk_ids):
    """Versions waiting for review at these desks, oldest first: the latest version of each
    plan, handed in, with no concluded review. Each carries ``open_review`` (the draft or
    co-sign review, if a coach started one) through one prefetch."""
    return (
        waiting_revisions_of_plans()
        .filter(plan__resident__desk_id__in=desk_ids)
        .select_related("plan__resident__coach", "plan__resident__desk")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.exclude(status=Review.Status.CONCLUDED).select_related(
                    "coach"
                ),
                to_attr="open_reviews",
            )
        )
        .order_by("submitted_at", "id")
    )


def newer_revision(revision: PlanRevision) -> PlanRevision | None:
    """The plan's newest version when it is newer than ``revision`` (which is then superseded);
    None while ``revision`` is the newest."""
    return (
        PlanRevision.objects.filter(plan_id=revision.plan_id, number__gt=revision.number)
        .order_by("-number")
        .first()
    )


# --- One review -----------------------------------------------------------------------------
def suggested_verdict(check_status: str) -> str:
    """What a plan check says about its item: passing is *fine*; failing, or not computable
    because figures are missing, is *insufficient* until the coach says otherwise."""
    return Verdict.FINE if check_status == CheckStatus.OK else Verdict.INSUFFICIENT


def _refuse_if_superseded(revision: PlanRevision) -> None:
    if newer_revision(revision) is not None:
        raise ReviewError(
            _(
                "The resident has handed in a newer version since. Review the newest version "
                "instead; this one is kept as it is."
            )
        )


def start_review(*, revision: PlanRevision, by) -> Review:
    """Start reviewing ``revision`` against the desk's current checklist; items a plan check
    decides start from the check, and the work of an open review of an older version moves in
    (``review.carried_from``: that review, gone now, or None). Returns the coach's own open
    review if there is one."""
    open_review = revision.reviews.exclude(status=Review.Status.CONCLUDED).first()
    if open_review is not None:
        if open_review.coach_id == by.pk:
            open_review.carried_from = None
            return open_review
        raise ReviewError(_being_reviewed_message(open_review))
    _refuse_if_superseded(revision)
    desk = revision.plan.resident.desk
    checklist = current_checklist(desk)
    checks = {check.key: check for check in revision.checks}
    try:
        with transaction.atomic():
            review = Review.objects.create(revision=revision, checklist=checklist, coach=by)
            items = []
            for item in checklist.items.all():
                check = checks.get(item.check_key)
                status = check.status if check else ""
                items.append(
                    ReviewItem(
                        review=review,
                        item=item,
                        check_status=status,
                        verdict=suggested_verdict(status) if status else "",
                    )
                )
            ReviewItem.objects.bulk_create(items)
            review.carried_from = _carry_forward_stale(review, items, by=by)
    except IntegrityError:
        # Another coach started at the same moment: theirs is the open review.
        other = revision.reviews.exclude(status=Review.Status.CONCLUDED).first()
        raise ReviewError(_being_reviewed_message(other)) from None
    record_audit(
        by=by,
        resident=revision.plan.resident,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Review of business plan version %(number)s started"),
        params={"number": revision.number},
    )
    return review


def _carry_forward_stale(review: Review, items: list[ReviewItem], *, by) -> Review | None:
    """An open review of an older version of the plan can never be saved or concluded (the
    version is superseded): its work moves into ``review`` and the stale review goes. Verdicts
    and comments follow the checklist item's key where the point is still on the checklist; a
    point a plan check decides keeps the new check's verdict, unless the coach had overruled
    the check with a reason. Part comments follow their part. Returns the stale review carried
    over (the newest one, when there are several), or None."""
    revision = review.revision
    stale = list(
        Review.objects.select_for_update(of=("self",))
        .filter(revision__plan_id=revision.plan_id, revision__number__lt=revision.number)
        .exclude(status=Review.Status.CONCLUDED)
        .select_related("revision", "coach")
        .order_by("-revision__number")
    )
    if not stale:
        return None
    source = stale[0]
    before = {ri.item.key: ri for ri in source.items.select_related("item")}
    for review_item in items:
        old = before.get(review_item.item.key)
        if old is None:
            continue
        review_item.comment = old.comment
        if not review_item.check_status:
            review_item.verdict = old.verdict
        elif old.verdict and old.overrule_reason.strip():
            review_item.verdict, review_item.overrule_reason = old.verdict, old.overrule_reason
    ReviewItem.objects.bulk_update(items, ["verdict", "comment", "overrule_reason"])
    ReviewComment.objects.bulk_create(
        ReviewComment(review=review, section=comment.section, text=comment.text)
        for comment in source.comments.all()
    )
    for old_review in stale:
        record_audit(
            by=by,
            resident=revision.plan.resident,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy(
                "Unfinished review of business plan version %(old)s (by %(coach)s) carried over "
                "into the review of version %(new)s and removed"
            ),
            params={
                "old": old_review.revision.number,
                "coach": old_review.coach or "–",
                "new": revision.number,
            },
        )
    Review.objects.filter(pk__in=[r.pk for r in stale]).delete()
    return source


def _being_reviewed_message(review: Review | None) -> str:
    if review is None:
        return _("Another coach is reviewing this version.")
    return _("%(coach)s is already reviewing this version (since %(day)s).") % {
        "coach": review.coach or _("Another coach"),
        "day": timezone.localtime(review.started_at).strftime("%d-%m-%Y %H:%M"),
    }


@dataclass
class ItemAnswer:
    verdict: str = ""
    comment: str = ""
    overrule_reason: str = ""


@dataclass
class ReviewAnswers:
    """What the coach filled in on the review page."""

    items: dict  # ReviewItem pk -> ItemAnswer
    comments: dict  # section key ("" for the whole plan) -> text
    outcome: str = ""
    follow_up: str = ""
    follow_up_note: str = ""


def conclusion_problems(review: Review, answers: ReviewAnswers) -> dict[str, str]:
    """Why this review cannot be concluded yet, by form field name; empty when it can."""
    problems = {}
    for item in review.items.all():
        answer = answers.items.get(item.pk, ItemAnswer())
        if not answer.verdict:
            problems[f"verdict_{item.pk}"] = _("Choose a verdict for this point.")
        elif (
            item.check_status
            and answer.verdict != suggested_verdict(item.check_status)
            and not answer.overrule_reason.strip()
        ):
            problems[f"overrule_{item.pk}"] = _(
                "Your verdict differs from the check. Write down why."
            )
    if not answers.outcome:
        problems["outcome"] = _("Choose the outcome of the review.")
    elif answers.outcome == Review.Outcome.READY and any(
        answers.items.get(item.pk, ItemAnswer()).verdict == Verdict.INSUFFICIENT
        for item in review.items.all()
    ):
        problems["outcome"] = _(
            "A plan with points judged 'insufficient' is not ready for Qredits. Choose 'to be "
            "revised', or change the verdicts of those points."
        )
    elif answers.outcome == Review.Outcome.NOT_FEASIBLE:
        if not answers.follow_up:
            problems["follow_up"] = _("Choose what happens next: a referral or a stop.")
        if not answers.follow_up_note.strip():
            problems["follow_up_note"] = _(
                "Explain what happens next: where you refer the resident, or why it stops."
            )
    return problems


def edit_refusal(review: Review, by) -> str | None:
    """Why ``by`` may not change ``review`` now (a message), or None when she may: only the
    coach who started it, only while it is a draft."""
    if review.status == Review.Status.COSIGN:
        return _(
            "This review waits for a second coach to co-sign it. Take it back to draft to "
            "change it."
        )
    if review.status != Review.Status.DRAFT:
        return _("This review is concluded and cannot be changed.")
    if review.coach_id != by.pk:
        return _("Only the coach who started this review can change it.")
    return None


@transaction.atomic
def save_review(
    *, review: Review, answers: ReviewAnswers, version: int, by, site: str, conclude: bool = False
) -> Review:
    """Save the coach's verdicts and comments; with ``conclude``, conclude the review too.

    Only the coach who started the review changes it, only while it is a draft, only on the
    version the page was built from, and only while the plan version is not superseded. A save
    from a page built on an older version of the review is refused with ``field="version"``.
    When the review is concluded, ``review.stage_problem`` says why the stage could not follow
    (empty when it did).
    """
    refusal = edit_refusal(review, by)
    if refusal:
        raise ReviewError(refusal)
    _refuse_if_superseded(review.revision)
    if conclude:
        problems = conclusion_problems(review, answers)
        if problems:
            raise ReviewError(
                _("The review cannot be concluded yet: %(count)s points still need an answer.")
                % {"count": len(problems)}
            )
    status = Review.Status.DRAFT
    if conclude:
        needs_cosign = (
            answers.outcome == Review.Outcome.READY
            and review.revision.plan.resident.desk.review_cosign
        )
        status = Review.Status.COSIGN if needs_cosign else Review.Status.CONCLUDED
    fields = {
        "outcome": answers.outcome,
        "follow_up": answers.follow_up if answers.outcome == Review.Outcome.NOT_FEASIBLE else "",
        "follow_up_note": answers.follow_up_note
        if answers.outcome == Review.Outcome.NOT_FEASIBLE
        else "",
        "status": status,
    }
    updated = Review.objects.filter(pk=review.pk, version=version, status=Review.Status.DRAFT)
    if not updated.update(version=F("version") + 1, **fields):
        raise ReviewError(
            _(
                "This review was saved in another window in the meantime. Nothing is lost: what "
                "you typed is still below. Compare it with what is saved now, then save again "
                "to replace it."
            ),
            field="version",
        )
    # One list: without a prefetch, each ``review.items.all()`` is a fresh query, and the
    # second would save the items as they were.
    items = list(review.items.all())
    for item in items:
        answer = answers.items.get(item.pk, ItemAnswer())
        item.verdict, item.comment = answer.verdict, answer.comment
        item.overrule_reason = answer.overrule_reason
    ReviewItem.objects.bulk_update(items, ["verdict", "comment", "overrule_reason"])
    review.comments.all().delete()
    ReviewComment.objects.bulk_create(
        ReviewComment(review=review, section=section, text=text)
        for section, text in answers.comments.items()
        if text.strip()
    )
    review.refresh_from_db()
    review.stage_problem = ""
    if review.status == Review.Status.CONCLUDED:
        _conclude(review, by=by, site=site)
    elif review.status == Review.Status.COSIGN:
        record_audit(
            by=by,
            resident=review.revision.plan.resident,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy(
                "Review of business plan version %(number)s waits for a second coach"
            ),
            params={"number": review.revision.number},
        )
    return review


@transaction.atomic
def cosign_review(*, review: Review, by, site: str) -> Review:
    """A second coach agrees that the plan is ready for Qredits; never the reviewer herself,
    never on a superseded version. ``review.stage_problem`` as for ``save_review``."""
    if review.coach_id == by.pk:
        raise ReviewError(_("You cannot co-sign your own review. Ask another coach."))
    _refuse_if_superseded(review.revision)
    updated = Review.objects.filter(pk=review.pk, status=Review.Status.COSIGN).update(
        status=Review.Status.CONCLUDED, cosigned_by=by, cosigned_at=timezone.now()
    )
    if not updated:
        raise ReviewError(_("This review no longer waits for a co-signature."))
    review.refresh_from_db()
    _conclude(review, by=by, site=site)
    return review


@transaction.atomic
def reopen_review(*, review: Review, by) -> Review:
    """Take a review that waits for a co-signature back to draft (the second coach disagrees,
    or the reviewer wants to change something)."""
    updated = Review.objects.filter(pk=review.pk, status=Review.Status.COSIGN).update(
        status=Review.Status.DRAFT, version=F("version") + 1
    )
    if not updated:
        raise ReviewError(_("This review no longer waits for a co-signature."))
    review.refresh_from_db()
    record_audit(
        by=by,
        resident=review.revision.plan.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Review of business plan version %(number)s taken back to draft"),
        params={"number": review.revision.number},
    )
    return review


@transaction.atomic
def take_over_review(*, review: Review, by) -> Review:
    """Another coach (or the coordinator) of the desk continues someone else's draft, say
    while that coach is away. The caller reaches the review through ``coaching.access``, which
    lets only the desk's staff in. ``review.previous_coach`` is who had it."""
    if review.coach_id == by.pk:
        raise ReviewError(_("This review is already yours."))
    if review.status != Review.Status.DRAFT:
        raise ReviewError(_("Only a draft review can be taken over."))
    _refuse_if_superseded(review.revision)
    previous_coach = review.coach
    updated = Review.objects.filter(
        pk=review.pk, status=Review.Status.DRAFT, coach_id=review.coach_id
    ).update(coach=by, version=F("version") + 1)
    if not updated:
        raise ReviewError(_("This review changed in the meantime. Look at it again."))
    review.refresh_from_db()
    review.previous_coach = previous_coach
    record_audit(
        by=by,
        resident=review.revision.plan.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Review of business plan version %(number)s taken over from %(coach)s"),
        params={"number": review.revision.number, "coach": previous_coach or "–"},
    )
    return review


def _conclude(review: Review, *, by, site: str) -> None:
    """What follows a concluded review: its date, the stage, the audit line, the resident's
    e-mail (after the commit). ``review.stage_problem`` says why the stage could not follow,
    or is empty."""
    review.concluded_at = timezone.now()
    Review.objects.filter(pk=review.pk).update(concluded_at=review.concluded_at)
    resident = review.revision.plan.resident
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Review of business plan version %(number)s concluded: %(outcome)s"),
        params={"number": review.revision.number, "outcome": Review.Outcome(review.outcome).label},
    )
    review.stage_problem = _follow_stage(review, resident, by=by)
    notify_review_concluded(review, site=site)


def stage_after(review: Review, current: str) -> str | None:
    """The stage a concluded review moves the resident to, or None to stay.

    A plan being reviewed means coaching is under way: after *ready* or *revise*, someone
    still in *registered* or *intake*, or who had left (dropped out, referred out) and came
    back with a plan, moves into the trajectory. *Not feasible* ends it: a referral or a stop.
    """
    if review.outcome == Review.Outcome.NOT_FEASIBLE:
        if review.follow_up == Review.FollowUp.REFERRAL:
            return Stage.REFERRED_OUT if current != Stage.REFERRED_OUT else None
        return Stage.DROPPED_OUT if current != Stage.DROPPED_OUT else None
    if current in (Stage.REGISTERED, Stage.INTAKE, Stage.DROPPED_OUT, Stage.REFERRED_OUT):
        return Stage.IN_TRAJECTORY
    return None


def _follow_stage(review: Review, resident, *, by) -> str:
    """Move the resident to the stage the outcome asks for. A move the trajectory does not
    allow (no consent recorded, a stage change dated later) leaves the stage alone: the review
    stands, and the message returned tells the coach why, so that she changes the stage on the
    resident's page. change_stage runs in its own savepoint: nothing of it is half-saved."""
    to_stage = stage_after(review, resident.stage)
    if to_stage is None:
        return ""
    try:
        change_stage(
            resident=resident,
            to_stage=to_stage,
            on=timezone.localdate(),
            by=by,
            reason=DropOutReason.NOT_FEASIBLE if to_stage == Stage.DROPPED_OUT else "",
            note=review.follow_up_note
            or _("After the review of business plan version %(number)s")
            % {"number": review.revision.number},
        )
    except IntakeError as error:
        return error.message
    return ""


# --- Reading ---------------------------------------------------------------------------------
def items_with_their_points() -> Prefetch:
    """A review's items with their checklist points, in checklist order: one query for any
    number of reviews and points."""
    return Prefetch("items", queryset=ReviewItem.objects.select_related("item"))


def concluded_reviews(plan):
    """The plan's concluded reviews, newest first, with their comments; what a resident may
    see (never a draft)."""
    return (
        Review.objects.filter(revision__plan=plan, status=Review.Status.CONCLUDED)
        .select_related("revision", "coach", "cosigned_by")
        .prefetch_related("comments")
        .order_by("-concluded_at", "-id")
    )


def previous_concluded_review(review: Review) -> Review | None:
    """The last review concluded on an earlier version of the same plan."""
    return (
        Review.objects.filter(
            revision__plan_id=review.revision.plan_id,
            revision__number__lt=review.revision.number,
            status=Review.Status.CONCLUDED,
        )
        .select_related("revision")
        .prefetch_related("items__item", "comments")
        .order_by("-revision__number", "-concluded_at")
        .first()
    )
