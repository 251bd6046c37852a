"""The coach's review page as one form: a verdict, a comment and (where a plan check decided the
point) a reason to overrule it per checklist item; a comment per part of the plan and one on the
whole; the outcome. Field names are stable (``verdict_<review item pk>``, ``comment_<pk>``,
``overrule_<pk>``, ``part_<section key>``, ``part_whole``, ``outcome``, ``follow_up``,
``follow_up_note``, ``version``): the messages of ``reviews.conclusion_problems`` are keyed by
them, and the browser tests fill them in.

The form cleans and converts; what may be concluded is decided by ``coaching.reviews``.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching import reviews
from coaching.models import Review, Verdict
from coaching.sections import SECTIONS
from ondernemerspunt.http import MAX_VERSION

WHOLE = "whole"  # ``part_whole``: the comment on the whole plan (section "" in the model)
RADIOS = forms.RadioSelect(attrs={"class": "form-check-input"})


def _text(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=reviews.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Review.Outcome.choices,
        required=False,
        widget=RADIOS,
    )
    follow_up = forms.ChoiceField(
        label=_("What happens next"),
        choices=Review.FollowUp.choices,
        required=False,
        widget=RADIOS,
    )
    follow_up_note = _text(_("Explanation: where you refer the resident, or why it stops"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    def __init__(self, review: Review, data=None, *, conclude: bool = False):
        self.review = review
        self.conclude = conclude
        self.review_items = list(review.items.all())
        super().__init__(data, initial=None if data is not None else self._saved(review))
        for review_item in self.review_items:
            pk = review_item.pk
            self.fields[f"verdict_{pk}"] = forms.ChoiceField(
                label=_("Verdict"),
                choices=Verdict.choices,
                required=False,
                widget=RADIOS,
            )
            self.fields[f"comment_{pk}"] = _text(
                _("Comment on this point"),
                _("For the resident: she reads it once the review is concluded."),
            )
            if review_item.check_status:
                self.fields[f"overrule_{pk}"] = _text(
                    _("Why your verdict differs from the check"),
                    _("For coaches only: the resident does not see this reason."),
                )
        for_resident = _("For the resident: she reads it beside this part of her plan.")
        for section in SECTIONS:
            self.fields[f"part_{section.key}"] = _text(section.title, for_resident)
        self.fields[f"part_{WHOLE}"] = _text(
            _("The whole plan"), _("For the resident: she reads it with the outcome of the review.")
        )

    def _saved(self, review: Review) -> dict:
        initial = {
            "outcome": review.outcome,
            "follow_up": review.follow_up,
            "follow_up_note": review.follow_up_note,
            "version": review.version,
        }
        for review_item in self.review_items:
            initial[f"verdict_{review_item.pk}"] = review_item.verdict
            initial[f"comment_{review_item.pk}"] = review_item.comment
            initial[f"overrule_{review_item.pk}"] = review_item.overrule_reason
        for comment in review.comments.all():
            initial[f"part_{comment.section or WHOLE}"] = comment.text
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.conclude and not self.errors:
            for field, message in reviews.conclusion_problems(self.review, self.answers()).items():
                self.add_error(field, message)
        return cleaned

    def answers(self) -> reviews.ReviewAnswers:
        data = self.cleaned_data
        comments = {section.key: data.get(f"part_{section.key}", "") for section in SECTIONS}
        comments[""] = data.get(f"part_{WHOLE}", "")
        return reviews.ReviewAnswers(
            items={
                item.pk: reviews.ItemAnswer(
                    verdict=data.get(f"verdict_{item.pk}", ""),
                    comment=data.get(f"comment_{item.pk}", ""),
                    overrule_reason=data.get(f"overrule_{item.pk}", ""),
                )
                for item in self.review_items
            },
            comments=comments,
            outcome=data.get("outcome", ""),
            follow_up=data.get("follow_up", ""),
            follow_up_note=data.get("follow_up_note", ""),
        )


# --- What the page lays out -----------------------------------------------------------------
@dataclass
class ItemRow:
    """One checklist item on the review page: the saved verdict, the check that decided it,
    what the previous review said about the same point, and (on the coach's own draft) its
    fields."""

    review_item: object
    check: object = None
    previous: object = None
    verdict: object = None
    comment: object = None
    overrule: object = None


@dataclass
class TopicGroup:
    label: str
    rows: list


@dataclass
class PartRow:
    """A part of the plan (or the whole plan: key ``whole``) with its comment now and before."""

    key: str
    title: str
    text: str = ""
    previous: str = ""
    field: object = None


def item_groups(review: Review, *, form: ReviewForm | None, previous: Review | None):
    """The review's items grouped by topic, in checklist order."""
    checks = {check.key: check for check in review.revision.checks}
    before = {ri.item.key: ri for ri in previous.items.all()} if previous else {}
    groups: dict[str, TopicGroup] = {}
    for review_item in review.items.all():
        item = review_item.item
        pk = review_item.pk
        row = ItemRow(
            review_item,
            check=checks.get(item.check_key) if item.check_key else None,
            previous=before.get(item.key),
        )
        if form is not None:
            row.verdict = form[f"verdict_{pk}"]
            row.comment = form[f"comment_{pk}"]
            row.overrule = form[f"overrule_{pk}"] if f"overrule_{pk}" in form.fields else None
        groups.setdefault(item.topic, TopicGroup(item.get_topic_display(), [])).rows.append(row)
    return list(groups.values())


def part_rows(review: Review, *, form: ReviewForm | None, previous: Review | None):
    """Every part of the plan and the whole, with the comments of this review and the last."""
    now = {comment.section: comment.text for comment in review.comments.all()}
    before = (
        {comment.section: comment.text for comment in previous.comments.all()} if previous else {}
    )
    rows = [PartRow(section.key, str(section.title)) for section in SECTIONS]
    rows.append(PartRow(WHOLE, str(_("The whole plan"))))
    for row in rows:
        section = "" if row.key == WHOLE else row.key
        row.text, row.previous = now.get(section, ""), before.get(section, "")
        if form is not None:
            row.field = form[f"part_{row.key}"]
    return rows
