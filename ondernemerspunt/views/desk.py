"""Desk management (issue 12): the coordinator's pages for her own desk(s). Another desk's
slug, or a user who is not its coordinator, gets 404 (``desk_for``). The invitation page is
for the invited person, who is not logged in yet."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ondernemerspunt import desk_management as management
from ondernemerspunt import invitations, once
from ondernemerspunt.access import desk_for
from ondernemerspunt.desk_forms import (
    ChoosePasswordForm,
    DeskSettingsForm,
    InviteForm,
    MembershipForm,
    NeighbourhoodForm,
    PartnerForm,
    YearTargetEditForm,
    YearTargetForm,
)
from ondernemerspunt.http import add_refusal, posted, require_GET_or_POST, site_of
from ondernemerspunt.models import Desk, Membership, Role
from ondernemerspunt.once import already_saved

COORDINATOR = (Role.COORDINATOR,)


def _desk(request, slug):
    return desk_for(request, slug, roles=COORDINATOR)


def _rebased(form_class, request, saved, **kwargs):
    """The form as typed, now based on what is saved: saving again overwrites knowingly."""
    data = request.POST.copy()
    data["based_on"] = management.fingerprint(saved, form_class.based_on_fields)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.saved_now = management.saved_now(saved, form_class.based_on_fields)
    return form


def _saved_name(form) -> str:
    return _("Saved: %(name)s.") % {"name": form.cleaned_data["name"]}


def _list_with_add_form(request, desk, form, *, add, added, template, context):
    """A list with a form below it to add a row (targets, neighbourhoods, partners): saved
    once however often it is sent, a refusal next to its field."""
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                row = add(form)
                submission.saved(request.path)
            messages.success(request, added(row))
            return redirect(request.path)
    except management.DeskManagementError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, request.path)
    context = {"desk": desk, "form": form, "form_token": token, **context}
    return render(request, template, context)


def _edit_page(
    request, desk, saved, *, form_class, form_kwargs, save, done, back, template, context
):
    """One row's page: the form carries what it was opened with, so a save over someone else's
    change is refused and shows both (``_rebased``)."""
    form = form_class(posted(request), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except management.ChangedMeanwhile as error:
            messages.error(request, str(error.message))
            saved.refresh_from_db()
            form = _rebased(form_class, request, saved, **form_kwargs)
        except management.DeskManagementError as error:
            add_refusal(form, error)
        else:
            messages.success(request, done(form))
            return redirect(back)
    return render(request, template, {"desk": desk, "form": form, **context})


@login_required
@require_safe
def desk_manage(request, slug):
    desk = _desk(request, slug)
    context = {
        "desk": desk,
        "people": desk.memberships.filter(is_active=True).count(),
        "targets": list(desk.targets.order_by("-year")[:3]),
    }
    return render(request, "ondernemerspunt/desk/manage.html", context)


# --- People --------------------------------------------------------------------------------


@login_required
@require_safe
def desk_people(request, slug):
    desk = _desk(request, slug)
    people = list(management.people_of(desk))
    for membership in people:
        membership.invited = invitations.is_invited(membership.user)
    return render(request, "ondernemerspunt/desk/people.html", {"desk": desk, "people": people})


@login_required
@require_GET_or_POST
def desk_invite(request, slug):
    desk = _desk(request, slug)
    form = InviteForm(posted(request), desk=desk)
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                membership = management.invite(
                    desk=desk,
                    by=request.user,
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    site=site_of(request),
                    **form.role_values(),
                )
                submission.saved(_people_url(desk))
            messages.success(
                request,
                _(
                    "%(name)s is invited. An e-mail with a link to choose a password is on its "
                    "way to %(email)s; the link works once, for 7 days."
                )
                % {"name": membership.user.full_name, "email": membership.user.email},
            )
            return redirect("desk_people", slug=desk.slug)
    except management.DeskManagementError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, _people_url(desk))
    context = {"desk": desk, "form": form, "form_token": token}
    return render(request, "ondernemerspunt/desk/invite.html", context)


def _people_url(desk):
    return reverse("desk_people", kwargs={"slug": desk.slug})


def _membership(desk, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "partner", "desk"), desk=desk, pk=pk
    )


@login_required
@require_GET_or_POST
def desk_membership_edit(request, slug, pk):
    desk = _desk(request, slug)
    membership = _membership(desk, pk)
    form = MembershipForm(posted(request), membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            management.change_role(membership=membership, by=request.user, **form.role_values())
        except management.DeskManagementError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": membership.user.full_name})
            return redirect("desk_people", slug=desk.slug)
    context = {
        "desk": desk,
        "membership": membership,
        "form": form,
        "invited": invitations.is_invited(membership.user),
    }
    return render(request, "ondernemerspunt/desk/membership_edit.html", context)


def _membership_action(request, slug, pk, action, done):
    desk = _desk(request, slug)
    membership = _membership(desk, pk)
    try:
        action(membership=membership, by=request.user)
    except management.DeskManagementError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done % {"name": membership.user.full_name})
        if membership.user_id == request.user.pk and action is management.deactivate:
            return redirect("home")  # she no longer manages this desk herself
    return redirect("desk_people", slug=desk.slug)


@login_required
@require_POST
def desk_membership_deactivate(request, slug, pk):
    return _membership_action(
        request,
        slug,
        pk,
        management.deactivate,
        _("%(name)s is deactivated: this role gives no access any more. The history stays."),
    )


@login_required
@require_POST
def desk_membership_reactivate(request, slug, pk):
    return _membership_action(
        request, slug, pk, management.reactivate, _("%(name)s is active again.")
    )


@login_required
@require_POST
def desk_invitation_resend(request, slug, pk):
    def resend(*, membership, by):
        management.resend_invitation(membership=membership, by=by, site=site_of(request))

    return _membership_action(
        request,
        slug,
        pk,
        resend,
        _("A new invitation is on its way to %(name)s. The link works once, for 7 days."),
    )


# --- Settings and targets ------------------------------------------------------------------


@login_required
@require_GET_or_POST
def desk_settings(request, slug):
    desk = _desk(request, slug)
    # The form cleans into its own copy of the desk: the page keeps showing what is saved.
    form = DeskSettingsForm(posted(request), instance=Desk.objects.get(pk=desk.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = management.save_settings(
                desk=desk, by=request.user, values=form.values(), based_on=form.based_on()
            )
        except management.ChangedMeanwhile as error:
            messages.error(request, str(error.message))
            desk.refresh_from_db()
            form = _rebased(DeskSettingsForm, request, desk, instance=Desk.objects.get(pk=desk.pk))
        else:
            if changed:
                messages.success(request, _("The desk's settings are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("desk_manage", slug=desk.slug)
    context = {"desk": desk, "form": form}
    return render(request, "ondernemerspunt/desk/settings.html", context)


@login_required
@require_GET_or_POST
def desk_targets(request, slug):
    desk = _desk(request, slug)
    return _list_with_add_form(
        request,
        desk,
        YearTargetForm(posted(request)),
        add=lambda form: management.add_target(desk=desk, by=request.user, **form.cleaned_data),
        added=lambda target: (
            _("The target for %(year)s is saved: %(participants)s participants.")
            % {"year": target.year, "participants": target.participants}
        ),
        template="ondernemerspunt/desk/targets.html",
        context={"targets": desk.targets.order_by("-year")},
    )


@login_required
@require_GET_or_POST
def desk_target_edit(request, slug, year):
    desk = _desk(request, slug)
    target = get_object_or_404(desk.targets, year=year)
    return _edit_page(
        request,
        desk,
        target,
        form_class=YearTargetEditForm,
        form_kwargs={"target": target},
        save=lambda form: management.change_target(
            target=target,
            by=request.user,
            participants=form.cleaned_data["participants"],
            based_on=form.based_on(),
        ),
        done=lambda form: _("The target for %(year)s is saved.") % {"year": year},
        back=reverse("desk_targets", kwargs={"slug": desk.slug}),
        template="ondernemerspunt/desk/target_edit.html",
        context={"target": target},
    )


# --- Neighbourhoods ------------------------------------------------------------------------


@login_required
@require_GET_or_POST
def desk_neighbourhoods(request, slug):
    desk = _desk(request, slug)
    return _list_with_add_form(
        request,
        desk,
        NeighbourhoodForm(posted(request)),
        add=lambda form: management.save_neighbourhood(
            desk=desk, by=request.user, values=form.values()
        ),
        added=lambda neighbourhood: _("%(name)s is added.") % {"name": neighbourhood.name},
        template="ondernemerspunt/desk/neighbourhoods.html",
        context={"neighbourhoods": desk.neighbourhoods.order_by("postcode_from", "name")},
    )


@login_required
@require_GET_or_POST
def desk_neighbourhood_edit(request, slug, pk):
    desk = _desk(request, slug)
    neighbourhood = get_object_or_404(desk.neighbourhoods, pk=pk)
    return _edit_page(
        request,
        desk,
        neighbourhood,
        form_class=NeighbourhoodForm,
        form_kwargs={"instance": neighbourhood},
        save=lambda form: management.save_neighbourhood(
            desk=desk,
            by=request.user,
            neighbourhood=neighbourhood,
            values=form.values(),
            based_on=form.based_on(),
        ),
        done=_saved_name,
        back=reverse("desk_neighbourhoods", kwargs={"slug": desk.slug}),
        template="ondernemerspunt/desk/neighbourhood_edit.html",
        context={"neighbourhood": neighbourhood},
    )


@login_required
@require_GET_or_POST
def desk_neighbourhood_delete(request, slug, pk):
    """A page that asks first; residents in the neighbourhood keep their file and postcode."""
    desk = _desk(request, slug)
    neighbourhood = get_object_or_404(desk.neighbourhoods, pk=pk)
    if request.method == "POST":
        management.delete_neighbourhood(neighbourhood=neighbourhood, by=request.user)
        messages.success(request, _("%(name)s is removed.") % {"name": neighbourhood.name})
        return redirect("desk_neighbourhoods", slug=desk.slug)
    context = {
        "desk": desk,
        "neighbourhood": neighbourhood,
        "files": management.files_pointing_at(neighbourhood),
    }
    return render(request, "ondernemerspunt/desk/neighbourhood_delete.html", context)


# --- Partners ------------------------------------------------------------------------------


@login_required
@require_GET_or_POST
def desk_partners(request, slug):
    """The list with the number of contact people, and a form below it to add one."""
    desk = _desk(request, slug)
    return _list_with_add_form(
        request,
        desk,
        PartnerForm(posted(request)),
        add=lambda form: management.save_partner(desk=desk, by=request.user, values=form.values()),
        added=lambda partner: _("%(name)s is added.") % {"name": partner.name},
        template="ondernemerspunt/desk/partners.html",
        context={"partners": management.partners_of(desk)},
    )


@login_required
@require_GET_or_POST
def desk_partner_edit(request, slug, pk):
    desk = _desk(request, slug)
    partner = get_object_or_404(desk.partners, pk=pk)
    return _edit_page(
        request,
        desk,
        partner,
        form_class=PartnerForm,
        form_kwargs={"instance": partner},
        save=lambda form: management.save_partner(
            desk=desk,
            by=request.user,
            partner=partner,
            values=form.values(),
            based_on=form.based_on(),
        ),
        done=_saved_name,
        back=reverse("desk_partners", kwargs={"slug": desk.slug}),
        template="ondernemerspunt/desk/partner_edit.html",
        context={"partner": partner},
    )


# --- The invitation link (not logged in) ---------------------------------------------------


@require_GET_or_POST
def invitation_accept_staff(request, uidb64, token):
    user = invitations.invited_user(uidb64)
    state = invitations.invitation_state(user, token)
    if state != "valid":
        return render(request, "ondernemerspunt/desk/invitation_problem.html", {"state": state})
    if request.user.is_authenticated:
        # Accepting would silently swap this browser's login for the invited person's.
        context = {"state": "logged_in", "invited": user}
        return render(request, "ondernemerspunt/desk/invitation_problem.html", context)
    form = ChoosePasswordForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        accepted = invitations.accept_invitation(
            user=user, token=token, password=form.cleaned_data["new_password1"]
        )
        if accepted is None:  # used a moment ago, in another window
            context = {"state": "unknown"}
            return render(request, "ondernemerspunt/desk/invitation_problem.html", context)
        login(request, accepted, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your password is set."))
        return redirect("home")
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("desk")
    context = {"form": form, "invited": user, "memberships": memberships}
    return render(request, "ondernemerspunt/desk/invitation_accept.html", context)
