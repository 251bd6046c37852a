"""The Qredits pack (issue 11): the application as one PDF that the lender can read without
asking for anything else — cover, a one-page summary, the plan as it was found ready, its five
budgets and each loan's repayment schedule, the review, the coach's recommendation and the
enclosures with their status — in Dutch, with a table of contents, page numbers and a header
with the desk and the date.

Each request makes a numbered version (``ApplicationPack``), rendered by the task worker
(``render_pack``) while the status page refreshes itself. A version that was sent is never
written again: a change makes the next number.

Safety: the PDF is rendered through ``ondernemerspunt.pdf``'s fetcher, which serves nothing but
our own static files, so plan text such as ``<img src="http://…">`` can make no request; and
every text of the resident or the coach goes into the templates autoescaped, as text.
"""

import datetime
import hashlib
import itertools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching import selectors
from coaching.applications import ApplicationRefused, plan_differences, ready_review
from coaching.models import ApplicationPack, Enclosure, LoanApplication, ReviewItem, Upload
from coaching.models.plans import Topic
from intake.models import Stage
from intake.services import IntakeError, change_stage
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.pdf import BASE_URL, static_only_fetcher
from ondernemerspunt.services import record_audit
from ondernemerspunt.worker import on_given_up

logger = logging.getLogger(__name__)

PACK_TEMPLATE = "coaching/pack/pack.html"
# A pack takes seconds. One still waiting or being made after this long is late: the page
# stops refreshing and says so, and a new request is no longer held back by it. (A worker that
# died is caught by the worker's stale-job check, which runs the job again or gives up on it:
# ``pack_given_up`` below.)
LATE_AFTER = datetime.timedelta(minutes=10)
IN_PROGRESS = (ApplicationPack.Status.QUEUED, ApplicationPack.Status.RENDERING)
# Applications a pack is made for: being assembled, or sent and waiting for the decision.
OPEN_STATUSES = (LoanApplication.Status.DRAFT, LoanApplication.Status.SUBMITTED)


class PackPending(ApplicationRefused):
    """A version of this application is still being made: no second one. ``pack`` is it."""

    def __init__(self, message, pack):
        super().__init__(message)
        self.pack = pack


def is_late(pack: ApplicationPack, now=None) -> bool:
    now = now or timezone.now()
    return pack.status in IN_PROGRESS and now - pack.requested_at > LATE_AFTER


def packs_of(application):
    """The application's versions, newest first, without their PDFs."""
    return ApplicationPack.objects.filter(application=application).defer("pdf")


# --- Asking for a version ---------------------------------------------------------------------
def request_pack(application: LoanApplication, by) -> ApplicationPack:
    """A new numbered version of the pack, queued for the task worker.

    Refused for an application that is decided or withdrawn, for a plan that is not (or no
    longer) ready for Qredits, and while another version is still being made. The task row is
    written in the same transaction as the version, so the worker never sees a version that was
    not committed; the application's row is locked, so two requests cannot take one number.
    """
    with transaction.atomic():
        locked = (
            LoanApplication.objects.select_for_update()
            .select_related("plan")
            .get(pk=application.pk)
        )
        if locked.status not in OPEN_STATUSES:
            raise ApplicationRefused(
                _(
                    "A pack is made only for an application that is being assembled or waits "
                    "for Qredits' decision."
                )
            )
        ready = ready_review(locked.plan)
        if ready is None:
            raise ApplicationRefused(
                _(
                    "This plan is not ready for Qredits: a concluded review must find its "
                    "latest version ready first."
                )
            )
        if ready.pk != locked.review_id:
            _move_onto(locked, ready, by)
        pending = [p for p in packs_of(locked).filter(status__in=IN_PROGRESS) if not is_late(p)]
        if pending:
            raise PackPending(
                _("Version %(number)s of the pack is still being made: wait until it is ready.")
                % {"number": pending[0].number},
                pending[0],
            )
        last = packs_of(locked).aggregate(last=Max("number"))["last"] or 0
        pack = ApplicationPack.objects.create(application=locked, number=last + 1, requested_by=by)
        record_audit(
            by=by,
            resident=locked.plan.resident,
            action=AuditEntry.Action.CREATED,
            what=gettext_lazy("Qredits pack version %(number)s requested"),
            params={"number": pack.number},
        )
        render_pack.enqueue(pack.pk)
    return pack


def _move_onto(application: LoanApplication, review, by) -> None:
    """A newer version of the plan was found ready since the application was started: the
    pack is made from the plan as it is now found ready, never from an older version. The
    application follows it (an open form of it is then out of date, and says so)."""
    LoanApplication.objects.filter(pk=application.pk).update(
        review=review, version=F("version") + 1, updated_at=timezone.now()
    )
    application.review = review
    record_audit(
        by=by,
        resident=application.plan.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Qredits application now built on version %(number)s of the plan"),
        params={"number": review.revision.number},
    )


# --- Making it (the task worker) --------------------------------------------------------------
@task()
def render_pack(pack_id: int) -> str:
    """Render one version to PDF and store it, with its number of pages.

    Safe to run twice (the worker runs a job again when its worker died halfway): a version that
    is ready, sent or given up on is left as it is, and only a version not yet ready is
    written. A failure is recorded on the version, so that its page says so.
    """
    pack = ApplicationPack.objects.defer("pdf").filter(pk=pack_id).first()
    if pack is None:
        return "deleted"
    if pack.status in (ApplicationPack.Status.READY, ApplicationPack.Status.FAILED):
        return pack.status
    if pack.sent_at is not None:
        return pack.status
    not_ready = ApplicationPack.objects.filter(
        pk=pack_id, status__in=IN_PROGRESS, sent_at__isnull=True
    )
    not_ready.update(status=ApplicationPack.Status.RENDERING)
    try:
        html = pack_html(pack)
        pdf, pages = pdf_of_html(html)
    except Exception:
        # The version's number only: the log holds nothing personal.
        logger.exception("Qredits pack %s could not be rendered", pack_id)
        not_ready.update(status=ApplicationPack.Status.FAILED)
        raise
    not_ready.update(
        pdf=pdf,
        pages=pages,
        content_hash=content_hash(html),
        status=ApplicationPack.Status.READY,
        rendered_at=timezone.now(),
    )
    return ApplicationPack.Status.READY


@on_given_up(render_pack)
def pack_given_up(pack_id: int) -> None:
    """Its worker died on every attempt (WeasyPrint out of memory, say): the page says failed,
    and the version never stays "being made"."""
    ApplicationPack.objects.filter(pk=pack_id, status__in=IN_PROGRESS).update(
        status=ApplicationPack.Status.FAILED
    )


def pdf_of_html(html: str) -> tuple[bytes, int]:
    """A pack's HTML as a PDF and its number of pages, through our static-only fetcher."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).render()
    return document.write_pdf(), len(document.pages)


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def pack_html(pack: ApplicationPack) -> str:
    """The pack's HTML, in the desk's language (Dutch), whoever asked for it."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(PACK_TEMPLATE, pack_context(pack))


# --- What goes in -----------------------------------------------------------------------------
def pack_context(pack: ApplicationPack) -> dict:
    """Everything the pack shows, read in a fixed number of queries."""
    application = LoanApplication.objects.select_related(
        "plan__resident__desk",
        "plan__resident__coach",
        "review__revision",
        "review__coach",
        "review__cosigned_by",
    ).get(pk=pack.application_id)
    review = application.review
    revision = review.revision
    resident = application.plan.resident
    items = list(
        ReviewItem.objects.filter(review=review)
        .select_related("item")
        .order_by("item__position", "id")
    )
    topics = dict(Topic.choices)
    review_groups = [
        {"label": topics.get(topic, topic), "items": list(group)}
        for topic, group in itertools.groupby(items, key=lambda row: row.item.topic)
    ]
    comments = list(review.comments.all())
    enclosures = list(
        Enclosure.objects.filter(application=application).prefetch_related(
            # The names of the files only: their content is not part of the pack.
            Prefetch("uploads", queryset=Upload.objects.only("enclosure_id", "name", "size"))
        )
    )
    sections = selectors.section_views(revision.section_data())
    figures = revision.figures
    return {
        "pack": pack,
        "application": application,
        "resident": resident,
        "desk": resident.desk,
        "coach": resident.coach,
        "revision": revision,
        "review": review,
        "review_groups": review_groups,
        "plan_comment": next((c for c in comments if not c.section), None),
        "part_comments": [c for c in comments if c.section],
        "text_sections": [view for view in sections if not view.section.is_budget],
        "budget_sections": [view for view in sections if view.section.is_budget],
        "figures": figures,
        "checks": revision.checks,
        "enclosures": enclosures,
        "has_files": any(enclosure.uploads.all() for enclosure in enclosures),
        "plan_differences": plan_differences(application, figures),
        # The version's date is the day it was asked for: the same however often it is
        # rendered, and the day a seeded version says.
        "made_on": timezone.localdate(pack.requested_at),
    }


# --- Sent to Qredits --------------------------------------------------------------------------
def mark_sent(pack: ApplicationPack, by) -> str:
    """Mark this version sent today: the version is kept as it is from now on; an application
    still being assembled is submitted today, and the resident moves to *submitted to Qredits*
    where her trajectory allows it.

    Idempotent: a version already sent is left alone. Returns a message about the stage when
    it could not follow (the pack is sent all the same), else "".
    """
    with transaction.atomic():
        locked = ApplicationPack.objects.select_for_update().defer("pdf").get(pk=pack.pk)
        if locked.sent_at is not None:
            pack.sent_at = locked.sent_at
            return ""
        if locked.status != ApplicationPack.Status.READY:
            raise ApplicationRefused(_("Only a version that is ready can be sent."))
        application = (
            LoanApplication.objects.select_for_update()
            .select_related("plan__resident")
            .get(pk=locked.application_id)
        )
        if application.status not in OPEN_STATUSES:
            raise ApplicationRefused(
                _("This application was decided or withdrawn: it is not sent again.")
            )
        why = why_not_current(locked, application)
        if why:
            raise ApplicationRefused(why)
        now = timezone.now()
        ApplicationPack.objects.filter(pk=locked.pk).update(sent_at=now)
        pack.sent_at = now
        today = timezone.localdate()
        if application.status == LoanApplication.Status.DRAFT:
            LoanApplication.objects.filter(pk=application.pk).update(
                status=LoanApplication.Status.SUBMITTED,
                submitted_on=today,
                version=application.version + 1,
                updated_at=now,
            )
        resident = application.plan.resident
        record_audit(
            by=by,
            resident=resident,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Qredits pack version %(number)s marked as sent"),
            params={"number": locked.number},
        )
        return _follow_stage(resident, today, by=by, number=locked.number)


def why_not_current(pack: ApplicationPack, application: LoanApplication) -> str:
    """Why this version may not be sent ("" when it may). Only the newest version is sent, and
    only while it shows the application as it is: a change since it was made (the request, a
    document, a newer version of the plan found ready) needs a new version first, or Qredits
    would get figures the desk no longer stands behind."""
    newest = packs_of(pack.application_id).aggregate(newest=Max("number"))["newest"]
    if pack.number != newest:
        return _("Version %(newer)s of the pack is newer: send that one.") % {"newer": newest}
    ready = ready_review(application.plan)
    if ready is not None and ready.pk != application.review_id:
        return _(
            "A newer version of the plan was found ready after this version was made. Make a "
            "new version of the pack (it is made from the newer plan) and send that one."
        )
    if pack.content_hash and pack.content_hash != content_hash(pack_html(pack)):
        return _(
            "The application changed after this version was made (the request, a document or "
            "the plan). Make a new version and send that one."
        )
    return ""


def _follow_stage(resident, today, *, by, number) -> str:
    """*Submitted to Qredits*, where the trajectory allows it from her stage; otherwise the
    stage stays and the message says why (change_stage runs in a savepoint of its own)."""
    if resident.stage == Stage.SUBMITTED:
        return ""
    if Stage.SUBMITTED not in resident.next_stages():
        return _(
            "The pack is marked as sent. The resident's stage stays '%(stage)s': from there the "
            "trajectory does not lead to '%(to)s'. Change the stage on the resident's page if "
            "needed."
        ) % {"stage": Stage(resident.stage).label, "to": Stage.SUBMITTED.label}
    try:
        with transaction.atomic():
            change_stage(
                resident=resident,
                to_stage=Stage.SUBMITTED,
                on=today,
                by=by,
                note=_("Qredits pack version %(number)s sent") % {"number": number},
            )
    except IntakeError as error:
        return error.message
    return ""
