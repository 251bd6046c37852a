"""Who may see a business plan: the one place where that is decided.

The staff of the resident's desk see her plan and its reviews; anyone else gets 404. A resident
reaches only her own plan, with no plan number in the URL. These helpers only read: starting a
plan is
``coaching.services.start_plan``, called by the views that may be the first visit.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coaching.models import BusinessPlan, Review
from intake.access import own_resident_for
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
