"""Showing the plan's part of a copy of someone's data (``coaching.data_copy``) in the PDF:
each part's stored values with their question, amounts in euros, dates Dutch."""

from django import template
from django.utils.translation import gettext as _

from coaching.models import BusinessPlan, PlanCheck, Review, Topic, Verdict
from coaching.section_forms import AssetForm
from coaching.sections import SECTIONS, SectionKey
from coaching.selectors import display_value
from intake.templatetags.data_copy import copy_value

register = template.Library()

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
CHOICES = {
    "section": SectionKey,
    "plan_status": BusinessPlan.Status,
    "review_status": Review.Status,
    "outcome": Review.Outcome,
    "follow_up": Review.FollowUp,
    "verdict": Verdict,
    "topic": Topic,
    "check": PlanCheck,
}


@register.filter
def plan_label(value, kind: str) -> str:
    """A choice's code → its label (``revise`` → "to be revised")."""
    choices = CHOICES.get(kind)
    if not value:
        return ""
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


@register.filter
def part_rows(content, key: str) -> list[tuple[str, str]]:
    """(question, answer) for every filled value of one part, in the part's own order; a
    value the part's form no longer knows is shown under its stored name."""
    if not isinstance(content, dict):
        return []
    section = SECTIONS_BY_KEY.get(key)
    fields = section.form_class.base_fields if section else {}
    rows = []
    for name, field in fields.items():
        value = content.get(name)
        if name == "version" or value in (None, "", []):
            continue
        rows.append((str(field.label), _shown(field, value)))
    if content.get("assets"):
        rows.append((_("Fixed assets"), _asset_lines(content["assets"])))
    for name, value in content.items():
        if name not in fields and name != "assets" and value not in (None, "", []):
            rows.append((name, copy_value(value)))
    return rows


def _shown(field, value) -> str:
    try:
        return display_value(field, value) or "–"
    except (TypeError, ValueError, ArithmeticError):
        return copy_value(value)  # stored before a rule changed: shown as it is


def _asset_lines(rows) -> str:
    fields = AssetForm.base_fields
    lines = []
    for row in rows if isinstance(rows, list) else []:
        amount = _shown(fields["amount"], row.get("amount"))
        years = row.get("years")
        lines.append(
            f"{row.get('description', '')}: {amount}"
            + (f", {years} {str(fields['years'].label).lower()}" if years else "")
        )
    return "\n".join(lines)
