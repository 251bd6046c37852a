"""What withdrawing consent and erasure remove from coaching (registered in coaching/apps.py).

Both remove the same: the business plan with its parts (and what was typed but not saved), the
versions handed in and their reviews (verdicts, comments, notes), and the invitation links with
the address they were sent to. None of it is counted by the desk's progress figures, and all of
it is the resident's own text or about it. Intake's part, and why, is in ``intake/erasure.py``.
"""

from coaching.models import BusinessPlan, PlanInvitation, PlanRevision, PlanSection, Review
from intake.erasure import forget_admin_log


def remove_coaching_data(resident) -> None:
    plans = BusinessPlan.objects.filter(resident_id=resident.pk)
    for model, lookup in (
        (BusinessPlan, "pk__in"),
        (PlanSection, "plan__in"),
        (PlanRevision, "plan__in"),
        (Review, "revision__plan__in"),
    ):
        ids = model.objects.filter(**{lookup: plans}).values_list("pk", flat=True)
        forget_admin_log(model, ids)
    invitations = PlanInvitation.objects.filter(resident_id=resident.pk)
    forget_admin_log(PlanInvitation, invitations.values_list("pk", flat=True))
    # Parts, versions, reviews with their items and comments go with the plan (CASCADE).
    plans.delete()
    invitations.delete()
