"""The privacy screens: withdrawing consent (the resident's coaches and coordinator), erasing a
file on request and confirming the files past the retention period (the desk's coordinator).

The rules, and what stays after each, are in ``intake/erasure.py``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intake import erasure
from intake.access import coordinated_resident_for, resident_for
from intake.models import PlannedErasure
from ondernemerspunt.access import coordinator_required, desk_ids_for
from ondernemerspunt.http import posted, require_GET_or_POST
from ondernemerspunt.models import Desk, Role

# How many proposals the retention page shows at once.
SHOWN_AT_ONCE = 100


class EraseForm(forms.Form):
    confirmed = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that this is the right file, and that the resident asked for "
            "erasure. Erasing cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


class RetentionForm(forms.Form):
    ERASE, KEEP = "erase", "keep"

    proposals = forms.ModelMultipleChoiceField(
        queryset=PlannedErasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Files"),
        error_messages={
            "required": gettext_lazy("Choose at least one file."),
            "invalid_choice": gettext_lazy(
                "One of the chosen files is no longer on the list. Choose again."
            ),
            "invalid_pk_value": gettext_lazy(
                "One of the chosen files is no longer on the list. Choose again."
            ),
        },
    )
    action = forms.ChoiceField(
        choices=[(ERASE, gettext_lazy("Erase")), (KEEP, gettext_lazy("Keep for now"))],
        error_messages={
            "required": gettext_lazy("Choose whether to erase or keep the files."),
            "invalid_choice": gettext_lazy("Choose whether to erase or keep the files."),
        },
    )

    def __init__(self, *args, desk_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = PlannedErasure.objects.filter(
            desk_id__in=desk_ids, confirmed_at__isnull=True, done_at__isnull=True
        )


@login_required
@require_GET_or_POST
def consent_withdraw(request, pk):
    """Explain in plain words what withdrawing means, then withdraw on the button."""
    resident = resident_for(request, pk)
    if request.method == "POST":
        try:
            erasure.withdraw_consent(resident=resident, by=request.user)
        except erasure.ErasureError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Consent is withdrawn. Only name and contact details are kept.")
            )
        return redirect(resident)
    consent = resident.consents.filter(withdrawn_at__isnull=True).first()
    context = {"resident": resident, "consent": consent}
    return render(request, "intake/consent_withdraw.html", context)


@coordinator_required
@require_GET_or_POST
def resident_erase(request, pk):
    """Erase a file on the resident's request: a confirm screen, then all of it at once."""
    resident = coordinated_resident_for(request, pk, include_erased=True)
    if resident.erased_at is not None:
        messages.info(request, _("This file has already been erased."))
        return redirect("intake:resident_list")
    form = EraseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erase_resident(resident=resident, by=request.user)
        except erasure.ErasureError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("The file is erased."))
        return redirect("intake:resident_list")
    return render(request, "intake/resident_erase.html", {"resident": resident, "form": form})


@coordinator_required
@require_GET_or_POST
def retention_list(request):
    """The files past the retention period of the user's desks: confirm or keep them."""
    desk_ids = desk_ids_for(request.user, (Role.COORDINATOR,))
    form = RetentionForm(posted(request), desk_ids=desk_ids)
    if request.method == "POST" and form.is_valid():
        proposals = form.cleaned_data["proposals"]
        if form.cleaned_data["action"] == RetentionForm.ERASE:
            count = erasure.confirm_erasures(proposals=proposals, by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s file will be erased in the next few minutes.",
                    "%(count)s files will be erased in the next few minutes.",
                    count,
                )
                % {"count": count},
            )
        else:
            count = erasure.keep_files(proposals=proposals, by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s file is kept for now. It is proposed again tomorrow while it is "
                    "still past the retention period.",
                    "%(count)s files are kept for now. They are proposed again tomorrow while "
                    "they are still past the retention period.",
                    count,
                )
                % {"count": count},
            )
        return redirect("intake:retention_list")
    # Not paged: the boxes ticked on one page would be lost on the next. The oldest come first,
    # a bounded number at a time; the rest follow once these are decided on.
    proposals = erasure.proposals_for(desk_ids)
    total = proposals.count()
    shown = list(proposals[:SHOWN_AT_ONCE])
    chosen = {str(value) for value in form["proposals"].value() or []}
    context = {
        "form": form,
        "proposals": shown,
        "total": total,
        "chosen": chosen,
        # Each desk's rule, so that an empty list is not mistaken for "nothing is old".
        "desks": Desk.objects.filter(pk__in=desk_ids).order_by("name"),
    }
    return render(request, "intake/retention_list.html", context)
