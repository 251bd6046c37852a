"""Migration 0005: the free-text feedback of old becomes a concluded review with that text as its
comment on the whole plan; a version without feedback gets no review."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coaching.models import Review
from tests.factories import make_plan

BEFORE = [("coaching", "0004_reviews")]
FEEDBACK = "Goed plan! Je eigen inbreng is nu 18%; Qredits vraagt minstens 30%.\nBel me gerust."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # what the previous migrate left behind
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Migrating changes the schema: the test needs real transactions, and it leaves the database
# migrated to the latest state whatever happens.
@pytest.mark.django_db(transaction=True)
def test_feedback_becomes_a_concluded_review(cast):
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    try:
        old_apps = migrate(BEFORE)
        PlanRevision = old_apps.get_model("coaching", "PlanRevision")
        snapshot = {"sections": {}, "limits": {}}
        with_feedback = PlanRevision.objects.create(
            plan_id=plan.pk,
            number=1,
            snapshot=snapshot,
            submitted_by_id=cast.resident_user.pk,
            feedback=FEEDBACK,
            feedback_by_id=cast.coach.pk,
        )
        without = PlanRevision.objects.create(
            plan_id=plan.pk, number=2, snapshot=snapshot, submitted_by_id=cast.resident_user.pk
        )
    finally:
        migrate(latest())
    review = Review.objects.get()
    assert review.revision_id == with_feedback.pk
    # No verdict was given then, and none is invented.
    assert (review.status, review.outcome, review.checklist) == ("concluded", "", None)
    assert review.coach == cast.coach
    assert review.concluded_at is not None
    assert [(c.section, c.text) for c in review.comments.all()] == [("", FEEDBACK)]
    assert not Review.objects.filter(revision_id=without.pk).exists()
