"""E-mails that tell the other side a plan moved: handed in (to the coach), reviewed (to the
resident).

The service queues the mail only once its transaction has committed (nobody is told of a hand-in
that rolled back), and the background worker sends it (SMTP takes its time; a page must not wait
for it). A mail carries a link, never the plan's content: mailboxes are not private enough.
``site`` is the scheme and host the request came in on, so the link points where the user was.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coaching.models import PlanRevision, Referral, Review
from coaching.referral_links import new_link
from ondernemerspunt.models import Membership, Role


def notify_plan_submitted(revision, *, site: str) -> None:
    transaction.on_commit(
        lambda: send_plan_submitted_mail.enqueue(revision_id=revision.pk, site=site)
    )


def notify_referral_sent(referral, *, site: str) -> None:
    transaction.on_commit(lambda: send_referral_mail.enqueue(referral_id=referral.pk, site=site))


def notify_referral_answered(referral, *, site: str) -> None:
    transaction.on_commit(
        lambda: send_referral_answered_mail.enqueue(referral_id=referral.pk, site=site)
    )


def notify_review_concluded(review, *, site: str) -> None:
    transaction.on_commit(
        lambda: send_review_concluded_mail.enqueue(review_id=review.pk, site=site)
    )


def coaches_to_tell(resident) -> list[str]:
    """The resident's coach; at a desk where she has none (or an inactive one), its
    coordinators, so that a hand-in never goes unnoticed."""
    coach = resident.coach
    if (
        coach is not None
        and coach.is_active
        # Deactivated at this desk (desk management), though perhaps still at another.
        and Membership.objects.filter(user=coach, desk_id=resident.desk_id, is_active=True).exists()
    ):
        return [coach.email]
    return sorted(
        Membership.objects.filter(
            desk_id=resident.desk_id, role=Role.COORDINATOR, is_active=True, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _send(template: str, context: dict, to: list[str], reply_to=None) -> None:
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        EmailMessage(
            subject=render_to_string(f"coaching/email/{template}_subject.txt", context).strip(),
            body=render_to_string(f"coaching/email/{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
            reply_to=reply_to,
        ).send()


@task()
def send_plan_submitted_mail(*, revision_id: int, site: str) -> None:
    revision = (
        PlanRevision.objects.select_related("plan__resident__coach", "plan__resident__desk")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        return  # the plan was erased before the worker got to it
    resident = revision.plan.resident
    link = site + reverse(
        "coaching:review_start", kwargs={"pk": revision.plan_id, "number": revision.number}
    )
    context = {"revision": revision, "desk": resident.desk, "link": link}
    _send("plan_submitted", context, coaches_to_tell(resident))


@task()
def send_review_concluded_mail(*, review_id: int, site: str) -> None:
    review = (
        Review.objects.select_related(
            "revision__plan__resident__user",
            "revision__plan__resident__coach",
            "revision__plan__resident__desk",
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return
    resident = review.revision.plan.resident
    address = resident.user.email if resident.user else resident.email
    context = {
        "resident": resident,
        "desk": resident.desk,
        "link": site + reverse("coaching:plan_home"),
    }
    reply_to = [resident.coach.email] if resident.coach else None
    _send("review_concluded", context, [address] if address else [], reply_to)


@task()
def send_referral_mail(*, referral_id: int, site: str) -> None:
    """To the partner's contact person (or the partner's own address): a personal link for this
    one referral, made here so that the token is never stored, and nothing about the resident
    (the partner reads what she consented to share behind the link). Plain text and HTML."""
    referral = (
        Referral.objects.select_related("partner", "contact", "desk")
        .filter(pk=referral_id, status__in=(Referral.Status.SENT, Referral.Status.IN_PROGRESS))
        .first()
    )
    if referral is None:
        return  # taken back or answered before the worker got to it
    address = referral.contact.email if referral.contact else referral.partner.email
    if not address:
        return
    with transaction.atomic():
        link, token = new_link(referral, address)
        context = {
            "desk": referral.desk,
            "partner": referral.partner,
            "days": referral.partner.answer_days,
            "until": timezone.localtime(link.expires_at).strftime("%d-%m-%Y"),
            "link": site + reverse("coaching:referral_answer_link", kwargs={"token": token}),
        }
        with translation.override(settings.LANGUAGE_CODE):
            message = EmailMultiAlternatives(
                subject=render_to_string(
                    "coaching/email/referral_sent_subject.txt", context
                ).strip(),
                body=render_to_string("coaching/email/referral_sent.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
            )
            message.attach_alternative(
                render_to_string("coaching/email/referral_sent.html", context), "text/html"
            )
        message.send()


@task()
def send_referral_answered_mail(*, referral_id: int, site: str) -> None:
    referral = (
        Referral.objects.select_related("partner", "resident__coach", "desk")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return
    context = {
        "desk": referral.desk,
        "partner": referral.partner,
        "status": Referral.Status(referral.status).label,
        "link": site + reverse("coaching:referral_detail", kwargs={"pk": referral.pk}),
    }
    _send("referral_answered", context, coaches_to_tell(referral.resident))
