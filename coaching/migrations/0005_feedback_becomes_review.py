"""The coach's free-text feedback on a version becomes a concluded review with that text as its
first comment, about the whole plan: nothing is lost, and the resident reads it where she reads
every review.

There was no verdict then, so the review has no outcome: inventing one (*to be revised*) would
tell a resident whose feedback said "fine" to change her plan. It has no checklist either (there
was none). Pages show such a review as the coach's comment only.
"""

from django.db import migrations


def feedback_to_reviews(apps, schema_editor):
    PlanRevision = apps.get_model("coaching", "PlanRevision")
    Review = apps.get_model("coaching", "Review")
    ReviewComment = apps.get_model("coaching", "ReviewComment")
    for revision in PlanRevision.objects.exclude(feedback="").iterator():
        at = revision.feedback_at or revision.submitted_at
        review = Review.objects.create(
            revision=revision,
            checklist=None,
            coach_id=revision.feedback_by_id,
            status="concluded",
            outcome="",
            started_at=at,
            concluded_at=at,
        )
        ReviewComment.objects.create(review=review, section="", text=revision.feedback)


def reviews_to_feedback(apps, schema_editor):
    Review = apps.get_model("coaching", "Review")
    for review in Review.objects.filter(checklist=None).select_related("revision"):
        comment = review.comments.filter(section="").first()
        revision = review.revision
        revision.feedback = comment.text if comment else ""
        revision.feedback_by_id = review.coach_id
        revision.feedback_at = review.concluded_at
        revision.save(update_fields=["feedback", "feedback_by", "feedback_at"])
        review.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_reviews"),
    ]

    operations = [
        migrations.RunPython(feedback_to_reviews, reviews_to_feedback),
    ]
