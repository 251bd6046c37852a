"""Who may see a business plan: the one place where that is decided.

The staff of the resident's desk see her plan and its reviews; anyone else gets 404. A resident
reaches only her own plan, with no plan number in the URL. These helpers only read: starting a
plan is
``coaching.services.start_plan``, called by the views that may be the first visit.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coaching.models import (
    ApplicationPack,
    BusinessPlan,
    Enclosure,
    LoanApplication,
    Mentor,
    MentorMatch,
    PartnerConsent,
    Referral,
    Review,
    Upload,
)
from coaching.referrals import inbox_of
from intake.access import own_resident_for, resident_of
from ondernemerspunt.access import desk_ids_for


def plan_for(
    request: HttpRequest, pk: int, *, queryset: QuerySet[BusinessPlan] | None = None
) -> BusinessPlan:
    """A business plan for the coaches and coordinators of the resident's desk; 404 otherwise."""
    queryset = queryset if queryset is not None else BusinessPlan.objects.all()
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        queryset.select_related("resident", "resident__desk", "resident__coach"),
        pk=pk,
        resident__desk_id__in=desk_ids,
    )


def own_plan_for(request: HttpRequest) -> BusinessPlan:
    """The logged-in resident's own plan: 403 for users who are not residents, 404 while she
    has not started one."""
    resident = own_resident_for(request)
    plan = get_object_or_404(BusinessPlan.objects.prefetch_related("sections"), resident=resident)
    plan.resident = resident
    return plan


def review_for(request: HttpRequest, pk: int, review_pk: int) -> Review:
    """A review of a version of plan ``pk``, for the staff who may see that plan; 404 otherwise
    (also when the review belongs to another plan)."""
    plan = plan_for(request, pk)
    review = get_object_or_404(
        Review.objects.select_related("revision", "checklist", "coach", "cosigned_by"),
        pk=review_pk,
        revision__plan=plan,
    )
    review.revision.plan = plan
    return review


def partner_referral_for(request: HttpRequest, pk: int) -> Referral:
    """A referral for the active partner contacts of the partner it was sent to; 404 for anyone
    else (another organisation's contact, the desk's staff), for a draft (nothing is shared
    before it is sent) and for an erased resident's."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        inbox_of(request.user)
        .filter(resident__erased_at__isnull=True)
        .select_related("desk", "created_by"),
        pk=pk,
    )


def referral_for(request: HttpRequest, pk: int) -> Referral:
    """A referral for the coaches and coordinators of the resident's desk; 404 for anyone else,
    and for a referral of an erased file."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        Referral.objects.select_related(
            "resident", "resident__desk", "resident__coach", "partner", "contact", "consent"
        ),
        pk=pk,
        resident__desk_id__in=desk_ids,
        resident__erased_at__isnull=True,
    )


def partner_consent_for(request: HttpRequest, pk: int) -> PartnerConsent:
    """A consent to share with a partner, for the staff of the resident's desk; 404 otherwise."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        PartnerConsent.objects.select_related("resident", "partner"),
        pk=pk,
        resident__desk_id__in=desk_ids,
        resident__erased_at__isnull=True,
    )


def mentor_for(request: HttpRequest, pk: int) -> Mentor:
    """A mentor of the pool, for the coaches and coordinators of the mentor's desk; 404 for
    anyone else."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        Mentor.objects.select_related("desk", "partner"), pk=pk, desk_id__in=desk_ids
    )


def match_for(request: HttpRequest, pk: int) -> MentorMatch:
    """A mentor match, for the coaches and coordinators of the resident's desk; 404 for anyone
    else, and for a match of an erased file."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        MentorMatch.objects.select_related(
            "resident", "resident__desk", "mentor", "mentor__partner", "matched_by"
        ),
        pk=pk,
        resident__desk_id__in=desk_ids,
        resident__erased_at__isnull=True,
    )


# --- The Qredits application (issue 11) ---------------------------------------------------------
def _staff_desks(request: HttpRequest) -> set[int]:
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return desk_ids


def application_for(request: HttpRequest, pk: int) -> LoanApplication:
    """An application for the coaches and coordinators of the resident's desk; 404 otherwise
    (the project group, partners, another desk)."""
    return get_object_or_404(
        LoanApplication.objects.select_related(
            "plan__resident__desk", "plan__resident__coach", "review__revision"
        ),
        pk=pk,
        plan__resident__desk_id__in=_staff_desks(request),
    )


def enclosure_for(request: HttpRequest, pk: int) -> Enclosure:
    return get_object_or_404(
        Enclosure.objects.select_related("application__plan__resident__desk"),
        pk=pk,
        application__plan__resident__desk_id__in=_staff_desks(request),
    )


def pack_for(request: HttpRequest, pk: int) -> ApplicationPack:
    return get_object_or_404(
        ApplicationPack.objects.select_related("application__plan__resident__desk"),
        pk=pk,
        application__plan__resident__desk_id__in=_staff_desks(request),
    )


def upload_for(request: HttpRequest, pk: int, *, to_change: bool = False) -> Upload:
    """A file of an application: for the resident it belongs to (to download, not
    ``to_change``), and the coaches and coordinators of her desk; 404 for anyone else."""
    uploads = Upload.objects.select_related("enclosure__application__plan__resident")
    resident = resident_of(request.user)
    if resident is not None:
        if to_change:
            raise Http404
        return get_object_or_404(uploads, pk=pk, enclosure__application__plan__resident=resident)
    return get_object_or_404(
        uploads,
        pk=pk,
        enclosure__application__plan__resident__desk_id__in=_staff_desks(request),
    )


def own_application_for(request: HttpRequest) -> LoanApplication:
    """The logged-in resident's latest application: 403 for users who are not residents, 404
    while there is none."""
    plan = own_plan_for(request)
    application = plan.applications.order_by("-created_at", "-id").first()
    if application is None:
        raise Http404
    return application
