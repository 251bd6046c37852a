"""The business plan in the browser: the resident writes it part by part, hands it in; the coach
reads it, prints it and compares revisions (reviews are ``coaching.views.reviews``); the
invitation link lets the resident in."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coaching import reviews, selectors, services
from coaching.access import own_plan_for, plan_for
from coaching.budgets import BUDGET_KEYS, LOANS, YEARS, plan_figures
from coaching.checks import plan_checks
from coaching.forms import ChoosePasswordForm, CompareForm, PlanFilterForm
from coaching.models import BusinessPlan, LoanApplication, PlanInvitation, Review
from coaching.section_forms import SectionEditor
from coaching.sections import BY_SLUG, SECTIONS, next_section
from intake.access import own_resident_for, resident_for, resident_of
from ondernemerspunt.access import desk_ids_for, staff_required
from ondernemerspunt.http import bounded_version, require_GET_or_POST, site_of
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit

PAGE_SIZE = 25


# --- The resident's own plan ----------------------------------------------------------------
def resident_home(request):
    """A resident's home page (registered in ``coaching.apps`` as the foundation's personal
    home); None for users who are not residents."""
    resident = resident_of(request.user)
    if resident is None:
        return None
    plan = BusinessPlan.objects.filter(resident=resident).prefetch_related("sections").first()
    context = {
        "resident": resident,
        "resident_plan": plan,
        "coach": resident.coach if resident.coach and resident.coach.is_active else None,
        "review": reviews.concluded_reviews(plan).first() if plan else None,
        "waiting": _waiting_revision(plan),
    }
    return render(request, "coaching/resident_home.html", context)


def _waiting_revision(plan):
    """The version of her plan that waits for her coach's review, if one does."""
    if plan is None:
        return None
    return reviews.waiting_revisions_of_plans().filter(plan=plan).first()


def resident_menu(user) -> list | None:
    """A resident's menu: her own page and her plan; None for users who are not residents."""
    if resident_of(user) is None:
        return None
    return [(_("My page"), reverse("home")), (_("My plan"), reverse("coaching:plan_home"))]


def _started_plan(request) -> BusinessPlan:
    """The resident's own plan, started (with all its parts) on her first visit to a page of
    it; the access helper ``own_plan_for`` only reads."""
    return services.start_plan(resident=own_resident_for(request))


@login_required
@require_safe
def plan_home(request):
    plan = _started_plan(request)
    revisions = list(plan.revisions.order_by("-number").only("number", "submitted_at"))
    # Only a concluded review: a draft, or one waiting for a second coach, is not hers to see.
    review = reviews.concluded_reviews(plan).first()
    comments = _comments_by_part(review)
    sections = selectors.section_views(plan.section_data())
    # Her latest application (as on its own page): the plan's page says where it stands.
    application = plan.applications.order_by("-created_at", "-id").first()
    context = {
        "plan": plan,
        "application": application,
        # The review that made the plan ready, once an application was started on it (or
        # after it): "your coach will tell you how to apply" is no longer news.
        "applied": _applied_after(review, application),
        "sections": sections,
        "parts": [(view, comments.get(view.section.key)) for view in sections],
        "unsaved": selectors.unsaved_parts(plan),
        "checks": plan.checks,
        "latest": revisions[0] if revisions else None,
        "waiting": _waiting_revision(plan),
        "review": review,
        "plan_comment": comments.get(""),
        "has_part_comments": any(key for key in comments),
    }
    return render(request, "coaching/plan_home.html", context)


def _applied_after(review, application) -> bool:
    """Whether "your coach will tell you how to apply" is no longer news: an application is
    open or approved (a newer version found ready goes into its next pack), or it was started
    on this concluded "ready" review or after it. After a decline or a withdrawal, a newer
    version found ready does lead to a new application: then it is news again."""
    if review is None or application is None or review.outcome != Review.Outcome.READY:
        return False
    if application.status in (
        LoanApplication.Status.DRAFT,
        LoanApplication.Status.SUBMITTED,
        LoanApplication.Status.APPROVED,
    ):
        return True
    return application.review_id == review.pk or application.created_at >= review.concluded_at


def _comments_by_part(review) -> dict:
    """A concluded review's comments by part key ("" for the whole plan); empty without one."""
    if review is None:
        return {}
    return {comment.section: comment for comment in review.comments.all()}


def _section_or_404(slug):
    section = BY_SLUG.get(slug)
    if section is None:
        raise Http404
    return section


@login_required
@require_GET_or_POST
def section_edit(request, section):
    spec = _section_or_404(section)
    plan = _started_plan(request)
    stored = plan.sections_by_key[spec.key]
    editor, conflict, restored = None, None, False
    if request.method == "POST":
        editor = SectionEditor(spec, stored, request.POST)
        if editor.is_valid():
            try:
                services.save_section(
                    section=stored,
                    content=editor.content(),
                    version=editor.version(),
                    by=request.user,
                )
            except services.SectionConflict as error:
                conflict = error
                stored = error.section
                # Show the typing again, now based on the version saved elsewhere: saving
                # once more is a deliberate choice to replace it.
                data = request.POST.copy()
                data["version"] = str(stored.version)
                editor = SectionEditor(spec, stored, data)
            else:
                messages.success(request, _("Saved."))
                return redirect("coaching:section_edit", section=spec.slug)
        # Not saved (errors or a conflict): keep the typing so that leaving loses nothing.
        services.autosave_section(
            section=stored,
            values=services.autosave_values(
                request.POST, editor.allowed_names(), spec.form_class.rows_prefix
            ),
            version=bounded_version(request.POST.get("version")),
        )
    elif services.has_pending_autosave(stored):
        editor, restored = SectionEditor(spec, stored, stored.autosave), True
    else:
        editor = SectionEditor(spec, stored)
    return render(
        request,
        "coaching/section_form.html",
        _section_context(plan, spec, stored, editor, conflict=conflict, restored=restored),
    )


def _section_context(plan, spec, stored, editor, *, conflict, restored):
    review = reviews.concluded_reviews(plan).first()
    data = plan.section_data()
    if editor.bound:
        data = {**data, spec.key: editor.content()}
    figures = plan_figures(data)
    saved_data = plan.section_data()
    return {
        "plan": plan,
        "section": spec,
        "stored": stored,
        "editor": editor,
        "form": editor.form,
        "rows": editor.rows,
        "figures": figures,
        "checks": plan_checks(figures, plan.limits()),
        "conflict": conflict,
        "saved_view": selectors.section_view(spec, stored.data) if conflict else None,
        "saved_figures": plan_figures({**saved_data, spec.key: stored.data}) if conflict else None,
        "restored": restored,
        "next": next_section(spec),
        "budget_data": {key: saved_data.get(key) or {} for key in BUDGET_KEYS},
        "loans": LOANS,
        "years": YEARS,
        "limits": plan.limits().as_json(),
        "review": review,
        "review_comment": _comments_by_part(review).get(spec.key),
    }


# What the page sends: FormData by fetch and sendBeacon (multipart), or a plain form post.
AUTOSAVE_CONTENT_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


@login_required
@require_POST
def section_autosave(request, section):
    """Keep what the resident is typing (every half minute and on leaving the page)."""
    spec = _section_or_404(section)
    plan = own_plan_for(request)
    stored = plan.sections_by_key[spec.key]
    allowed = set(spec.form_class.base_fields)
    values = services.autosave_values(request.POST, allowed, spec.form_class.rows_prefix)
    if request.content_type not in AUTOSAVE_CONTENT_TYPES or not values.keys() - {"version"}:
        # Not the page's form (an empty body, JSON): keeping it would wipe the draft there is.
        return JsonResponse(
            {"message": _("Nothing was kept: the draft did not arrive as a form.")}, status=400
        )
    services.autosave_section(
        section=stored, values=values, version=bounded_version(request.POST.get("version"))
    )
    at = timezone.localtime(stored.autosaved_at)
    idle = getattr(request, "idle_timeout", None)  # ondernemerspunt/sessions.py
    return JsonResponse(
        {
            "saved_at": at.isoformat(),
            "seconds_left": idle.seconds_left if idle else None,
            "message": _("Draft kept at %(time)s. Press Save to keep it for good.")
            % {"time": formats.time_format(at, "H:i")},
        }
    )


@login_required
@require_POST
def plan_submit(request):
    plan = own_plan_for(request)
    try:
        revision, created = services.submit_plan(plan=plan, by=request.user, site=site_of(request))
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(
                request,
                _("Your plan has been sent to your coach as version %(number)s.")
                % {"number": revision.number},
            )
        else:
            messages.info(
                request,
                _(
                    "Your plan was already submitted as version %(number)s. Nothing has "
                    "changed since then."
                )
                % {"number": revision.number},
            )
    return redirect("coaching:plan_home")


@login_required
@require_safe
def own_reviews(request):
    """Every concluded review of the resident's plan, newest first, in a fixed number of
    queries; a page of her own, so it does not start a plan."""
    resident = own_resident_for(request)
    plan = BusinessPlan.objects.filter(resident=resident).first()
    concluded = []
    if plan is not None:
        concluded = list(
            reviews.concluded_reviews(plan).prefetch_related(reviews.items_with_their_points())
        )
    for review in concluded:
        comments = _comments_by_part(review)
        review.plan_comment = comments.get("")
        review.part_comments = [
            (section, comments[section.key]) for section in SECTIONS if section.key in comments
        ]
    return render(request, "coaching/own_reviews.html", {"reviews": concluded})


@login_required
@require_safe
def own_plan_print(request):
    plan = _started_plan(request)
    return render(request, "coaching/plan_print.html", _print_context(plan, None))


# --- The coach's view -----------------------------------------------------------------------
# One plan's pages load it through ``plan_for``: anyone but the staff of the resident's desk gets
# 404, as for the resident's own file (intake). The list of plans is a page of the role (403).
@staff_required
@require_safe
def plan_list(request):
    form = PlanFilterForm(request.GET or None)
    plans = form.filter_qs(selectors.plans_of_desks(desk_ids_for(request.user)))
    page = paginate(request, plans, per_page=PAGE_SIZE)
    context = {"form": form, "page": page}
    return render(request, "coaching/plan_list.html", context)


def _coach_plan(request, pk):
    return plan_for(request, pk, queryset=BusinessPlan.objects.prefetch_related("sections"))


def _audit(request, plan, action, what, params=None):
    record_audit(by=request.user, action=action, what=what, params=params, resident=plan.resident)


@login_required
@require_safe
def plan_detail(request, pk):
    plan = _coach_plan(request, pk)
    _audit(request, plan, AuditEntry.Action.VIEWED, gettext_lazy("Business plan viewed"))
    revisions = list(selectors.revisions_of(plan)[:5])
    context = {
        "plan": plan,
        "sections": selectors.section_views(plan.section_data()),
        "figures": plan.figures,
        "checks": plan.checks,
        "revisions": revisions,
    }
    return render(request, "coaching/plan_detail.html", context)


def _print_context(plan, revision):
    source = revision or plan
    return {
        "plan": plan,
        "revision": revision,
        "sections": selectors.section_views(source.section_data()),
        "figures": source.figures,
        "checks": source.checks,
        "printed_on": timezone.localdate(),
    }


@login_required
@require_safe
def plan_print(request, pk):
    plan = _coach_plan(request, pk)
    revision = None
    number = request.GET.get("versie")
    if number:
        revision = get_object_or_404(plan.revisions, number=bounded_version(number) or 0)
    if revision:
        what = gettext_lazy("Business plan version %(number)s printed")
    else:
        what = gettext_lazy("Business plan printed")
    _audit(
        request, plan, AuditEntry.Action.EXPORTED, what, {"number": getattr(revision, "number", "")}
    )
    return render(request, "coaching/plan_print.html", _print_context(plan, revision))


@login_required
@require_safe
def revision_list(request, pk):
    plan = plan_for(request, pk)
    _audit(request, plan, AuditEntry.Action.VIEWED, gettext_lazy("Business plan versions viewed"))
    revisions = list(selectors.revisions_of(plan))
    return render(request, "coaching/revision_list.html", {"plan": plan, "revisions": revisions})


@login_required
@require_safe
def revision_detail(request, pk, number):
    plan = plan_for(request, pk)
    revision = get_object_or_404(selectors.revisions_of(plan), number=number)
    what = gettext_lazy("Business plan version %(number)s viewed")
    _audit(request, plan, AuditEntry.Action.VIEWED, what, {"number": number})
    context = {
        "plan": plan,
        "revision": revision,
        "reviews": list(revision.reviews.select_related("coach").order_by("-started_at")),
        "newest": reviews.newer_revision(revision),
        "sections": selectors.section_views(revision.section_data()),
        "figures": revision.figures,
        "checks": revision.checks,
    }
    return render(request, "coaching/revision_detail.html", context)


@login_required
@require_safe
def revision_compare(request, pk):
    plan = plan_for(request, pk)
    revisions = {r.number: r for r in selectors.revisions_of(plan)}
    numbers = sorted(revisions)
    defaults = {"van": numbers[-2], "naar": numbers[-1]} if len(numbers) >= 2 else None
    form = CompareForm(request.GET or defaults, numbers=numbers)
    context = {"plan": plan, "form": form, "enough": len(numbers) >= 2}
    if len(numbers) >= 2 and form.is_valid():
        old, new = revisions[form.cleaned_data["van"]], revisions[form.cleaned_data["naar"]]
        _audit(
            request,
            plan,
            AuditEntry.Action.VIEWED,
            gettext_lazy("Business plan versions %(old)s and %(new)s compared"),
            {"old": old.number, "new": new.number},
        )
        context.update(
            old=old,
            new=new,
            changes=selectors.compare_sections(old.section_data(), new.section_data()),
            checks=list(zip(old.checks, new.checks, strict=True)),
        )
    return render(request, "coaching/revision_compare.html", context)


@login_required
@require_POST
def resident_invite(request, pk):
    resident = resident_for(request, pk)
    try:
        invitation = services.invite_resident(
            resident=resident,
            by=request.user,
            link_for=_link_for(request),
        )
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("An invitation was sent to %(email)s. The link works once, for 7 days.")
            % {"email": invitation.email},
        )
    return redirect(resident)


# --- The invitation link --------------------------------------------------------------------
def _link_for(request):
    return lambda token: request.build_absolute_uri(
        reverse("coaching:invitation_accept", kwargs={"token": token})
    )


@require_GET_or_POST
def invitation_accept(request, token):
    invitation = services.find_invitation(token)
    state = services.invitation_state(invitation)
    if state != PlanInvitation.State.VALID:
        return _invitation_problem(request, token, invitation, state)
    form = ChoosePasswordForm(
        services.new_resident_user_for_validation(invitation), request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except services.PlanError:
            invitation = services.find_invitation(token)
            return _invitation_problem(
                request, token, invitation, services.invitation_state(invitation)
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your password is set. Here is your plan."))
        return redirect("coaching:plan_home")
    context = {"form": form, "invitation": invitation, "resident": invitation.resident}
    return render(request, "coaching/invitation_accept.html", context)


def _invitation_problem(request, token, invitation, state):
    context = {"token": token, "invitation": invitation, "state": state}
    return render(request, "coaching/invitation_problem.html", context)


@require_POST
def invitation_renew(request, token):
    """From an expired or replaced link: send a fresh one to the resident's address."""
    invitation = services.find_invitation(token)
    state = services.invitation_state(invitation)
    # A link to an old address or for a login that exists sends nothing new.
    if state in (
        "unknown",
        PlanInvitation.State.USED,
        services.ADDRESS_CHANGED,
        services.HAS_LOGIN,
    ):
        return _invitation_problem(request, token, invitation, state)
    if state == PlanInvitation.State.VALID:
        return redirect("coaching:invitation_accept", token=token)
    try:
        services.renew_invitation(invitation=invitation, link_for=_link_for(request))
    except services.PlanError as error:
        context = {"token": token, "invitation": invitation, "state": "limit", "error": error}
        return render(request, "coaching/invitation_problem.html", context)
    return render(request, "coaching/invitation_renewed.html", {"invitation": invitation})
