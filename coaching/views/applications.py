"""The Qredits application (issue 11, points 1 and 2): the staff of the resident's desk start
it from a plan that is ready for Qredits, keep its figures and the checklist of documents, note
the proof of identity as seen, and add, download and delete files; the resident sees hers and
adds her documents. The rules are in ``coaching.applications``; every object comes through an
access helper (anyone else: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coaching import applications as service
from coaching.access import (
    application_for,
    enclosure_for,
    own_application_for,
    plan_for,
    upload_for,
)
from coaching.amounts import format_number
from coaching.application_forms import (
    ApplicationForm,
    EnclosureAddForm,
    EnclosureForm,
    IdentitySeenForm,
    UploadForm,
    application_initial,
)
from coaching.models import Enclosure, LoanApplication, Upload
from ondernemerspunt import once
from ondernemerspunt.http import add_refusal, bounded_version, posted, require_GET_or_POST
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.once import already_saved
from ondernemerspunt.services import record_audit


def detail_url(application, enclosure=None) -> str:
    url = reverse("coaching:application_detail", kwargs={"pk": application.pk})
    return f"{url}#bijlage-{enclosure.pk}" if enclosure is not None else url


def _audit(request, application, action, what):
    record_audit(by=request.user, resident=application.plan.resident, action=action, what=what)


# --- Start and edit the request -------------------------------------------------------------
@login_required
@require_GET_or_POST
def application_new(request, pk):
    """A new application for a plan whose latest version a concluded review found ready; refused
    with a page that says why for any other plan, and while one is open."""
    plan = plan_for(request, pk)
    review = service.ready_review(plan)
    open_application = plan.applications.filter(status__in=service.OPEN_STATUSES).first()
    decided = None if open_application else service.decided_in_the_way(plan, review)
    if review is None or open_application or decided:
        context = {"plan": plan, "open_application": open_application, "decided": decided}
        return render(request, "coaching/applications/refused.html", context)
    form = ApplicationForm(
        posted(request), maximum=plan.resident.desk.max_loan_amount, initial=_from_plan(review)
    )
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                application = service.start_application(
                    plan=plan, by=request.user, values=form.values()
                )
                application.plan = plan
                _audit(
                    request,
                    application,
                    AuditEntry.Action.CREATED,
                    gettext_lazy("Qredits application started"),
                )
                submission.saved(detail_url(application))
            messages.success(request, _("The application is started. Now complete the documents."))
            return redirect(detail_url(application))
    except service.ApplicationRefused as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(
            request, saved, reverse("coaching:plan_detail", kwargs={"pk": plan.pk})
        )
    context = {"plan": plan, "review": review, "form": form, "form_token": token}
    return render(request, "coaching/applications/new.html", context)


def _from_plan(review) -> dict:
    """The request as the version found ready has it: the Qredits loan of its financing."""
    loan = review.revision.figures.financing.loans[0]
    if not loan.amount:
        return {"repayment_free_months": 0}
    return {
        "amount": format_number(loan.amount, places=2),
        "term_months": loan.months or None,
        "repayment_free_months": loan.free_months or 0,
    }


@login_required
@require_GET_or_POST
def application_edit(request, pk):
    """The request's figures and the recommendation, while the application is being assembled;
    a save based on an older version is refused and the typing kept."""
    application = application_for(request, pk)
    is_draft = application.status == LoanApplication.Status.DRAFT
    maximum = application.plan.resident.desk.max_loan_amount
    form = ApplicationForm(
        posted(request) if is_draft else None,
        maximum=maximum,
        initial=application_initial(application),
    )
    current = None
    if is_draft and request.method == "POST" and form.is_valid():
        try:
            service.update_application(
                application=application,
                version=bounded_version(form.cleaned_data["version"]),
                values=form.values(),
                by=request.user,
            )
        except service.StaleApplication as stale:
            current = stale.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = ApplicationForm(data, maximum=maximum)
            form.is_valid()
            form.add_error(None, stale.message)
        except service.ApplicationRefused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect(detail_url(application))
    elif not is_draft and request.method == "POST":
        messages.error(
            request,
            _("This application was submitted to Qredits and can no longer be changed."),
        )
    # Whatever the method, the page shows the request and the recommendation: a read.
    _audit(
        request,
        application,
        AuditEntry.Action.VIEWED,
        gettext_lazy("Qredits application opened for editing"),
    )
    context = {
        "application": application,
        "plan": application.plan,
        "form": form,
        "is_draft": is_draft,
        "current": current,
    }
    return render(
        request,
        "coaching/applications/edit.html",
        context,
        status=409 if not is_draft and request.method == "POST" else 200,
    )


# --- The application's page -----------------------------------------------------------------
@login_required
@require_safe
def application_detail(request, pk):
    application = application_for(request, pk)
    return _detail(request, application)


def _uploads_without_data():
    """The files of each document, without their bytes: the page lists them, it never reads
    them."""
    return Prefetch("uploads", queryset=Upload.objects.defer("data").select_related("uploaded_by"))


def _detail(request, application, *, bound=None, identity=None, status=200):
    """The application's page; ``bound`` holds a row's refused forms by enclosure id, shown
    with their messages (the rest of the page as stored)."""
    bound = bound or {}
    enclosures = list(application.enclosures.prefetch_related(_uploads_without_data()))
    rows = []
    for enclosure in enclosures:
        prefix = f"e{enclosure.pk}"
        status_form, upload_form = bound.get(enclosure.pk, (None, None))
        rows.append(
            {
                "enclosure": enclosure,
                "form": status_form
                or EnclosureForm(
                    initial={"status": enclosure.status, "note": enclosure.note}, prefix=prefix
                ),
                "upload_form": upload_form or UploadForm(prefix=prefix),
                "refused": bool(bound.get(enclosure.pk)),
            }
        )
    _audit(
        request, application, AuditEntry.Action.VIEWED, gettext_lazy("Qredits application viewed")
    )
    context = {
        "application": application,
        "plan": application.plan,
        "resident": application.plan.resident,
        "rows": rows,
        "packs": list(application.packs.defer("pdf").select_related("requested_by")),
        "can_change": application.status in service.OPEN_STATUSES,
        "is_draft": application.status == LoanApplication.Status.DRAFT,
        "plan_differences": service.plan_differences(application),
        "newer_ready": _newer_ready(application),
        "identity": identity or IdentitySeenForm(initial={"seen_on": timezone.localdate()}),
        "missing": sum(1 for e in enclosures if e.status == Enclosure.Status.MISSING),
    }
    return render(request, "coaching/applications/detail.html", context, status=status)


def _newer_ready(application):
    """The review that found a newer version of the plan ready, when there is one: the next
    pack version is made from it."""
    if application.status not in service.OPEN_STATUSES:
        return None
    ready = service.ready_review(application.plan)
    return ready if ready is not None and ready.pk != application.review_id else None


@login_required
@require_POST
def identity_seen(request, pk):
    """The day the coach saw the proof of identity; a refused day is shown at its field."""
    application = application_for(request, pk)
    form = IdentitySeenForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["seen_on"]
        try:
            service.record_identity_seen(application=application, by=request.user, on=day)
        except service.ApplicationRefused as error:
            if error.field is None:  # no longer a draft: the form is not on the page
                messages.error(request, error.message)
                return redirect(detail_url(application))
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("Noted: you saw the proof of identity on %(day)s.")
                % {"day": day.strftime("%d-%m-%Y")},
            )
            return redirect(detail_url(application))
    return _detail(request, application, identity=form)


@login_required
@require_GET_or_POST
def enclosure_add(request, pk):
    """Another document for the checklist, by its name."""
    application = application_for(request, pk)
    form = EnclosureAddForm(posted(request))
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                enclosure = service.add_enclosure(
                    application=application, title=form.cleaned_data["title"], by=request.user
                )
                submission.saved(detail_url(application, enclosure))
            messages.success(
                request, _("“%(title)s” is added to the documents.") % {"title": enclosure.title}
            )
            return redirect(detail_url(application, enclosure))
    except service.ApplicationRefused as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, detail_url(application))
    context = {
        "application": application,
        "plan": application.plan,
        "form": form,
        "form_token": token,
        "can_change": application.status in service.OPEN_STATUSES,
    }
    return render(request, "coaching/applications/enclosure_add.html", context)


@login_required
@require_POST
def enclosure_update(request, pk):
    """A document's status and note, from its row of the checklist."""
    enclosure = enclosure_for(request, pk)
    form = EnclosureForm(request.POST, prefix=f"e{enclosure.pk}")
    if form.is_valid():
        try:
            service.set_enclosure(
                enclosure=enclosure,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except service.ApplicationRefused as error:
            if error.field is None:  # decided by Qredits: the list stays as it was
                messages.error(request, error.message)
                return redirect(detail_url(enclosure.application, enclosure))
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": enclosure})
            return redirect(detail_url(enclosure.application, enclosure))
    application = application_for(request, enclosure.application_id)
    return _detail(request, application, bound={enclosure.pk: (form, None)}, status=400)


@login_required
@require_POST
def upload_add(request, pk):
    """A file for a document; a refused file gets its message next to the file field, and
    nothing else on the page changes."""
    enclosure = enclosure_for(request, pk)
    form = UploadForm(request.POST, request.FILES, prefix=f"e{enclosure.pk}")
    if form.is_valid():
        try:
            upload = service.add_file(
                enclosure=enclosure, file=form.cleaned_data["file"], by=request.user
            )
        except service.ApplicationRefused as error:
            if error.field is None:  # not about the file: the application's state
                messages.error(request, error.message)
                return redirect(detail_url(enclosure.application, enclosure))
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is added to %(title)s.") % {"name": upload.name, "title": enclosure},
            )
            return redirect(detail_url(enclosure.application, enclosure))
    application = application_for(request, enclosure.application_id)
    return _detail(request, application, bound={enclosure.pk: (None, form)}, status=400)


@login_required
@require_safe
def upload_download(request, pk):
    """The file as it was sent, for the resident herself and the staff of her desk: never shown
    in the browser (it could be anything a browser runs), always saved as a download."""
    upload = upload_for(request, pk)
    application = upload.enclosure.application
    _audit(request, application, AuditEntry.Action.VIEWED, gettext_lazy("Enclosure downloaded"))
    response = HttpResponse(bytes(upload.data), content_type=upload.content_type)
    response["Content-Disposition"] = content_disposition_header(True, upload.name)
    response["Content-Length"] = str(upload.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def upload_delete(request, pk):
    upload = upload_for(request, pk, to_change=True)
    application = upload.enclosure.application
    try:
        enclosure = service.delete_file(upload=upload, by=request.user)
    except service.ApplicationRefused as error:
        messages.error(request, error.message)
        return redirect(detail_url(application))
    messages.success(request, _("“%(name)s” is deleted.") % {"name": upload.name})
    return redirect(detail_url(application, enclosure))


# --- The resident's own application ---------------------------------------------------------
# What each document is, in plain words for the resident.
RESIDENT_HINTS = {
    Enclosure.Kind.BUSINESS_PLAN: gettext_lazy(
        "Your business plan. Your coach sends it to Qredits. You do not need to do anything."
    ),
    Enclosure.Kind.QUOTES: gettext_lazy(
        "Price offers from shops or suppliers for the things you want to buy with the loan."
    ),
    Enclosure.Kind.KVK_EXTRACT: gettext_lazy(
        "The paper from the Chamber of Commerce (KvK) that shows your business is registered."
    ),
    Enclosure.Kind.ANNUAL_FIGURES: gettext_lazy(
        "Only if you already have a business: the figures of the last two years."
    ),
    Enclosure.Kind.INTERIM_FIGURES: gettext_lazy(
        "Only if you already have a business: the figures of this year so far."
    ),
    Enclosure.Kind.BKR: gettext_lazy(
        "A statement from the BKR about your loans and debts. Your coach tells you if you need it."
    ),
}


@login_required
@require_safe
def own_application(request):
    application = own_application_for(request)
    return _own(request, application)


def _own(request, application, *, refused=None, status=200):
    """The resident's page: her request and the documents, with a form for each one she can
    still send. The coach's recommendation and notes are the desk's, not shown here."""
    refused_pk, refused_form = refused or (None, None)
    enclosures = application.enclosures.prefetch_related(_uploads_without_data())
    can_send = application.status == LoanApplication.Status.DRAFT
    rows = []
    for enclosure in enclosures:
        enclosure.application = application
        takes_files = can_send and enclosure.kind != Enclosure.Kind.BUSINESS_PLAN
        takes_files = takes_files and enclosure.status != Enclosure.Status.NOT_NEEDED
        rows.append(
            {
                "enclosure": enclosure,
                "hint": RESIDENT_HINTS.get(enclosure.kind, ""),
                "upload_form": (
                    refused_form
                    if enclosure.pk == refused_pk
                    else UploadForm(prefix=f"e{enclosure.pk}")
                )
                if takes_files
                else None,
            }
        )
    context = {"application": application, "rows": rows, "can_send": can_send}
    return render(request, "coaching/applications/own.html", context, status=status)


@login_required
@require_POST
def own_upload_add(request, pk):
    """A file the resident sends for one of her application's documents."""
    application = own_application_for(request)
    enclosure = get_object_or_404(application.enclosures, pk=pk)
    enclosure.application = application
    form = UploadForm(request.POST, request.FILES, prefix=f"e{enclosure.pk}")
    if form.is_valid():
        try:
            upload = service.add_file(
                enclosure=enclosure,
                file=form.cleaned_data["file"],
                by=request.user,
                by_resident=True,
            )
        except service.ApplicationRefused as error:
            if error.field is None:  # not about the file: sent already, or not needed
                messages.error(request, error.message)
                return redirect("coaching:own_application")
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("Thank you. We received “%(name)s”. Your coach can see it now.")
                % {"name": upload.name},
            )
            return redirect(reverse("coaching:own_application") + f"#bijlage-{enclosure.pk}")
    return _own(request, application, refused=(enclosure.pk, form), status=400)
